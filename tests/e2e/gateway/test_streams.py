"""A learner's stream against the embedded broker: order, resume, restarts, duplicates, backlog, isolation.

Absence is proved by order, not by waiting: a learner's events share one partition per
topic, so an event that should not be sent would arrive before a marker written after it.

Order: a resume reads its history whole and merges the two topics by timestamp, so
across a reconnect the order is exact. Live, each topic's order is exact, but two live
events on different topics written a few milliseconds apart may be read by different
fetches in either order (``in_write_order``'s docstring says why); live tests assert per
topic.
"""

from __future__ import annotations

import json

from learnflow.events import Envelope, to_record
from learnflow.local._gateway_server import GatewayServer

from ...support.learner_events import code_executed, exercise_started, help_explanation
from ...support.sse import SseMessage, SseStream
from .conftest import Learner, Writer, new_learner


def _stream(gateway: GatewayServer, learner: Learner, last_event_id: str | None = None) -> SseStream:
    return SseStream(f"{gateway.url}learners/{learner.user_id}/events", token=learner.token, last_event_id=last_event_id)


def _ids(messages: list[SseMessage]) -> list[str]:
    return [json.loads(m.data)["eventId"] for m in messages]


def _per_topic(ids: list[str], events: list[Envelope]) -> dict[str, list[str]]:
    """``ids`` (of ``events``) split by event type, each in the order it arrived."""
    kinds = {str(e.event_id): e.event_type for e in events}
    assert set(ids) <= set(kinds), f"not this learner's, or not written: {set(ids) - set(kinds)}"
    split: dict[str, list[str]] = {}
    for event_id in ids:
        split.setdefault(kinds[event_id], []).append(event_id)
    return split


def _written(events: list[Envelope]) -> dict[str, list[str]]:
    return _per_topic([str(e.event_id) for e in events], events)


def test_events_arrive_in_each_topics_order_as_the_seed_documents(gateway, writer: Writer) -> None:
    learner = new_learner()
    events = [
        code_executed(learner.user_id, stdout="1\n"),
        help_explanation(learner.user_id, title="first"),
        exercise_started(learner.user_id),  # a learning event, but not one a learner is sent
        code_executed(learner.user_id, stdout="<script>alert(1)</script>\n"),
        help_explanation(learner.user_id, title="second"),
        code_executed(learner.user_id, stdout="3\n"),
    ]
    with _stream(gateway, learner) as stream:
        assert stream.status == 200
        assert stream.response_headers["content-type"].startswith("text/event-stream")
        writer.write(*events)
        got = stream.take(5)
    sent = [e for e in events if e.event_type != "exercise.started"]
    assert _per_topic(_ids(got), sent) == _written(sent)
    by_id = {str(e.event_id): e for e in sent}
    for message in got:
        event = by_id[json.loads(message.data)["eventId"]]
        assert message.event == event.event_type
        assert message.data.encode() == to_record(event, "/x").value
    assert all(m.id for m in got) and len({m.id for m in got}) == 5
    assert stream.parser.retry_ms == 1000


def test_a_reconnect_with_the_last_id_gets_every_later_event_once(gateway, writer: Writer) -> None:
    learner = new_learner()
    first = [code_executed(learner.user_id, stdout=f"{i}\n") for i in range(3)]
    with _stream(gateway, learner) as stream:
        writer.write(*first)
        got = stream.take(3)
    # Cut after the second: the third was sent but the browser missed it.
    resume_from = got[1].id
    while_away = [help_explanation(learner.user_id), code_executed(learner.user_id)]
    writer.write(*while_away)
    with _stream(gateway, learner, last_event_id=resume_from) as stream:
        later = [code_executed(learner.user_id, stdout="live\n")]
        writer.write(*later)
        resumed = stream.take(4)
    assert _ids(resumed) == [str(e.event_id) for e in [first[2], *while_away, *later]]


def test_a_resume_survives_a_gateway_restart(start_gateway, writer: Writer) -> None:
    gateway = start_gateway()
    learner = new_learner()
    with _stream(gateway, learner) as stream:
        writer.write(code_executed(learner.user_id))
        [seen] = stream.take(1)
    gateway.stop()
    while_down = [code_executed(learner.user_id, stdout=f"{i}\n") for i in range(3)] + [help_explanation(learner.user_id)]
    writer.write(*while_down)
    restarted = start_gateway(port=gateway.port)
    with _stream(restarted, learner, last_event_id=seen.id) as stream:
        after = code_executed(learner.user_id, stdout="after\n")
        writer.write(after)
        resumed = stream.take(5)
    assert _ids(resumed) == [str(e.event_id) for e in [*while_down, after]]


def test_a_redelivered_event_is_sent_once_live_and_across_a_resume(gateway, writer: Writer) -> None:
    learner = new_learner()
    event = code_executed(learner.user_id)
    marker = code_executed(learner.user_id, stdout="marker\n")
    with _stream(gateway, learner) as stream:
        writer.write(event, event, marker)  # at-least-once upstream: the same eventId twice
        got = stream.take(2)
    assert _ids(got) == [str(event.event_id), str(marker.event_id)]
    # A third copy while the browser is away: it already has the event, so it is not resent.
    second_marker = help_explanation(learner.user_id)
    writer.write(event, second_marker)
    with _stream(gateway, learner, last_event_id=got[0].id) as stream:
        resumed = stream.take(2)
    assert _ids(resumed) == [str(marker.event_id), str(second_marker.event_id)]


def test_a_backlog_of_a_thousand_events_is_resumed_whole_and_in_order(gateway, writer: Writer) -> None:
    learner = new_learner()
    with _stream(gateway, learner) as stream:
        writer.write(code_executed(learner.user_id))
        [seen] = stream.take(1)
    backlog = [
        help_explanation(learner.user_id, title=f"help {i}") if i % 10 == 0 else code_executed(learner.user_id, stdout=f"{i}\n")
        for i in range(1000)
    ]
    writer.write(*backlog)
    with _stream(gateway, learner, last_event_id=seen.id) as stream:
        resumed = stream.take(1000, timeout=60)
        marker = code_executed(learner.user_id, stdout="marker\n")
        writer.write(marker)
        [after] = stream.take(1)
    assert _ids(resumed) == [str(e.event_id) for e in backlog]
    assert _ids([after]) == [str(marker.event_id)]


def test_two_learners_see_only_their_own_events(gateway, writer: Writer) -> None:
    ada, bob = new_learner(), new_learner()
    with _stream(gateway, ada) as ada_stream, _stream(gateway, bob) as bob_stream:
        mixed = [
            code_executed(ada.user_id),
            code_executed(bob.user_id),
            help_explanation(bob.user_id),
            help_explanation(ada.user_id),
        ]
        markers = [code_executed(ada.user_id, stdout="end\n"), code_executed(bob.user_id, stdout="end\n")]
        writer.write(*mixed, *markers)
        ada_got, bob_got = ada_stream.take(3), bob_stream.take(3)
    ada_sent, bob_sent = [mixed[0], mixed[3], markers[0]], [mixed[1], mixed[2], markers[1]]
    assert _per_topic(_ids(ada_got), ada_sent) == _written(ada_sent)
    assert _per_topic(_ids(bob_got), bob_sent) == _written(bob_sent)


def test_two_streams_of_one_learner_both_get_everything(gateway, writer: Writer) -> None:
    learner = new_learner()
    with _stream(gateway, learner) as tab1, _stream(gateway, learner) as tab2:
        events = [code_executed(learner.user_id), help_explanation(learner.user_id)]
        writer.write(*events)
        first, second = _ids(tab1.take(2)), _ids(tab2.take(2))
    assert first == second  # one reader fans out: both tabs see one sequence
    assert sorted(first) == sorted(str(e.event_id) for e in events)


def test_a_gateway_that_stops_ends_its_streams_cleanly(start_gateway) -> None:
    gateway = start_gateway()
    learner = new_learner()
    with _stream(gateway, learner) as stream:
        gateway.stop()
        assert stream.closed.wait(15)
    assert "ASGI callable returned without completing response" not in gateway.log_path.read_text()


def test_a_stream_resumes_on_another_replica(gateway, start_gateway, writer: Writer) -> None:
    other = start_gateway()  # both read the topics whole; a learner may land on either
    learner = new_learner()
    with _stream(gateway, learner) as stream:
        writer.write(code_executed(learner.user_id))
        [seen] = stream.take(1)
    rest = [help_explanation(learner.user_id), code_executed(learner.user_id)]
    writer.write(*rest)
    with _stream(other, learner, last_event_id=seen.id) as stream:
        assert _ids(stream.take(2)) == [str(e.event_id) for e in rest]
