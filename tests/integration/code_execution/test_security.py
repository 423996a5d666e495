"""Attacks on the sandbox: each must fail, by its result status and by its side effect.

All attacks run in one driver process (``attack_driver.py``), the way the service runs
the sandbox, as an unprivileged user: when the tests run as root, a system user is
created for it. The driver and the sandbox package are copied to a world-readable
temporary directory, since the checkout may sit where that user cannot read.
An attack is skipped, with its reason, only when the layer that stops it is missing.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from functions.code_execution import layers as L
from functions.code_execution.limits import Limits
from functions.code_execution.outcome import RunOutcome
from functions.code_execution.result import classify
from learnflow.events import ExecutionStatus

TEST_USER = "lfsandbox"
PACKAGE = Path(__file__).resolve().parents[3] / "functions" / "code_execution"
LIMITS = Limits(cpu_seconds=1, wall_seconds=3.0, file_size_bytes=1024 * 1024, output_bytes=64 * 1024)
SECRET = f"s3cr3t-{uuid.uuid4().hex}"
ANY = ()


@dataclass(frozen=True)
class Attack:
    code: str
    status: ExecutionStatus
    # Any one of these layer groups stops the attack; the test skips when none is active.
    stopped_by: tuple[tuple[str, ...], ...] = ANY
    unprivileged_suffices: bool = False  # plain file permissions stop it for a non-root service


ERR = ExecutionStatus.ERROR
ATTACKS: dict[str, Attack] = {
    "tcp_connect": Attack(
        'import socket\nsocket.create_connection(("127.0.0.1", {port}), timeout=1)\nprint("PWNED")',
        ERR,
        ((L.SECCOMP,), (L.LANDLOCK_NETWORK,)),
    ),
    "subprocess": Attack(
        'import subprocess\nprint(subprocess.run(["echo", "PWNED"], capture_output=True).stdout)', ERR, ((L.SECCOMP,),)
    ),
    "os_system": Attack('import os\nrc = os.system("echo PWNED")\nraise SystemExit(0 if rc == 0 else 3)', ERR, ((L.SECCOMP,),)),
    "os_fork": Attack('import os\npid = os.fork()\nprint("PWNED", pid)', ERR, ((L.SECCOMP,),)),
    "fork_bomb": Attack("import os\nwhile True:\n    os.fork()", ERR, ((L.SECCOMP,),)),
    "alloc_2gib": Attack('x = bytearray(2 * 1024 ** 3)\nprint("PWNED")', ExecutionStatus.MEMORY_EXCEEDED),
    "infinite_loop": Attack("while True:\n    pass", ExecutionStatus.TIMEOUT),
    "thread_loop": Attack(
        "import threading\ndef spin():\n    while True:\n        pass\nthreading.Thread(target=spin).start()",
        ExecutionStatus.TIMEOUT,
    ),
    "read_etc_shadow": Attack('print(open("/etc/shadow").read())', ERR, ((L.LANDLOCK,),), unprivileged_suffices=True),
    "read_service_file": Attack('print(open("{secret_file}").read())', ERR, ((L.LANDLOCK,),)),
    "environ_secret": Attack('import os\nprint(os.environ.get("SECRET_TOKEN"), len(os.environ))', ExecutionStatus.OK),
    "proc_environ": Attack(
        'import os\nfor pid in (os.getppid(), {service_pid}):\n    print(open(f"/proc/{{pid}}/environ", "rb").read())',
        ERR,
        ((L.LANDLOCK,),),
        unprivileged_suffices=True,
    ),
    "write_outside_workdir": Attack('open("{outside}", "w").write("PWNED")', ERR, ((L.LANDLOCK,),)),
    "file_1gib": Attack(
        'import os\nf = open("big", "wb", buffering=0)\ntry:\n    for _ in range(1024):\n'
        '        f.write(b"0" * (1 << 20))\nfinally:\n    print("size", os.path.getsize("big"))',
        ExecutionStatus.OUTPUT_EXCEEDED,
    ),
    "kill_parent": Attack("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)", ERR, ((L.SECCOMP,), (L.LANDLOCK_SIGNALS,))),
    "kill_sibling": Attack(
        "import os, signal\nos.kill({victim_pid}, signal.SIGKILL)", ERR, ((L.SECCOMP,), (L.LANDLOCK_SIGNALS,))
    ),
    "detached_grandchild": Attack(
        "import os, time\npid = os.fork()\nif pid == 0:\n    os.setsid()\n    time.sleep(60)\n    os._exit(0)\n"
        'print("child", pid)',
        ERR,
        ((L.SECCOMP,),),
    ),
    "output_100mb": Attack(
        'import sys\nchunk = "x" * 65536\nfor _ in range(1600):\n    sys.stdout.write(chunk)', ExecutionStatus.OUTPUT_EXCEEDED
    ),
    "ctypes_syscall": Attack(
        "import ctypes, platform\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        'nr = {{"x86_64": 41, "aarch64": 198}}[platform.machine()]\n'
        "fd = libc.syscall(nr, 2, 1, 0)\n"
        'if fd < 0:\n    raise OSError(ctypes.get_errno(), "socket(2) refused")\nprint("PWNED", fd)',
        ERR,
        ((L.SECCOMP,),),
    ),
    "socket_socket": Attack('import socket\nsocket.socket()\nprint("PWNED")', ERR, ((L.SECCOMP,),)),
}


def _user() -> tuple[int, int] | None:
    """The uid/gid to run the driver as, creating the system user if we are root."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(TEST_USER)
    except KeyError:
        useradd = shutil.which("useradd")
        if useradd is None:
            pytest.skip("running as root and useradd is missing: cannot test as an unprivileged user")
        subprocess.run(
            [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", TEST_USER],
            check=True,
            capture_output=True,
        )
        entry = pwd.getpwnam(TEST_USER)
    return entry.pw_uid, entry.pw_gid


def _as(user: tuple[int, int] | None) -> dict[str, Any]:
    return {} if user is None else {"user": user[0], "group": user[1], "extra_groups": []}


def _interpreter(user: tuple[int, int] | None) -> str | None:
    """A Python >= 3.9 the driver's user can execute (ours may live under /root)."""
    for candidate in (os.path.realpath(sys.executable), "/usr/bin/python3", shutil.which("python3")):
        if not candidate:
            continue
        try:
            probe = subprocess.run(
                [candidate, "-I", "-S", "-c", "import sys; assert sys.version_info >= (3, 9)"],
                capture_output=True,
                cwd="/",
                env={},
                **_as(user),
            )
        except OSError:
            continue  # not executable by that user
        if probe.returncode == 0:
            return candidate
    return None


def _stage(root: Path) -> Path:
    """A world-readable copy of the sandbox package, the driver and the libseccomp binding."""
    target = root / "functions" / "code_execution"
    target.mkdir(parents=True)
    for module in PACKAGE.glob("*.py"):
        shutil.copy2(module, target)
    shutil.copy2(Path(__file__).with_name("attack_driver.py"), root)
    for name in ("pyseccomp", "seccomp"):
        try:
            module = __import__(name)
        except (ImportError, RuntimeError, OSError):
            continue
        origin = Path(module.__file__ or "")
        if origin.is_file():
            shutil.copy2(origin, root)
        break
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return root


@pytest.fixture(scope="module")
def attack_run() -> Iterator[dict[str, Any]]:
    user = _user()
    python = _interpreter(user)
    if python is None:
        pytest.skip("no Python >= 3.9 that the unprivileged test user can execute")
    root = Path(tempfile.mkdtemp(prefix="lf-security-"))
    root.chmod(0o755)
    try:
        _stage(root)
        job = {"attacks": {n: a.code for n, a in ATTACKS.items()}, "limits": LIMITS.to_wire(), "secret": SECRET}
        proc = subprocess.run(
            [python, "-I", "-S", "-c", f"import sys; sys.path[:0] = [{str(root)!r}]; import attack_driver; attack_driver.main()"],
            input=json.dumps(job).encode(),
            capture_output=True,
            cwd="/",
            env={"SECRET_TOKEN": SECRET, "PATH": "/usr/bin:/bin"},
            timeout=120,
            **_as(user),
        )
        assert proc.returncode == 0, proc.stderr.decode()
        report = json.loads(proc.stdout)
        assert report["uid"] != 0
        yield report
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _outcome(report: dict[str, Any], name: str) -> RunOutcome:
    return RunOutcome.from_wire(report["results"][name])


SIDE_EFFECTS: dict[str, Callable[[dict[str, Any], RunOutcome], None]] = {
    "tcp_connect": lambda fx, o: _check(not fx["listener_accepted"], "the listener accepted a connection"),
    "write_outside_workdir": lambda fx, o: _check(not fx["outside_written"], "a file appeared outside the work dir"),
    "kill_parent": lambda fx, o: _check(fx["zygotes_alive"], "a zygote was killed"),
    "kill_sibling": lambda fx, o: _check(fx["victim_alive"], "the sibling process was killed"),
    "detached_grandchild": lambda fx, o: _check(not fx["survivors"], f"survivors: {fx['survivors']}"),
    "file_1gib": lambda fx, o: _check(
        "size" not in o.stdout or int(o.stdout.split()[-1]) <= LIMITS.file_size_bytes, f"file grew: {o.stdout}"
    ),
    "output_100mb": lambda fx, o: _check(
        len(o.stdout.encode()) == LIMITS.output_bytes and o.stdout_truncated, f"{len(o.stdout)} bytes kept"
    ),
    "alloc_2gib": lambda fx, o: None,
    "infinite_loop": lambda fx, o: None,
    "thread_loop": lambda fx, o: None,
}


def _check(ok: bool, what: str) -> None:
    assert ok, what


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_fails(attack_run: dict[str, Any], name: str) -> None:
    attack = ATTACKS[name]
    active = set(attack_run["layers"])
    protected = any(set(group) <= active for group in attack.stopped_by) or not attack.stopped_by
    if not protected and not attack.unprivileged_suffices:
        needed = " or ".join("+".join(group) for group in attack.stopped_by)
        pytest.skip(f"{needed} not available on this machine (active: {', '.join(sorted(active))})")
    outcome = _outcome(attack_run, name)
    status = classify(outcome, LIMITS)
    assert status == attack.status, (outcome.stdout[-300:], outcome.stderr[-600:])
    assert "PWNED" not in outcome.stdout
    assert SECRET not in outcome.stdout + outcome.stderr
    assert "root:" not in outcome.stdout
    SIDE_EFFECTS.get(name, lambda fx, o: None)(attack_run["side_effects"], outcome)


def test_every_work_dir_was_removed(attack_run: dict[str, Any]) -> None:
    assert attack_run["side_effects"]["leftover_workdirs"] == []


def test_runs_list_their_layers(attack_run: dict[str, Any]) -> None:
    for result in attack_run["results"].values():
        assert tuple(result["layers"]) == tuple(attack_run["layers"])
        assert set(L.BASELINE) <= set(result["layers"])
