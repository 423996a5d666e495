"""The fuzz strategies draw only requests a client can send (else a failure says nothing of the function)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ..support.fuzzing import examples
from .strategies import FuzzRequest, header_value, http_requests, mutated_requests, sendable


@settings(max_examples=examples(300), deadline=None)
@given(request=st.one_of(http_requests(), mutated_requests()))
def test_every_drawn_request_can_be_sent(request: FuzzRequest) -> None:
    assert sendable(request.headers), request


def test_a_value_no_client_sends_is_replaced() -> None:
    # The case that failed CI by chance: a mutated eventType of one space became ``ce-type: b' '``.
    for refused in (" ", "a\nb", "\x00", "x ", "\tx"):
        assert header_value(refused) == b"fuzz", repr(refused)
    assert header_value("code.submitted") == b"code.submitted"
    assert header_value("a b") == b"a b"
