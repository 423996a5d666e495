"""Who a request speaks for, and whether that learner may use the path it names.

A token is accepted as ``Authorization: Bearer <token>`` or, because a browser's
EventSource cannot set headers, in an HttpOnly cookie that page scripts cannot read.
"""

from __future__ import annotations

import uuid

from starlette.requests import Request

from learnflow.events import FieldError
from learnflow.gateway._http import Refusal
from learnflow.gateway._tokens import TokenRefused, verify_token

COOKIE = "learnflow_token"


def presented_token(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.cookies.get(COOKIE) or None


def authenticated(request: Request, key: str, now: float) -> uuid.UUID:
    """The learner the request's token names; Refusal 401 without a valid one."""
    try:
        return verify_token(presented_token(request), key, now=now)
    except TokenRefused as exc:
        raise Refusal(401, "unauthorized", exc.reason) from None


def authorized(request: Request, key: str, now: float) -> uuid.UUID:
    """The learner of ``/learners/{userId}/...`` if the token is theirs: 401, then 400, then 403."""
    learner = authenticated(request, key, now)
    raw = request.path_params["user_id"]
    try:
        wanted = uuid.UUID(raw)
    except ValueError:
        raise Refusal(400, "invalid_request", "userId in the path is not a UUID", [FieldError("userId", "not a UUID")]) from None
    if wanted != learner:
        raise Refusal(403, "forbidden", "a learner reads and writes only their own stream")
    return learner
