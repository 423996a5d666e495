"""Dead letters as operators see them, and the rules for replaying them.

A dead letter is the original event plus Knative's error extensions
(``knativeerrordest``, ``knativeerrorcode``, ``knativeerrordata``; the function's
``kne-reason`` header arrives as ``reason``). A replay writes the original event back
to its topic without those, and counts replays in a ``replaycount`` extension, which
survives delivery and dead-lettering, so an event that keeps failing is refused after
a limit instead of cycling forever.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from learnflow.events import KafkaRecord, LearnflowError

REPLAY_HEADER = "ce_replaycount"
DEFAULT_MAX_REPLAYS = 3
_ERROR_HEADERS = ("ce_knativeerrordest", "ce_knativeerrorcode", "ce_knativeerrordata", "ce_reason")


class ReplayRefused(LearnflowError):
    """A dead letter that must not be replayed again."""


@dataclass(frozen=True)
class DeadLetter:
    partition: int
    offset: int
    record: KafkaRecord

    @property
    def event_id(self) -> str:
        return self.record.header_text("ce_id") or ""

    @property
    def event_type(self) -> str:
        return self.record.header_text("ce_type") or ""

    @property
    def code(self) -> str:
        """The HTTP status of the last attempt, or "" when there was no answer (timeout, refused)."""
        return self.record.header_text("ce_knativeerrorcode") or ""

    @property
    def destination(self) -> str:
        return self.record.header_text("ce_knativeerrordest") or ""

    @property
    def error_data(self) -> str:
        raw = self.record.header_text("ce_knativeerrordata")
        if not raw:
            return ""
        try:
            return base64.b64decode(raw, validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return raw

    @property
    def reason(self) -> str:
        """The function's own reason if it gave one, else what the status says."""
        given = self.record.header_text("ce_reason")
        if given:
            return given
        if not self.code:
            return "no response (timeout or connection error)"
        return f"HTTP {self.code}"

    @property
    def replays(self) -> int:
        try:
            return int(self.record.header_text(REPLAY_HEADER) or 0)
        except ValueError:
            return 0

    def matches(self, filters: list[str]) -> bool:
        return all(_match(self, f) for f in filters)


_FILTER = re.compile(r"^(?P<field>[a-z]+)(?P<op>=|~)(?P<value>.*)$")
FILTER_FIELDS = ("id", "type", "code", "reason", "key")


def check_filter(text: str) -> str:
    """Validate a ``field=value`` (exact) or ``field~text`` (substring) filter."""
    m = _FILTER.match(text)
    if not m or m["field"] not in FILTER_FIELDS:
        raise ValueError(f"bad filter {text!r}: expected FIELD=VALUE or FIELD~TEXT with FIELD one of {', '.join(FILTER_FIELDS)}")
    return text


def _match(letter: DeadLetter, text: str) -> bool:
    m = _FILTER.match(check_filter(text))
    assert m is not None
    key = letter.record.key.decode("utf-8", "replace") if letter.record.key else ""
    actual = {"id": letter.event_id, "type": letter.event_type, "code": letter.code, "reason": letter.reason, "key": key}[
        m["field"]
    ]
    return actual == m["value"] if m["op"] == "=" else m["value"].lower() in actual.lower()


def replay_record(letter: DeadLetter, max_replays: int = DEFAULT_MAX_REPLAYS) -> KafkaRecord:
    """The record to write back to the original topic; ReplayRefused past the limit."""
    if letter.replays >= max_replays:
        raise ReplayRefused(
            f"event {letter.event_id or letter.offset} was replayed {letter.replays} times already (limit {max_replays})"
        )
    headers = [(k, v) for k, v in letter.record.headers if k.lower() not in _ERROR_HEADERS and k.lower() != REPLAY_HEADER]
    headers.append((REPLAY_HEADER, str(letter.replays + 1).encode()))
    return KafkaRecord(letter.record.key, letter.record.value, headers)
