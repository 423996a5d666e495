"""Triage settings: documented defaults, environment overrides, errors naming the variable."""

from __future__ import annotations

import os

import pytest

from functions.triage import settings as triage_settings
from functions.triage.settings import TriageSettings
from learnflow.events import ConfigurationError
from learnflow.serverless import load_settings


def test_defaults_are_the_documented_ones() -> None:
    config = load_settings(TriageSettings)
    assert (config.attempts_threshold, config.long_duration_s, config.break_after_s) == (3, 600, 1800)


def test_environment_overrides_the_defaults() -> None:
    os.environ["LEARNFLOW_TRIAGE_ATTEMPTS_THRESHOLD"] = "5"
    os.environ["LEARNFLOW_TRIAGE_LONG_DURATION_S"] = "900"
    config = load_settings(TriageSettings)
    assert (config.attempts_threshold, config.long_duration_s) == (5, 900)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LEARNFLOW_TRIAGE_ATTEMPTS_THRESHOLD", "many"),
        ("LEARNFLOW_TRIAGE_ATTEMPTS_THRESHOLD", "1"),
        ("LEARNFLOW_TRIAGE_LONG_DURATION_S", "0"),
        ("LEARNFLOW_TRIAGE_BREAK_AFTER_S", "60"),  # below the long-duration threshold
    ],
)
def test_a_bad_value_names_the_variable(variable: str, value: str) -> None:
    os.environ[variable] = value
    with pytest.raises(ConfigurationError, match=variable):
        load_settings(TriageSettings)


def test_settings_are_read_once_at_first_use() -> None:
    triage_settings.get_settings.cache_clear()
    try:
        os.environ["LEARNFLOW_TRIAGE_ATTEMPTS_THRESHOLD"] = "4"
        first = triage_settings.get_settings()
        os.environ["LEARNFLOW_TRIAGE_ATTEMPTS_THRESHOLD"] = "9"
        assert triage_settings.get_settings() is first
        assert first.attempts_threshold == 4
    finally:
        triage_settings.get_settings.cache_clear()
