"""The HTTP edge's small parts: JSON answers, refusals, reading a bounded JSON body."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from learnflow.events import FieldError, InvalidEvent

MAX_BODY_BYTES = 256 * 1024
"""Four times the largest submission (64 KiB of code, which JSON escaping can grow): anything
bigger is not a learner's work, and is refused before it is read."""


class Refusal(Exception):
    """A request answered with an error status and a JSON body saying why."""

    def __init__(
        self, status: int, error: str, reason: str, fields: list[FieldError] | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.error = error
        self.reason = reason
        self.fields = fields or []
        self.extra = extra or {}

    @classmethod
    def invalid(cls, exc: InvalidEvent) -> Refusal:
        return cls(400, "invalid_request", exc.reason, exc.errors)

    def response(self) -> JSONResponse:
        body: dict[str, Any] = {"error": self.error, "reason": self.reason}
        if self.fields:
            body["fields"] = [{"path": f.path, "reason": f.reason} for f in self.fields]
        body.update(self.extra)
        headers = {"WWW-Authenticate": 'Bearer realm="learnflow"'} if self.status == 401 else None
        return JSONResponse(body, status_code=self.status, headers=headers)


async def json_body(request: Request, *, optional: bool = False) -> Any:
    """The request's JSON body; Refusal 415 for another media type, 413 if too big, 400 if not JSON.

    Requiring application/json also keeps other sites out: a cross-site form cannot send it
    without a CORS preflight, which this gateway never grants.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise Refusal(413, "too_large", f"the body is {declared} bytes; at most {MAX_BODY_BYTES}")
    body = await request.body()
    if optional and not body:
        return None
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise Refusal(415, "unsupported_media_type", f"send application/json, not {media or 'nothing'!r}")
    if len(body) > MAX_BODY_BYTES:
        raise Refusal(413, "too_large", f"the body is {len(body)} bytes; at most {MAX_BODY_BYTES}")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Refusal(400, "invalid_request", f"the body is not JSON: {exc}", [FieldError("<body>", "not JSON")]) from None
