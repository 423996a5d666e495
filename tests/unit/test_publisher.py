import pytest
from kafka.errors import KafkaTimeoutError

from learnflow.events import CODE_SUBMITTED, PublishError
from learnflow.serverless import Publisher, kafka_settings

from ..support.seed import seed_document


class _Future:
    def __init__(self, error):
        self.error = error

    def get(self, timeout):
        if self.error:
            raise self.error
        return None


class FakeProducer:
    def __init__(self, fail_with=None):
        self.sent = []
        self.closed = False
        self.fail_with = fail_with

    def send(self, topic, value=None, key=None, headers=None):
        self.sent.append((topic, key, value, headers))
        return _Future(self.fail_with)

    def flush(self, timeout=None):
        pass

    def close(self, timeout=None):
        self.closed = True


def test_publish_sends_the_binary_record_to_the_event_topic():
    producers = []
    pub = Publisher("frontend", kafka_settings(), lambda s: producers.append(FakeProducer()) or producers[-1])
    event = CODE_SUBMITTED.parse(seed_document("code-submitted.json"))
    pub.publish(event)
    pub.publish(event)
    assert len(producers) == 1, "one producer per process, created lazily"
    topic, key, _value, headers = producers[0].sent[0]
    assert topic == "code-submitted" and key == event.key
    assert ("ce_source", b"/learnflow/frontend") in headers


def test_a_failed_send_raises_publish_error_and_the_producer_is_recreated():
    producers = [FakeProducer(KafkaTimeoutError("no broker")), FakeProducer()]
    made = []
    pub = Publisher("triage", kafka_settings(), lambda s: made.append(producers[len(made)]) or made[-1])
    event = CODE_SUBMITTED.parse(seed_document("code-submitted.json"))
    with pytest.raises(PublishError, match=r"code-submitted.*KafkaTimeoutError"):
        pub.publish(event)
    assert producers[0].closed
    pub.publish(event)
    assert len(made) == 2 and producers[1].sent
