"""Every ``learnflow`` subcommand misused: usage on stderr, exit 2, never a traceback.

Covered elsewhere: ``broker --port nope`` through the real entry point
(tests/e2e/test_broker_cli.py), ``publish`` with a missing file, an unknown flag and
invalid documents (tests/e2e/test_cli_publish.py), ``monitor --listen nowhere``
(tests/e2e/test_exporter_cli.py), ``dlq replay`` of an unknown topic
(tests/integration/test_dlq_replay.py). Here: the rest, for every subcommand.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from learnflow.local.cli import cli


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    """Every subcommand as typed after ``learnflow``, groups and their commands alike (new ones included)."""
    paths = []
    for name, command in sorted(group.commands.items()):
        paths.append([*prefix, name])
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, (*prefix, name)))
    return paths


SUBCOMMANDS = command_paths(cli)

# (argv, what the message must name): values click refuses before anything starts.
BAD_VALUES = [
    (["broker", "--port", "0"], "--port"),
    (["up", "--broker-port", "nope"], "--broker-port"),
    (["up", "--ingress-port", "70000"], "--ingress-port"),
    (["up", "--root", "/nonexistent/learnflow"], "--root"),
    (["simulate", "--rate", "-1"], "--rate"),
    (["simulate", "--learners", "many"], "--learners"),
    (["simulate", "--duration", "0"], "--duration"),
    (["dlq", "list", "t", "--filter", "nonsense"], "--filter"),
    (["dlq", "replay", "t", "--max-replays", "0"], "--max-replays"),
    (["dlq", "show", "t"], "WHICH"),
    (["monitor"], "--bootstrap-servers"),  # required, and no KAFKA_BOOTSTRAP_SERVERS here
    (["nosuchcommand"], "nosuchcommand"),
]


def _run(argv: list[str]) -> Result:
    # KAFKA_BOOTSTRAP_SERVERS unset so "required" options behave the same everywhere.
    return CliRunner().invoke(cli, argv, env={"KAFKA_BOOTSTRAP_SERVERS": None})


def _assert_usage_error(result: Result, names: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert isinstance(result.exception, SystemExit), "a usage error must exit, not raise"
    assert "Usage:" in result.output and "Traceback" not in result.output
    assert names in result.output, result.output


@pytest.mark.parametrize("argv", SUBCOMMANDS, ids=" ".join)
def test_an_unknown_flag_prints_usage_and_exits_2(argv: list[str]) -> None:
    result = _run([*argv, "--no-such-flag"])
    # Options are parsed before arguments are checked, so no argument is needed to reach this.
    _assert_usage_error(result, "No such option '--no-such-flag'")


@pytest.mark.parametrize(("argv", "names"), BAD_VALUES, ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_a_bad_value_prints_usage_naming_the_option_and_exits_2(argv: list[str], names: str) -> None:
    _assert_usage_error(_run(argv), names)


def test_publish_refuses_a_directory_and_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    _assert_usage_error(_run(["publish", str(tmp_path)]), "SOURCE")
    binary = tmp_path / "events.jsonl"
    binary.write_bytes(b'{"eventId": "\xff"}\n')
    _assert_usage_error(_run(["publish", str(binary)]), "not UTF-8")


def _learnflow(*args: str) -> subprocess.CompletedProcess[str]:
    """The real console entry point (``learnflow = learnflow.local.cli:main``), as a user runs it."""
    return subprocess.run(
        [sys.executable, "-c", "from learnflow.local.cli import main; main()", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("argv", [["simulate", "--rate", "fast"], ["dlq", "replay", "--colour", "t"]], ids=" ".join)
def test_misuse_through_the_real_entry_point(argv: list[str]) -> None:
    result = _learnflow(*argv)
    assert result.returncode == 2, result
    assert "Usage:" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""


def test_an_option_without_its_value_names_it() -> None:
    # click reports this one without the usage line (its parser has no context yet); still exit 2, named.
    result = _learnflow("up", "--root")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "Option '--root' requires an argument" in result.stderr
