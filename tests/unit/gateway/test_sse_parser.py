"""The test SSE parser reads the wire format as a browser does (it judges every stream test)."""

from __future__ import annotations

from ...support.sse import SseMessage, SseParser


def test_events_ids_comments_and_retry_are_read_across_feeds() -> None:
    parser = SseParser()
    assert parser.feed(": connected\r\nretry: 1000\r\n\r\nid: 1.1-2.0\r\nevent: code.exe") == []
    assert parser.feed('cuted\r\ndata: {"a":1}\r\n\r\n') == [SseMessage("code.executed", '{"a":1}', "1.1-2.0")]
    assert parser.comments == ["connected"] and parser.retry_ms == 1000


def test_multi_line_data_and_the_last_id_carry_over() -> None:
    parser = SseParser()
    out = parser.feed("id: 7\ndata: a\ndata: b\n\ndata: c\n\n")
    assert out == [SseMessage("message", "a\nb", "7"), SseMessage("message", "c", "7")]
