"""The gateway's ASGI app: the learner's stream, submissions and activity, sessions, the page.

    GET  /learners/{userId}/events        SSE: code.executed and help.explanation, resumable
    POST /learners/{userId}/submissions   {exerciseId, code, language} -> code-submitted, 202
    POST /learners/{userId}/activity      {eventType, exerciseId, duration, attempts} -> learning-events, 202
    GET  /exercises                       the catalogue without hidden values (_exercises.py)
    GET  /session                         who the token speaks for
    POST /session                         the session cookie: of a minted token (dev sessions, the
                                          laptop) or of the provider's Bearer token (a cluster)
    GET  /                                the learner page (static files shipped in this package)
    GET  /healthz, /readyz                liveness; readiness once the Kafka reader stands at the end
    GET  /metrics                         Prometheus: streams, pushes, push latency, refusals, publishes

Each learner is bounded (``_limits``): open streams and submissions beyond the bounds
are answered 429 with the reason, bodies past the size bound 413. A frontend on another
origin is served CORS only if its origin is configured, with credentials.

``create_app`` does no I/O: the Kafka reader, the history readers and the publisher come
to life in the app's lifespan, and stop with it; the provider's keys are fetched at the
first token.
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
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from learnflow.events import Envelope, FieldError, InvalidEvent, PublishError
from learnflow.gateway._auth import COOKIE, Verifier, authenticated, authorized, presented_token, token_expiry, verifier_for
from learnflow.gateway._cursor import Cursor, InvalidCursor
from learnflow.gateway._exercises import exercise_list
from learnflow.gateway._feed import learner_feed
from learnflow.gateway._history import History
from learnflow.gateway._http import Refusal, json_body
from learnflow.gateway._hub import Hub
from learnflow.gateway._limits import LearnerLimits, LimitPolicy, LimitReached, StreamLease
from learnflow.gateway._metrics import REFUSALS, SUBMISSIONS_PUBLISHED
from learnflow.gateway._metrics_endpoint import metrics_endpoint
from learnflow.gateway._records import StreamEvent
from learnflow.gateway._requests import activity, submission
from learnflow.gateway._settings import GatewaySettings, gateway_settings
from learnflow.gateway._tokens import mint_token
from learnflow.gateway._tracing import traced
from learnflow.serverless import KafkaSettings, Publisher, configure_tracing, kafka_settings

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
    verifier: Verifier = field(init=False)
    limits: LearnerLimits = field(init=False)
    closing: anyio.Event = field(init=False)  # set by sse-starlette when the server shuts down
    _watcher: asyncio.Task[None] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.hub = Hub(self.kafka, buffer=self.settings.stream_buffer)
        self.history = History(self.kafka, readers=self.settings.history_readers)
        self.publisher = Publisher(PRODUCER, settings=self.kafka)
        self.verifier = verifier_for(self.settings)
        s = self.settings
        policy = LimitPolicy(
            streams=s.max_streams,
            in_flight=s.max_in_flight,
            per_minute=s.max_per_minute,
            in_flight_ceiling_s=s.in_flight_ceiling_s,
        )
        self.limits = LearnerLimits(policy)
        self.hub.on_event = self._observe

    def _observe(self, event: StreamEvent) -> None:
        if event.submission_id is not None:
            self.limits.executed(event.submission_id)

    @property
    def key(self) -> str:
        return self.settings.jwt_key.get_secret_value()

    def limited(self, exc: LimitReached) -> Refusal:
        """A reached limit as the learner reads it: 429, the reason, and when to retry if known."""
        headers = {"Retry-After": str(exc.retry_after_s)} if exc.retry_after_s is not None else None
        extra: dict[str, Any] = {"limit": exc.limit}
        if exc.retry_after_s is not None:
            extra["retryAfter"] = exc.retry_after_s
        return Refusal(429, "too_many_requests", exc.reason, extra=extra, headers=headers)

    async def start(self) -> None:
        configure_tracing(PRODUCER)
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
        SUBMISSIONS_PUBLISHED.labels(event.event_type).inc()
        return JSONResponse({"eventId": str(event.event_id)}, status_code=202)


Handler = Callable[[Request, Gateway], Awaitable[Response]]


def _endpoint(gateway: Gateway, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request, gateway)
        except Refusal as refusal:
            REFUSALS.labels(str(refusal.status)).inc()
            return refusal.response()

    return endpoint


class LeasedEventSourceResponse(EventSourceResponse):
    """A stream that gives its learner's stream slot back when it ends, however it ends.

    Released here rather than in the feed: a generator that never started (the client
    left at once) would never run its ``finally``.
    """

    def __init__(self, lease: StreamLease, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lease = lease

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.lease.release()


async def events(request: Request, gw: Gateway) -> Response:
    learner = await authorized(request, gw.verifier, gw.clock())
    if not gw.hub.ready.is_set():
        raise Refusal(503, "not_ready", "the gateway is still finding the end of its topics")
    # EventSource resends the last id it saw as Last-Event-ID; a page that reconnects by
    # itself (after a refused request closed the EventSource) passes it in the query.
    text = request.headers.get("last-event-id", "").strip() or request.query_params.get("lastEventId", "").strip()
    try:
        resume = Cursor.decode(text, gw.hub.learner_partitions(learner)) if text else None
    except InvalidCursor as exc:
        raise Refusal(400, "invalid_request", f"Last-Event-ID: {exc}", [FieldError("Last-Event-ID", str(exc))]) from None
    try:
        lease = gw.limits.open_stream(learner)  # last: nothing below can fail and leave it held
    except LimitReached as exc:
        raise gw.limited(exc) from None
    feed = learner_feed(learner, resume, gw.hub, gw.history, lookback=gw.settings.dedup_lookback)
    return LeasedEventSourceResponse(
        lease,
        feed,
        ping=gw.settings.keepalive_s,
        headers={"Cache-Control": "no-store"},
        shutdown_event=gw.closing,
        shutdown_grace_period=2.0,
    )


async def _event_from(request: Request, gw: Gateway, build: Callable[[uuid.UUID, Any], Envelope]) -> Envelope:
    """Authorize the learner and build their seed document from the body, or refuse."""
    learner = await authorized(request, gw.verifier, gw.clock())
    body = await json_body(request, limit=gw.settings.max_body_bytes)
    try:
        return build(learner, body)
    except InvalidEvent as exc:
        raise Refusal.invalid(exc) from None


async def submissions(request: Request, gw: Gateway) -> Response:
    event = await _event_from(request, gw, submission)
    try:
        gw.limits.admit(event.user_id, event.event_id, gw.clock())  # counted before it is published
    except LimitReached as exc:
        raise gw.limited(exc) from None
    try:
        return await gw.publish(event)
    except Refusal:
        gw.limits.withdraw(event.event_id)  # the learner was told it failed: it counts for nothing
        raise


async def activities(request: Request, gw: Gateway) -> Response:
    return await gw.publish(await _event_from(request, gw, activity))


async def whoami(request: Request, gw: Gateway) -> Response:
    """The token's learner; a 401 also says whether ``POST /session`` would mint one."""
    try:
        learner = await authenticated(request, gw.verifier, gw.clock())
    except Refusal as refusal:
        refusal.extra["devSessions"] = gw.settings.dev_sessions
        raise
    return JSONResponse({"userId": str(learner)})


def _with_cookie(response: Response, token: str, max_age: int, settings: GatewaySettings) -> Response:
    """The session cookie: HttpOnly (no script reads it), Secure unless on the laptop's plain HTTP,
    SameSite as configured (Strict by default), host-only (no Domain), Path=/, and no longer
    than the token it holds."""
    response.set_cookie(
        COOKIE,
        token,
        max_age=max(0, max_age),
        path="/",
        httponly=True,
        samesite=settings.cookie_samesite,
        secure=settings.cookie_secure,
    )
    return response


async def new_session(request: Request, gw: Gateway) -> Response:
    if gw.settings.oidc:
        return await _provider_session(request, gw)
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
    return _with_cookie(JSONResponse({"userId": str(learner), "token": token}), token, ttl, gw.settings)


async def _provider_session(request: Request, gw: Gateway) -> Response:
    """The provider's token, sent once as a Bearer header, kept as the session cookie.

    A browser's EventSource sends no headers, only cookies: a frontend (of any configured
    origin) posts the learner's token here, then opens the stream with credentials.
    """
    if not request.headers.get("authorization", "").lower().startswith("bearer "):
        raise Refusal(401, "unauthorized", "send the identity provider's token as Authorization: Bearer <token>")
    now = gw.clock()
    learner = await authenticated(request, gw.verifier, now)
    token = presented_token(request)
    assert token is not None  # authenticated() refuses a request without one
    expiry = token_expiry(token)
    max_age = int((expiry if expiry is not None else now) - now)
    return _with_cookie(JSONResponse({"userId": str(learner)}), token, max_age, gw.settings)


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
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        route("/exercises", exercise_list(gw.settings.exercises), ["GET"]),
        route("/session", whoami, ["GET"]),
        route("/session", new_session, ["POST"]),
        route("/learners/{user_id}/events", events, ["GET"]),
        route("/learners/{user_id}/submissions", traced(submissions), ["POST"]),
        route("/learners/{user_id}/activity", traced(activities), ["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = []
    if gw.settings.allowed_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=gw.settings.allowed_origins,  # an explicit list: never a reflected "*"
                allow_credentials=True,  # the session cookie, on the stream and on POSTs
                allow_methods=["GET", "POST"],
                # Authorization is never covered by a wildcard; Last-Event-ID for a fetch()-based reader.
                allow_headers=["Authorization", "Content-Type", "Last-Event-ID"],
                expose_headers=["Retry-After"],  # so a page on another origin can say when to retry
                max_age=600,
            )
        )
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.gateway = gw
    return app
