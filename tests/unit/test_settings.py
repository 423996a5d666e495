import pytest

from learnflow.errors import ConfigurationError
from learnflow.settings import BrokerKind, kafka_settings


def test_defaults_point_at_a_local_kafka(monkeypatch):
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.delenv("KAFKA_BROKER_KIND", raising=False)
    s = kafka_settings()
    assert s.bootstrap_list == ["127.0.0.1:9092"] and s.broker_kind is BrokerKind.KAFKA


def test_bootstrap_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", " a:1, b:2 ,")
    assert kafka_settings().bootstrap_list == ["a:1", "b:2"]


@pytest.mark.parametrize("var,value", [("KAFKA_BROKER_KIND", "zookeeper"), ("LEARNFLOW_PUBLISH_TIMEOUT_S", "-3"),
                                       ("LEARNFLOW_PUBLISH_TIMEOUT_S", "soon")])
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
