"""``--env`` and ``--env-file`` of ``learnflow up``: local values over the Services' manifest env.

Each function gets its Knative Service's ``env`` (learnflow/local/runtime/environment.py);
these options add to it or override it, for every function: a Secret's value the
manifests cannot hold, or a value this machine cannot honour. ``--env`` wins over the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from dotenv import dotenv_values

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _pairs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    pairs = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not _NAME.fullmatch(name):
            raise click.BadParameter(f"{item!r}: expected NAME=VALUE, NAME of letters, digits and _")
        pairs[name] = value
    return pairs


def _file(ctx: click.Context, param: click.Parameter, path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    values = dotenv_values(path)
    if unset := [name for name, value in values.items() if value is None]:
        raise click.BadParameter(f"{path}: {', '.join(unset)} without '=VALUE'")
    return {name: value for name, value in values.items() if value is not None}


def function_env_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--env NAME=VALUE`` (repeatable) and ``--env-file PATH``, passed as ``env`` and ``env_file`` dicts."""
    func = click.option(
        "--env-file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        callback=_file,
        envvar="LEARNFLOW_ENV_FILE",
        help="NAME=VALUE lines (a .env file) for every function, over its Service's env in knative/.",
    )(func)
    return click.option(
        "--env",
        multiple=True,
        callback=_pairs,
        envvar="LEARNFLOW_ENV",
        metavar="NAME=VALUE",
        help="A variable for every function, over its Service's env in knative/ and the --env-file; repeatable.",
    )(func)
