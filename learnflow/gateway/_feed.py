"""One learner's stream: the history since its cursor, then the live events, as SSE messages."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator

from aiokafka.errors import KafkaError
from sse_starlette import ServerSentEvent

from learnflow.events import BrokerError
from learnflow.gateway._cursor import STREAMED_TOPICS, Cursor
from learnflow.gateway._history import History
from learnflow.gateway._hub import Hub, StreamClosed, StreamOverflow
from learnflow.gateway._metrics import OPEN_STREAMS, observe_push
from learnflow.gateway._records import StreamEvent
from learnflow.gateway._stream import StreamState, in_write_order
from learnflow.gateway._tracing import push_span

log = logging.getLogger(__name__)

RETRY_MS = 1000
"""How long a browser waits before reconnecting a cut stream (EventSource's ``retry:``)."""


def message(event: StreamEvent, cursor: str) -> ServerSentEvent:
    return ServerSentEvent(data=event.data, event=event.event_type, id=cursor)


async def learner_feed(
    user_id: uuid.UUID, resume: Cursor | None, hub: Hub, history: History, *, lookback: int
) -> AsyncIterator[ServerSentEvent]:
    """Every streamed event of ``user_id`` after ``resume`` (or from now on), exactly once, in order."""
    sub = hub.subscribe(user_id)  # first: nothing the hub reads from here on can be missed
    OPEN_STREAMS.inc()
    try:
        partitions = hub.learner_partitions(user_id)
        state = StreamState(resume or Cursor(partitions, sub.start))
        # Headers and a first byte at once: Knative's responseStartTimeoutSeconds, and the
        # browser's onopen, wait for them.
        yield ServerSentEvent(comment="connected", retry=RETRY_MS)
        if resume is not None:
            backlog = []
            for i, topic in enumerate(STREAMED_TOPICS):
                start = max(0, resume.offsets[i] - lookback)
                backlog.append(await history.read(user_id, topic, partitions[i], start, sub.start[i], i))
            for event in in_write_order(backlog):
                cursor = state.accept(event)
                if cursor is not None:
                    with push_span(event, replayed=True):  # the server resumes us once it has written the message
                        yield message(event, cursor)
                    observe_push(event.event_type, event.timestamp_ms, time.time(), replayed=True)
        while True:
            event = await sub.get()
            cursor = state.accept(event)
            if cursor is not None:
                with push_span(event):
                    yield message(event, cursor)
                observe_push(event.event_type, event.timestamp_ms, time.time(), replayed=False)
    except StreamClosed:
        pass  # the response ends cleanly; EventSource reconnects, to another replica if need be
    except StreamOverflow as exc:
        log.warning("stream of %s closed: %s; the browser resumes from its cursor", user_id, exc)
    except (BrokerError, KafkaError, TimeoutError) as exc:
        # Ending the stream is the retry: the browser reconnects with its last id.
        log.warning("stream of %s closed, its history could not be read: %r", user_id, exc)
    finally:
        OPEN_STREAMS.dec()
        hub.unsubscribe(sub)
