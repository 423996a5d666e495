"""The learner gateway: the frontend's door to the backbone (DESIGN §4, "The learner's side").

A long-lived ASGI service, deployed as its own Knative Service: it takes submissions and
activity over HTTP and publishes them, and streams each learner's ``code.executed`` and
``help.explanation`` over Server-Sent Events, resumable with ``Last-Event-ID``, to that
learner only. It also serves the learner page. Imports ``learnflow.events`` and
``learnflow.serverless`` only. Internals live in private modules; this face is the API.
"""

from __future__ import annotations

from learnflow.gateway._app import Gateway, create_app
from learnflow.gateway._auth import COOKIE
from learnflow.gateway._cursor import STREAMED, STREAMED_TOPICS, Cursor, InvalidCursor, learner_partitions
from learnflow.gateway._jwks import JwksKeys, KeyCache, KeysUnavailable
from learnflow.gateway._limits import LearnerLimits, LimitPolicy, LimitReached
from learnflow.gateway._oidc import OidcVerifier, learner_id
from learnflow.gateway._records import StreamEvent, stream_event
from learnflow.gateway._requests import activity, submission
from learnflow.gateway._serve import main, serve
from learnflow.gateway._settings import GatewaySettings, gateway_settings
from learnflow.gateway._stream import RecentIds, StreamState, in_write_order
from learnflow.gateway._tokens import TokenRefused, mint_token, verify_token
from learnflow.serverless import partition_for

__all__ = [
    "COOKIE",
    "STREAMED",
    "STREAMED_TOPICS",
    "Cursor",
    "Gateway",
    "GatewaySettings",
    "InvalidCursor",
    "JwksKeys",
    "KeyCache",
    "KeysUnavailable",
    "LearnerLimits",
    "LimitPolicy",
    "LimitReached",
    "OidcVerifier",
    "RecentIds",
    "StreamEvent",
    "StreamState",
    "TokenRefused",
    "activity",
    "create_app",
    "gateway_settings",
    "in_write_order",
    "learner_id",
    "learner_partitions",
    "main",
    "mint_token",
    "partition_for",
    "serve",
    "stream_event",
    "submission",
    "verify_token",
]
