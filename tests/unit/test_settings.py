from typing import Self

import pytest
from pydantic import Field, model_validator

from learnflow.events import ConfigurationError
from learnflow.serverless import FETCH_WAIT_MS, BrokerKind, EnvSettings, kafka_settings, load_settings


def test_defaults_point_at_a_local_kafka(monkeypatch):
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.delenv("KAFKA_BROKER_KIND", raising=False)
    s = kafka_settings()
    assert s.bootstrap_list == ["127.0.0.1:9092"] and s.broker_kind is BrokerKind.KAFKA


def test_bootstrap_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", " a:1, b:2 ,")
    assert kafka_settings().bootstrap_list == ["a:1", "b:2"]


@pytest.mark.parametrize(
    "var,value",
    [("KAFKA_BROKER_KIND", "zookeeper"), ("LEARNFLOW_PUBLISH_TIMEOUT_S", "-3"), ("LEARNFLOW_PUBLISH_TIMEOUT_S", "soon")],
)
def test_bad_environment_values_name_the_variable(monkeypatch, var, value):
    monkeypatch.setenv(var, value)
    with pytest.raises(ConfigurationError) as caught:
        kafka_settings()
    assert var in str(caught.value) and value in str(caught.value)


def test_group_timeouts_depend_on_the_broker():
    embedded = kafka_settings(KAFKA_BROKER_KIND="embedded").consumer_config("g")
    real = kafka_settings(KAFKA_BROKER_KIND="kafka").consumer_config("g")
    assert embedded["session_timeout_ms"] == 2000
    assert real["session_timeout_ms"] >= 6000  # Kafka's group.min.session.timeout.ms
    assert embedded["enable_auto_commit"] is False


def test_a_consumer_without_group_gets_no_group_timeouts():
    assert "session_timeout_ms" not in kafka_settings().consumer_config(None)


class _Window(EnvSettings):
    low: int = Field(1, validation_alias="TEST_WINDOW_LOW")
    high: int = Field(2, validation_alias="TEST_WINDOW_HIGH")
    token: str = Field("", validation_alias="TEST_WINDOW_TOKEN")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.high < self.low:
            raise ValueError(f"TEST_WINDOW_HIGH ({self.high}) must be at least TEST_WINDOW_LOW ({self.low})")
        return self


def test_a_cross_field_error_prints_its_own_message_only(monkeypatch):
    # A model-level error has no field; its input is every value read, secrets included.
    monkeypatch.setenv("TEST_WINDOW_LOW", "5")
    monkeypatch.setenv("TEST_WINDOW_HIGH", "3")
    monkeypatch.setenv("TEST_WINDOW_TOKEN", "s3cret")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(_Window)
    assert str(caught.value) == "invalid configuration: TEST_WINDOW_HIGH (3) must be at least TEST_WINDOW_LOW (5)"


def test_a_field_error_still_names_the_variable_and_value(monkeypatch):
    monkeypatch.setenv("TEST_WINDOW_LOW", "many")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(_Window)
    assert str(caught.value).startswith("invalid configuration: TEST_WINDOW_LOW='many': ")


def test_every_consumer_waits_the_same_fixed_500_ms_whatever_the_broker():
    # The embedded broker's front answers a waiting fetch when data arrives, as Kafka does.
    for kind in ("embedded", "kafka"):
        for group in (None, "g"):
            assert kafka_settings(KAFKA_BROKER_KIND=kind).consumer_config(group)["fetch_max_wait_ms"] == FETCH_WAIT_MS == 500
