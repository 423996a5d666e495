"""The gateway's ASGI app: the learner's stream, submissions and activity, sessions, the page.

    GET  /learners/{userId}/events        SSE: code.executed and help.explanation, resumable
    POST /learners/{userId}/submissions   {exerciseId, code, language} -> code-submitted, 202
    POST /learners/{userId}/activity      {eventType, exerciseId, duration, attempts} -> learning-events, 202
    GET  /exercises                       the catalogue without hidden values (_exercises.py)
    GET  /session                         who the token speaks for
    POST /session                         a token for a (new) learner; only with dev sessions on
    GET  /                                the learner page (static files shipped in this package)
    GET  /healthz, /readyz                liveness; readiness once the Kafka reader stands at the end

``create_app`` does no I/O: the Kafka reader, the history readers and the publisher come
to life in the app's lifespan, and stop with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from sse_starlette import EventSourceResponse
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from learnflow.events import Envelope, FieldError, InvalidEvent, PublishError
from learnflow.gateway._auth import COOKIE, authenticated, authorized
from learnflow.gateway._cursor import Cursor, InvalidCursor
from learnflow.gateway._exercises import exercise_list
from learnflow.gateway._feed import learner_feed
from learnflow.gateway._history import History
from learnflow.gateway._http import Refusal, json_body
from learnflow.gateway._hub import Hub
from learnflow.gateway._requests import activity, submission
from learnflow.gateway._settings import GatewaySettings, gateway_settings
from learnflow.gateway._tokens import mint_token
from learnflow.serverless import KafkaSettings, Publisher, kafka_settings

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
PRODUCER = "gateway"
# The page runs only its own files: nothing inline, nothing from elsewhere. What comes
# from events is set as text by the page; this is the second line of defence.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


@dataclass
class Gateway:
    """The parts one gateway process runs, built by ``create_app``, started by its lifespan."""

    settings: GatewaySettings
    kafka: KafkaSettings
    clock: Callable[[], float] = time.time
    hub: Hub = field(init=False)
    history: History = field(init=False)
    publisher: Publisher = field(init=False)
    closing: anyio.Event = field(init=False)  # set by sse-starlette when the server shuts down
    _watcher: asyncio.Task[None] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.hub = Hub(self.kafka, buffer=self.settings.stream_buffer)
        self.history = History(self.kafka, readers=self.settings.history_readers)
        self.publisher = Publisher(PRODUCER, settings=self.kafka)

    @property
    def key(self) -> str:
        return self.settings.jwt_key.get_secret_value()

    async def start(self) -> None:
        self.closing = anyio.Event()
        await self.hub.start()
        self._watcher = asyncio.create_task(self._end_streams_on_shutdown(), name="gateway-shutdown")

    async def _end_streams_on_shutdown(self) -> None:
        # Streams end with a proper last chunk, not a cut connection, within the grace period.
        await self.closing.wait()
        self.hub.close_streams()

    async def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
        await self.hub.stop()
        await self.history.close()
        await asyncio.to_thread(self.publisher.close)

    async def publish(self, event: Envelope) -> JSONResponse:
        try:
            # kafka-python blocks until the broker acknowledges: off the event loop.
            await asyncio.to_thread(self.publisher.publish, event)
        except PublishError as exc:
            log.error("publishing %s: %s", event.event_type, exc)
            raise Refusal(503, "kafka_unavailable", str(exc)) from None
        return JSONResponse({"eventId": str(event.event_id)}, status_code=202)


Handler = Callable[[Request, Gateway], Awaitable[Response]]


def _endpoint(gateway: Gateway, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request, gateway)
        except Refusal as refusal:
            return refusal.response()

    return endpoint


async def events(request: Request, gw: Gateway) -> Response:
    learner = authorized(request, gw.key, gw.clock())
    if not gw.hub.ready.is_set():
        raise Refusal(503, "not_ready", "the gateway is still finding the end of its topics")
    # EventSource resends the last id it saw as Last-Event-ID; a page that reconnects by
    # itself (after a refused request closed the EventSource) passes it in the query.
    text = request.headers.get("last-event-id", "").strip() or request.query_params.get("lastEventId", "").strip()
    try:
        resume = Cursor.decode(text, gw.hub.learner_partitions(learner)) if text else None
    except InvalidCursor as exc:
        raise Refusal(400, "invalid_request", f"Last-Event-ID: {exc}", [FieldError("Last-Event-ID", str(exc))]) from None
    feed = learner_feed(learner, resume, gw.hub, gw.history, lookback=gw.settings.dedup_lookback)
    return EventSourceResponse(
        feed,
        ping=gw.settings.keepalive_s,
        headers={"Cache-Control": "no-store"},
        shutdown_event=gw.closing,
        shutdown_grace_period=2.0,
    )


async def _publish_from(request: Request, gw: Gateway, build: Callable[[uuid.UUID, Any], Envelope]) -> Response:
    """Authorize the learner, build their seed document from the body, publish it: 202 or a refusal."""
    learner = authorized(request, gw.key, gw.clock())
    body = await json_body(request)
    try:
        event = build(learner, body)
    except InvalidEvent as exc:
        raise Refusal.invalid(exc) from None
    return await gw.publish(event)


async def submissions(request: Request, gw: Gateway) -> Response:
    return await _publish_from(request, gw, submission)


async def activities(request: Request, gw: Gateway) -> Response:
    return await _publish_from(request, gw, activity)


async def whoami(request: Request, gw: Gateway) -> Response:
    """The token's learner; a 401 also says whether ``POST /session`` would mint one."""
    try:
        learner = authenticated(request, gw.key, gw.clock())
    except Refusal as refusal:
        refusal.extra["devSessions"] = gw.settings.dev_sessions
        raise
    return JSONResponse({"userId": str(learner)})


async def new_session(request: Request, gw: Gateway) -> Response:
    if not gw.settings.dev_sessions:
        raise Refusal(404, "not_found", "sessions are minted by the platform's login, not by this gateway")
    body = await json_body(request, optional=True)
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise Refusal(400, "invalid_request", "expected a JSON object", [FieldError("<body>", "expected a JSON object")])
    raw = body.get("userId")
    try:
        learner = uuid.uuid4() if raw is None else uuid.UUID(str(raw))
    except ValueError:
        raise Refusal(400, "invalid_request", "userId is not a UUID", [FieldError("userId", "not a UUID")]) from None
    ttl = gw.settings.token_ttl_s
    token = mint_token(learner, gw.key, now=gw.clock(), ttl_s=ttl)
    response = JSONResponse({"userId": str(learner), "token": token})
    response.set_cookie(COOKIE, token, max_age=ttl, path="/", httponly=True, samesite="strict", secure=gw.settings.cookie_secure)
    return response


async def page(request: Request, gw: Gateway) -> Response:
    return FileResponse(STATIC / "index.html", headers=PAGE_HEADERS)


async def healthz(request: Request, gw: Gateway) -> Response:
    if gw.hub.failed:
        return PlainTextResponse("the Kafka reader stopped", status_code=503)
    return PlainTextResponse("ok")


async def readyz(request: Request, gw: Gateway) -> Response:
    if gw.hub.ready.is_set():
        return PlainTextResponse("ready")
    return PlainTextResponse("starting", status_code=503)


def create_app(
    settings: GatewaySettings | None = None, kafka: KafkaSettings | None = None, *, clock: Callable[[], float] = time.time
) -> Starlette:
    """The gateway as an ASGI app; settings default to the environment (read now, failing fast)."""
    gw = Gateway(settings or gateway_settings(), kafka or kafka_settings(), clock)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await gw.start()
        try:
            yield
        finally:
            await gw.stop()

    def route(path: str, handler: Handler, methods: list[str]) -> Route:
        return Route(path, _endpoint(gw, handler), methods=methods)

    routes = [
        route("/", page, ["GET"]),
        route("/healthz", healthz, ["GET"]),
        route("/readyz", readyz, ["GET"]),
        route("/exercises", exercise_list(), ["GET"]),
        route("/session", whoami, ["GET"]),
        route("/session", new_session, ["POST"]),
        route("/learners/{user_id}/events", events, ["GET"]),
        route("/learners/{user_id}/submissions", submissions, ["POST"]),
        route("/learners/{user_id}/activity", activities, ["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.gateway = gw
    return app
