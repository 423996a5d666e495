"""A learner's stream against the embedded broker: order, resume, restarts, duplicates, backlog, isolation.

Absence is proved by order, not by waiting: a learner's events share one partition per
topic, so an event that should not be sent would arrive before a marker written after it.
"""

from __future__ import annotations

import json

from learnflow.events import to_record
from learnflow.local._gateway_server import GatewayServer

from ...support.learner_events import code_executed, exercise_started, help_explanation
from ...support.sse import SseMessage, SseStream
from .conftest import Learner, Writer, new_learner


def _stream(gateway: GatewayServer, learner: Learner, last_event_id: str | None = None) -> SseStream:
    return SseStream(f"{gateway.url}learners/{learner.user_id}/events", token=learner.token, last_event_id=last_event_id)


def _ids(messages: list[SseMessage]) -> list[str]:
    return [json.loads(m.data)["eventId"] for m in messages]


def test_events_arrive_in_the_order_they_were_written_as_the_seed_documents(gateway, writer: Writer) -> None:
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
    assert [m.event for m in got] == [e.event_type for e in sent]
    assert [m.data.encode() for m in got] == [to_record(e, "/x").value for e in sent]
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
    assert _ids(ada_got) == [str(e.event_id) for e in [mixed[0], mixed[3], markers[0]]]
    assert _ids(bob_got) == [str(e.event_id) for e in [mixed[1], mixed[2], markers[1]]]


def test_two_streams_of_one_learner_both_get_everything(gateway, writer: Writer) -> None:
    learner = new_learner()
    with _stream(gateway, learner) as tab1, _stream(gateway, learner) as tab2:
        events = [code_executed(learner.user_id), help_explanation(learner.user_id)]
        writer.write(*events)
        assert _ids(tab1.take(2)) == _ids(tab2.take(2)) == [str(e.event_id) for e in events]


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
