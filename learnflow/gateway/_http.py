"""The HTTP edge's small parts: JSON answers, refusals, reading a bounded JSON body."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from learnflow.events import FieldError, InvalidEvent

MAX_BODY_BYTES = 256 * 1024
"""The default bound (``LEARNFLOW_GATEWAY_MAX_BODY_BYTES``): four times the largest submission
(64 KiB of code, which JSON escaping can grow). Anything bigger is not a learner's work."""


class Refusal(Exception):
    """A request answered with an error status and a JSON body saying why."""

    def __init__(
        self,
        status: int,
        error: str,
        reason: str,
        fields: list[FieldError] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.error = error
        self.reason = reason
        self.fields = fields or []
        self.extra = extra or {}
        self.headers = headers or {}

    @classmethod
    def invalid(cls, exc: InvalidEvent) -> Refusal:
        return cls(400, "invalid_request", exc.reason, exc.errors)

    def response(self) -> JSONResponse:
        body: dict[str, Any] = {"error": self.error, "reason": self.reason}
        if self.fields:
            body["fields"] = [{"path": f.path, "reason": f.reason} for f in self.fields]
        body.update(self.extra)
        headers = dict(self.headers)
        if self.status == 401:
            headers["WWW-Authenticate"] = 'Bearer realm="learnflow"'
        return JSONResponse(body, status_code=self.status, headers=headers or None)


def _too_large(size: str, limit: int) -> Refusal:
    return Refusal(
        413, "too_large", f"the body is {size} bytes, more than the {limit} a learner may send", extra={"limit": limit}
    )


async def json_body(request: Request, *, limit: int = MAX_BODY_BYTES, optional: bool = False) -> Any:
    """The request's JSON body; Refusal 415 for another media type, 413 past ``limit``, 400 if not JSON.

    The bound holds whether or not a Content-Length is sent: a chunked body is refused once
    it passes ``limit``, before the rest is read. Requiring application/json also keeps other
    sites out: a cross-site form cannot send it without a CORS preflight, which this gateway
    grants only to the origins configured.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(declared, limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(f"more than {limit}", limit)
        chunks.append(chunk)
    body = b"".join(chunks)
    if optional and not body:
        return None
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise Refusal(415, "unsupported_media_type", f"send application/json, not {media or 'nothing'!r}")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Refusal(400, "invalid_request", f"the body is not JSON: {exc}", [FieldError("<body>", "not JSON")]) from None
