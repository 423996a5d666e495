import pytest
from kafka import TopicPartition
from kafka.errors import KafkaError

from learnflow.local.runtime.session import ConsumerSession

from .fakes import FakeKafka, event

A, B = TopicPartition("t", 0), TopicPartition("t", 1)


def _session(kafka, **callbacks):
    seen = {"assigned": [], "revoked": []}
    session = ConsumerSession(
        kafka,
        {"group_id": "g"},
        ["t"],
        on_assigned=callbacks.get("on_assigned", seen["assigned"].append),
        on_revoked=callbacks.get("on_revoked", seen["revoked"].append),
    )
    return session, seen


def test_open_makes_a_consumer_with_its_config_and_subscribes_it():
    kafka = FakeKafka({"t": 2})
    session, _ = _session(kafka)
    assert not session.is_open
    session.open()
    assert session.is_open
    [consumer] = kafka.consumers
    assert consumer.config == {"group_id": "g"}
    assert consumer.topics == ["t"]


def test_rebalances_reach_the_callbacks_during_poll():
    kafka = FakeKafka({"t": 2})
    kafka.append(A, event("e1"))
    session, seen = _session(kafka)
    session.open()
    batches = session.poll(timeout_ms=1, max_records=10)
    assert seen["assigned"] == [{A, B}]
    assert [r.offset for r in batches[A]] == [0]
    kafka.consumers[0].revoke_next = [B]
    session.poll(timeout_ms=1, max_records=10)
    assert seen["revoked"] == [{B}]


def test_a_commit_is_reported_and_a_failed_one_deferred():
    kafka = FakeKafka({"t": 1})
    session, _ = _session(kafka)
    assert not session.commit({A: 1}), "a closed session commits nothing"
    session.open()
    assert not session.commit({}), "nothing to commit"
    assert session.commit({A: 3}) and kafka.committed == {A: 3}

    def refuse(offsets):
        raise KafkaError("rebalance in progress")

    kafka.consumers[0].commit = refuse
    assert not session.commit({A: 4})
    assert kafka.committed == {A: 3}


def test_close_forgets_the_consumer_even_when_closing_it_fails():
    kafka = FakeKafka({"t": 1})
    session, _ = _session(kafka)
    session.open()

    def broken_close(autocommit=True):
        raise OSError("broker gone")

    kafka.consumers[0].close = broken_close
    session.close()
    assert not session.is_open
    with pytest.raises(RuntimeError, match="open"):
        session.poll(timeout_ms=1, max_records=1)


def test_a_consumer_that_cannot_subscribe_is_closed():
    kafka = FakeKafka({"t": 1})

    def factory(**config):
        consumer = kafka(**config)

        def refuse(topics, listener):
            raise KafkaError("no such topic")

        consumer.subscribe = refuse
        return consumer

    session = ConsumerSession(factory, {}, ["t"], on_assigned=print, on_revoked=print)
    with pytest.raises(KafkaError):
        session.open()
    assert not session.is_open and kafka.consumers[0].closed
