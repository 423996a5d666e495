import base64

import pytest

from learnflow.events import KafkaRecord
from learnflow.local._dead_letters import REPLAY_HEADER, DeadLetter, ReplayRefused, check_filter, replay_record


def _letter(code="422", reason="data.code: too long", replays=None, data=b'{"error": "x"}'):
    headers = [
        ("ce_id", b"e-1"),
        ("ce_type", b"code.submitted"),
        ("ce_source", b"/frontend"),
        ("content-type", b"application/json"),
        ("ce_knativeerrordest", b"http://fn/"),
    ]
    if code:
        headers.append(("ce_knativeerrorcode", code.encode()))
    if data:
        headers.append(("ce_knativeerrordata", base64.b64encode(data)))
    if reason:
        headers.append(("ce_reason", reason.encode()))
    if replays is not None:
        headers.append((REPLAY_HEADER, str(replays).encode()))
    return DeadLetter(0, 5, KafkaRecord(b"user-1", b'{"doc": 1}', headers))


def test_decoded_fields():
    d = _letter()
    assert (d.event_id, d.event_type, d.code, d.reason, d.replays) == ("e-1", "code.submitted", "422", "data.code: too long", 0)
    assert d.error_data == '{"error": "x"}'
    assert d.destination == "http://fn/"


def test_reason_falls_back_to_status_or_missing_response():
    assert _letter(reason=None).reason == "HTTP 422"
    assert _letter(code=None, reason=None, data=None).reason.startswith("no response")


@pytest.mark.parametrize(
    "f,expected",
    [
        ("code=422", True),
        ("code=400", False),
        ("reason~TOO LONG", True),
        ("type=code.submitted", True),
        ("key=user-1", True),
        ("id~e-", True),
    ],
)
def test_filters(f, expected):
    assert _letter().matches([f]) is expected


@pytest.mark.parametrize("bad", ["code", "colour=red", "=x"])
def test_bad_filters_are_refused_with_the_accepted_fields(bad):
    with pytest.raises(ValueError, match="FIELD one of id, type, code, reason, key"):
        check_filter(bad)


def test_replay_strips_error_extensions_and_counts():
    record = replay_record(_letter(replays=1))
    names = [k for k, _ in record.headers]
    assert not any(n.startswith("ce_knativeerror") or n == "ce_reason" for n in names)
    assert ("ce_id", b"e-1") in record.headers and (REPLAY_HEADER, b"2") in record.headers
    assert names.count(REPLAY_HEADER) == 1
    assert record.key == b"user-1" and record.value == b'{"doc": 1}'


def test_replay_is_refused_past_the_limit():
    with pytest.raises(ReplayRefused, match="replayed 3 times already"):
        replay_record(_letter(replays=3), max_replays=3)
