"""What this machine lets a test's ``learnflow up`` keep of the manifests.

knative/ demands SANDBOX_MIN_LEVEL=L2 of code execution, and ``learnflow up`` refuses
to start where the kernel cannot give it (learnflow/local/runtime/host.py). Tests that
start the whole pipeline pass this override on such a machine, as a user would.
"""

from __future__ import annotations

from learnflow.local.runtime.host import sandbox_level_here


def sandbox_override() -> dict[str, str]:
    """``{}`` where the manifests' L2 holds, else the level this machine offers."""
    level = sandbox_level_here()
    return {} if level >= 2 else {"SANDBOX_MIN_LEVEL": f"L{level}"}


def sandbox_override_args() -> list[str]:
    """The same as ``learnflow up`` arguments."""
    return [arg for name, value in sandbox_override().items() for arg in ("--env", f"{name}={value}")]
