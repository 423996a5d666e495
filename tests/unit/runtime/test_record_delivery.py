import base64
import threading

from learnflow.local.runtime.record_delivery import RecordDelivery
from learnflow.local.runtime.sink import SinkWriter
from learnflow.local.runtime.stats import SourceStats

from .fakes import TOPIC, FakeRecord, RecordingPublisher, ScriptedTransport, event, source

URL = "http://fn/"


def _record(event_id, script=None, offset=0):
    r = event(event_id, {"script": script} if script else {})
    return FakeRecord(offset, r.key, r.value, list(r.headers))


def _delivery(publisher=None, stop=None, retry=3):
    src = source(retry=retry)
    publisher = publisher or RecordingPublisher()
    stats, transport = SourceStats(), ScriptedTransport()
    delivery = RecordDelivery(
        src, URL, SinkWriter(src.delivery.dead_letter_sink, publisher), stats, stop or threading.Event(),
        function="fn", transport=transport,
    )  # fmt: skip
    return delivery, stats, transport, publisher


def _headers(record):
    return {name: value.decode() for name, value in record.headers}


def test_a_delivered_record_is_counted_and_not_dead_lettered():
    delivery, stats, transport, publisher = _delivery()
    assert delivery.deliver(TOPIC, 0, _record("e1", [503, 200]))
    assert [s["id"] for s in transport.seen] == ["e1", "e1"]
    assert (stats.delivered, stats.dead_lettered, publisher.sent) == (1, 0, [])


def test_a_refused_record_is_dead_lettered_with_knatives_extensions():
    delivery, stats, _, publisher = _delivery()
    assert delivery.deliver(TOPIC, 0, _record("e1", [422]))
    [(topic, letter)] = publisher.sent
    headers = _headers(letter)
    assert topic == "t.dlq" and headers["ce_id"] == "e1"
    assert headers["ce_knativeerrorcode"] == "422" and headers["ce_knativeerrordest"] == URL
    assert headers["ce_reason"] == "scripted 422"
    assert (stats.delivered, stats.dead_lettered) == (0, 1)


def test_a_record_that_cannot_be_sent_is_dead_lettered_with_the_reason():
    delivery, stats, _, publisher = _delivery()
    assert delivery.deliver(TOPIC, 0, _record("e1", ["injected bug"]))
    [(_, letter)] = publisher.sent
    reason = base64.b64decode(_headers(letter)["ce_knativeerrordata"]).decode()
    assert reason == "undeliverable: RuntimeError: injected bug"
    assert stats.dead_lettered == 1


def test_a_failed_dead_letter_write_is_tried_again_until_it_succeeds():
    delivery, stats, _, publisher = _delivery(RecordingPublisher(failures=2))
    assert delivery.deliver(TOPIC, 0, _record("e1", [400]))
    assert len(publisher.sent) == 1 and publisher.failures == 0
    assert stats.dead_lettered == 1


def test_stopped_while_the_dead_letter_sink_is_down_the_record_is_left_unfinished():
    stop = threading.Event()
    delivery, stats, _, publisher = _delivery(RecordingPublisher(failures=10**6, on_failure=stop.set), stop=stop)
    assert not delivery.deliver(TOPIC, 0, _record("e1", [400]))
    assert publisher.sent == [] and (stats.delivered, stats.dead_lettered) == (0, 0)


def test_stopped_during_a_retry_the_record_is_left_unfinished():
    stop = threading.Event()
    stop.set()
    delivery, stats, transport, publisher = _delivery(stop=stop)
    assert not delivery.deliver(TOPIC, 0, _record("e1", [500]))
    assert len(transport.seen) == 1 and publisher.sent == []
    assert (stats.delivered, stats.dead_lettered) == (0, 0)


def test_close_closes_the_transport():
    delivery, _, transport, _ = _delivery()
    delivery.close()
    assert transport.closed


def test_a_failure_while_stopping_is_not_blamed_on_the_record():
    stop = threading.Event()
    stop.set()  # stopping closes connections under requests in flight
    delivery, stats, _, publisher = _delivery(stop=stop)
    assert not delivery.deliver(TOPIC, 0, _record("e1", ["connection closed under the request"]))
    assert publisher.sent == [] and stats.dead_lettered == 0
