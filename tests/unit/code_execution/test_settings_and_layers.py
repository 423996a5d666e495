from __future__ import annotations

import pytest

from functions.code_execution.layers import BASELINE, LANDLOCK, SECCOMP, Level, level_of
from functions.code_execution.limits import MIB, Limits
from functions.code_execution.settings import sandbox_settings
from learnflow.events import ConfigurationError


def test_levels() -> None:
    assert level_of(BASELINE) is Level.L0
    assert level_of((*BASELINE, SECCOMP)) is Level.L1
    assert level_of((*BASELINE, SECCOMP, LANDLOCK)) is Level.L2
    assert level_of((*BASELINE, LANDLOCK)) is Level.L0  # Landlock alone leaves the network open
    assert Level.parse("l2") is Level.L2 and Level.parse("1") is Level.L1
    with pytest.raises(ValueError, match="L0, L1, L2"):
        Level.parse("L7")


def test_settings_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert sandbox_settings().limits() == Limits()
    monkeypatch.setenv("SANDBOX_CPU_SECONDS", "2")
    monkeypatch.setenv("SANDBOX_MEMORY_MB", "256")
    monkeypatch.setenv("SANDBOX_MIN_LEVEL", "L2")
    s = sandbox_settings()
    assert s.limits().cpu_seconds == 2 and s.limits().memory_bytes == 256 * MIB
    assert s.min_level is Level.L2


def test_bad_settings_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_WALL_SECONDS", "-1")
    with pytest.raises(ConfigurationError, match="SANDBOX_WALL_SECONDS"):
        sandbox_settings()


def test_limits_reject_nonsense() -> None:
    with pytest.raises(ValueError, match="cpu_seconds"):
        Limits(cpu_seconds=0)
