"""``learnflow up``'s probe of this machine agrees with the level the real sandbox reaches here.

The probe (learnflow/local/runtime/host.py) only asks the kernel and the libraries; the
sandbox proves each layer in a child. Were they to disagree, ``learnflow up`` would
refuse a level the function could hold, or let through one it then fails closed on.
"""

from __future__ import annotations

from functions.code_execution.limits import Limits
from functions.code_execution.sandbox import Sandbox
from learnflow.local.runtime.host import sandbox_level_here


def test_the_probe_offers_the_level_the_sandbox_reaches() -> None:
    with Sandbox(Limits(cpu_seconds=1, wall_seconds=3.0), size=1) as sandbox:
        assert sandbox_level_here() == int(sandbox.level), sandbox.layers
