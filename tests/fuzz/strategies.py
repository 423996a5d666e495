"""Hypothesis strategies for hostile input: HTTP requests into a function, records onto a topic.

Everything here is data, built from the seed documents: a mix of the well-formed (so the
success path is exercised too), the mutated (wrong types, missing fields, huge strings,
deep nesting) and the plain garbage (random bytes, bad UTF-8, junk CloudEvent attributes).

Every HTTP request drawn here is one a client can actually send: a header value is checked
with h11 (httpx's own HTTP/1.1 layer) where it is drawn, and one h11 would refuse (a lone
space, a line break, a NUL) is replaced by a harmless value rather than drawn again, so the
search never stalls on it. A test that failed inside the client would say nothing about the
function: the request never reached it. ``test_strategies.py`` checks that this holds.
"""

from __future__ import annotations

import base64
import copy
import json
from dataclasses import dataclass, field
from typing import Any

import h11
from hypothesis import strategies as st

from ..support.seed import SEED_TOPICS, seed_document

SEED_NAMES = sorted(SEED_TOPICS)
STRUCTURED = "application/cloudevents+json"
CE_ATTRIBUTES = ("specversion", "id", "type", "source", "time", "subject", "datacontenttype", "dataschema", "partitionkey")
HUGE = 300_000  # characters: far past every contract limit, still quick over loopback and under Kafka's 1 MB

# -- JSON values ------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
# Deep enough to blow json's recursion limit at the top end, shallow enough to parse at the bottom.
nesting_depths = st.sampled_from([50, 900, 5_000, 100_000])


def nested(depth: int, leaf: Any = 0) -> str:
    """``[[[...leaf...]]]`` as JSON text, without building the Python object (it would not fit the stack)."""
    return "[" * depth + json.dumps(leaf) + "]" * depth


# -- seed documents, mutated -------------------------------------------------------------


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path in a document, parents before children."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((*prefix, k))
            out.extend(_paths(v, (*prefix, k)))
    return out


@st.composite
def mutated_documents(draw: st.DrawFn, names: list[str] = SEED_NAMES) -> dict[str, Any]:
    """A seed document with one to three fields deleted, retyped, made huge, or swapped for junk."""
    doc = copy.deepcopy(seed_document(draw(st.sampled_from(names))))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        if not paths:
            break
        *parents, leaf = draw(st.sampled_from(paths))
        node = doc
        for p in parents:
            node = node[p]
        action = draw(st.sampled_from(["delete", "junk", "huge", "wrong-type", "extra"]))
        if action == "delete":
            del node[leaf]
        elif action == "junk":
            node[leaf] = draw(json_values)
        elif action == "huge":
            node[leaf] = "x" * HUGE
        elif action == "wrong-type":
            value = node[leaf]
            node[leaf] = [value] if not isinstance(value, list) else {"v": value}
        else:
            node[draw(st.text(min_size=1, max_size=12))] = draw(json_values)
    return doc


def _encode(doc: Any) -> bytes:
    return json.dumps(doc).encode()


@st.composite
def bad_utf8(draw: st.DrawFn) -> bytes:
    """A seed document with bytes that are not UTF-8 spliced into it."""
    raw = _encode(seed_document(draw(st.sampled_from(SEED_NAMES))))
    at = draw(st.integers(0, len(raw)))
    junk = draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80"]))
    return raw[:at] + junk + raw[at:]


def document_bodies() -> st.SearchStrategy[bytes]:
    """A seed document, good or bad, as the bytes a binary-mode body or a record value carries."""
    return st.one_of(
        st.sampled_from(SEED_NAMES).map(lambda n: _encode(seed_document(n))),
        mutated_documents().map(_encode),
        json_values.map(_encode),
        bad_utf8(),
        st.binary(max_size=300),
        nesting_depths.map(lambda d: nested(d).encode()),
        st.just(b""),
    )


# -- CloudEvent attributes ----------------------------------------------------------------

# What h11 lets through as a header value: visible ASCII and obs-text bytes, spaces inside only.
_HEADER_BYTES = st.binary(min_size=1, max_size=40).map(lambda b: bytes(c if 0x21 <= c <= 0x7E or c >= 0x80 else 0x41 for c in b))


def attribute_values(name: str, seed: dict[str, Any]) -> st.SearchStrategy[bytes]:
    """A good value for ``name`` (from the seed document), or junk bytes."""
    good = {
        "specversion": b"1.0",
        "id": str(seed.get("eventId", "x")).encode(),
        "type": str(seed.get("eventType", "x")).encode(),
        "source": b"/fuzz",
        "time": b"2026-01-27T10:00:00Z",
        "datacontenttype": b"application/json",
        "partitionkey": str(seed.get("userId", "u")).encode(),
    }.get(name, b"fuzz")
    return st.one_of(st.just(good), _HEADER_BYTES, st.sampled_from([b"0.3", b"2.0", b"not-a-time", b"\xff\xfe"]))


@st.composite
def ce_attribute_sets(draw: st.DrawFn, seed: dict[str, Any]) -> dict[str, bytes]:
    """Any subset of the CloudEvent attributes (required ones included), each good or junk."""
    chosen = draw(st.lists(st.sampled_from(CE_ATTRIBUTES), unique=True, max_size=len(CE_ATTRIBUTES)))
    # Bias towards complete events, so the function's own validation is reached often.
    if draw(st.booleans()):
        chosen = sorted(set(chosen) | {"specversion", "id", "type", "source"})
    attrs = {name: draw(attribute_values(name, seed)) for name in chosen}
    for _ in range(draw(st.integers(0, 2))):  # extensions, some with names no spec allows
        attrs[draw(st.sampled_from(["ext", "Bad_Name", "x" * 30, "übung", "a b"]))] = draw(_HEADER_BYTES)
    return attrs


# -- HTTP requests into a function ---------------------------------------------------------


def sendable(headers: dict[str, bytes]) -> bool:
    """Whether an HTTP/1.1 client can put these headers on the wire (h11 validates as it sends)."""
    try:
        h11.Request(method="POST", target="/", headers=[("host", "fuzz"), *headers.items()])
    except h11.LocalProtocolError:
        return False
    return True


def header_value(text: str, fallback: bytes = b"fuzz") -> bytes:
    """``text`` as a header value if a client can send it as one, else ``fallback``."""
    value = text.encode()
    return value if sendable({"x-value": value}) else fallback


@dataclass(frozen=True)
class FuzzRequest:
    kind: str
    headers: dict[str, bytes]
    body: bytes

    def __repr__(self) -> str:  # shown when a property fails: enough to reproduce by hand
        return f"FuzzRequest({self.kind}, headers={self.headers!r}, body={self.body[:300]!r}... ({len(self.body)} bytes))"


_HTTP_NAME = st.from_regex(r"\A[a-z][a-z0-9]{0,11}\Z")


@st.composite
def binary_requests(draw: st.DrawFn) -> FuzzRequest:
    seed = seed_document(draw(st.sampled_from(SEED_NAMES)))
    headers: dict[str, bytes] = {}
    for name, value in draw(ce_attribute_sets(seed)).items():
        if name == "datacontenttype":
            headers["content-type"] = value
        elif all(c.isascii() and (c.isalnum() or c in "-_") for c in name):  # HTTP names must be tokens
            headers[f"ce-{name}"] = value
    return FuzzRequest("binary", headers, draw(document_bodies()))


@st.composite
def structured_envelopes(draw: st.DrawFn) -> dict[str, Any]:
    """A structured-mode envelope: attributes of any JSON type, data / data_base64 good or bad."""
    seed = seed_document(draw(st.sampled_from(SEED_NAMES)))
    envelope: dict[str, Any] = {}
    for name, value in draw(ce_attribute_sets(seed)).items():
        envelope[name] = draw(st.one_of(st.just(value.decode("utf-8", "replace")), json_values))
    how = draw(st.sampled_from(["data", "data-mutated", "data-junk", "base64", "base64-junk", "none"]))
    if how == "data":
        envelope["data"] = seed
    elif how == "data-mutated":
        envelope["data"] = draw(mutated_documents())
    elif how == "data-junk":
        envelope["data"] = draw(json_values)
    elif how == "base64":
        envelope["data_base64"] = base64.b64encode(draw(document_bodies())).decode()
    elif how == "base64-junk":
        envelope["data_base64"] = draw(json_values | st.text(max_size=20))
    return envelope


@st.composite
def structured_requests(draw: st.DrawFn) -> FuzzRequest:
    body = draw(
        st.one_of(
            structured_envelopes().map(_encode),
            json_values.map(_encode),  # a structured content type over JSON of the wrong shape
            st.binary(max_size=200),
            nesting_depths.map(lambda d: nested(d, {"specversion": "1.0"}).encode()),
            structured_envelopes().map(lambda e: _encode(e)[: max(1, len(_encode(e)) // 2)]),  # truncated
        )
    )
    content_type = draw(
        st.sampled_from(
            [STRUCTURED.encode(), b"application/cloudevents+json; charset=utf-8", b"application/cloudevents-batch+json"]
        )
    )
    return FuzzRequest("structured", {"content-type": content_type}, body)


@st.composite
def plain_requests(draw: st.DrawFn) -> FuzzRequest:
    """No CloudEvent at all: random headers, any body."""
    headers = draw(st.dictionaries(_HTTP_NAME, _HEADER_BYTES, max_size=3))
    headers.pop("content-length", None)
    if draw(st.booleans()):
        headers["content-type"] = draw(st.sampled_from([b"application/json", b"text/plain", b"\xff/\xfe"]))
    return FuzzRequest("plain", headers, draw(document_bodies()))


@st.composite
def mutated_requests(draw: st.DrawFn) -> FuzzRequest:
    """A well-formed binary-mode event around a mutated seed document: only the document is at fault."""
    document = draw(mutated_documents())
    event_type = document.get("eventType")
    # KafkaSource copies ce_type from the producer's short header, never from a huge field; a
    # mutated eventType such as " " is no header value at all, so the event says "fuzz" instead.
    ce_type = header_value(event_type) if isinstance(event_type, str) and len(event_type) < 100 else b"fuzz"
    headers = {
        "ce-specversion": b"1.0",
        "ce-id": b"fuzz-1",
        "ce-source": b"/fuzz",
        "content-type": b"application/json",
        "ce-type": ce_type,
    }
    return FuzzRequest("mutated", headers, _encode(document))


def http_requests() -> st.SearchStrategy[FuzzRequest]:
    return st.one_of(binary_requests(), structured_requests(), plain_requests())


# -- Kafka records --------------------------------------------------------------------------


@dataclass
class FuzzRecord:
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]] = field(default_factory=list)

    def __repr__(self) -> str:
        value = None if self.value is None else self.value[:200]
        return f"FuzzRecord(key={self.key!r}, value={value!r}, headers={self.headers!r})"


_HEADER_NAMES = st.one_of(
    st.sampled_from([f"ce_{a}" for a in CE_ATTRIBUTES] + ["content-type", "ce_", "CE_ID", "ce_übung", "ce_a b", "traceparent"]),
    st.text(min_size=1, max_size=12),
)
_ANY_BYTES = st.one_of(_HEADER_BYTES, st.binary(max_size=40), st.just(b"\xff\xfe\x00"))


@st.composite
def kafka_records(draw: st.DrawFn) -> FuzzRecord:
    mode = draw(st.sampled_from(["binary", "structured", "plain"]))
    seed = seed_document(draw(st.sampled_from(SEED_NAMES)))
    headers: list[tuple[str, bytes]] = []
    if mode == "binary":
        headers = [(f"ce_{n}" if n != "datacontenttype" else "content-type", v) for n, v in draw(ce_attribute_sets(seed)).items()]
        if not any(n == "ce_specversion" for n, _ in headers):
            headers.append(("ce_specversion", b"1.0"))  # what makes it binary mode
        value = draw(st.one_of(document_bodies(), st.none()))
    elif mode == "structured":
        headers = [("content-type", draw(st.sampled_from([STRUCTURED.encode(), b"application/cloudevents+json; charset=utf-8"])))]
        value = draw(st.one_of(structured_envelopes().map(_encode), st.binary(max_size=100), st.none(), st.just(b"")))
    else:
        value = draw(st.one_of(document_bodies(), st.none()))
    headers += draw(st.lists(st.tuples(_HEADER_NAMES, _ANY_BYTES), max_size=3))
    key = draw(st.one_of(st.none(), st.binary(max_size=20), st.just(str(seed.get("userId", "u")).encode())))
    if key is None and value is None:
        key = b""  # kafka-python refuses to send a record with neither
    return FuzzRecord(key, value, headers)
