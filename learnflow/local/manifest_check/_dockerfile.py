"""Invariants of the images, read from the Dockerfile (no engine is needed).

The image cannot be built here, so the checks are on what the Dockerfile says: it
starts from a base image pinned by digest, runs as a non-root user, serves on 8080,
installs the repository with pip, starts functions-framework, and leaves the choice of
function to the environment.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from learnflow.local.manifest_check._report import Problem

_ROOT_USERS = {"root", "0", "0:0", "root:root"}


def instructions(text: str) -> list[tuple[int, str, str]]:
    """(line number, INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    out: list[tuple[int, str, str]] = []
    pending, start = "", 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        if not pending:
            start = number
        pending += " " + stripped.removesuffix("\\") if pending else stripped.removesuffix("\\")
        if not stripped.endswith("\\"):
            word, _, args = pending.strip().partition(" ")
            out.append((start, word.upper(), args.strip()))
            pending = ""
    return out


def _command(args: str) -> str:
    try:
        parsed = json.loads(args)
    except ValueError:
        return args
    return " ".join(parsed) if isinstance(parsed, list) else args


def check_dockerfile(root: Path) -> list[Problem]:
    path = root / "Dockerfile"
    if not path.is_file():
        return [Problem("Dockerfile", "", "(file)", "missing")]
    steps = instructions(path.read_text(encoding="utf-8"))

    def bad(line: int, why: str) -> Problem:
        return Problem("Dockerfile", "", f"line {line}", why)

    out: list[Problem] = []
    stages = {a.split()[-1].lower() for _, w, a in steps if w == "FROM" and " as " in a.lower()}
    for n, w, a in steps:
        image = next((word for word in a.split() if not word.startswith("--")), "") if w == "FROM" else ""
        if image and image.lower() not in stages and not re.search(r"@sha256:[0-9a-f]{64}$", image):
            out.append(bad(n, f"pin the base image by digest ({image}@sha256:<digest>), so a re-pushed tag cannot change it"))
    users = [(n, a) for n, w, a in steps if w == "USER"]
    if not users or users[-1][1] in _ROOT_USERS:
        out.append(bad(users[-1][0] if users else 0, "the image must end as a non-root USER"))
    elif not re.fullmatch(r"\d+(:\d+)?", users[-1][1]):
        out.append(bad(users[-1][0], "use a numeric USER, so runAsNonRoot can be verified"))
    if not any(w == "EXPOSE" and "8080" in a.split() for _, w, a in steps):
        out.append(bad(0, "EXPOSE 8080, the port Knative sends to"))
    if not any(w == "RUN" and re.search(r"pip install (\S+ )*\.(\s|$)", a) for _, w, a in steps):
        out.append(bad(0, "RUN pip install . (learnflow and functions come from pyproject)"))
    starts = [(n, _command(a)) for n, w, a in steps if w in ("CMD", "ENTRYPOINT")]
    if not starts or "functions-framework" not in starts[-1][1]:
        out.append(bad(starts[-1][0] if starts else 0, "must start functions-framework"))
    for n, w, a in steps:
        if w in ("ENV", "ARG", "CMD", "ENTRYPOINT") and "FUNCTION_TARGET" in a:
            out.append(bad(n, "FUNCTION_TARGET is chosen by each Service, not the image"))
    # The last stage is the functions image (the default target): it carries no local toolkit.
    last_from = max((n for n, w, _ in steps if w == "FROM"), default=0)
    for n, w, a in steps:
        sources = a.split()[:-1]  # COPY src... dest
        if n > last_from and w in ("COPY", "ADD") and any(re.fullmatch(r"(\./)?learnflow(/|/local(/.*)?)?", s) for s in sources):
            out.append(bad(n, "the functions image copies learnflow/events and learnflow/serverless only, not learnflow/local"))
    ignore = root / ".dockerignore"
    if not ignore.is_file() or not {"*", "**", ".venv", ".venv/"} & set(ignore.read_text(encoding="utf-8").split()):
        out.append(Problem(".dockerignore", "", "(file)", "must keep .venv out of the context"))
    return out
