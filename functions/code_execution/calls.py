"""The call channel: a graded run's values, from the confined child to the zygote. Stdlib only.

A ``call`` check runs the learner's program, then calls one of its functions; what it
returns is compared with the expected value *outside* the sandbox (``grading.py``), and
the expected values never come in. What must not be forgeable is therefore the path of
the returned values out of the child. The learner's code runs in the very process that
reports them, so the channel is built so that everything a program can do by accident
or by a simple trick fails closed, and the rest cannot pass without the answer:

- Its own pipe (``RESULT_FD``), not stdout or stderr: printing a fake result line does
  nothing. The zygote reads it only as the run's result channel.
- A per-run nonce, made by the zygote *after* the fork (so it is in no memory the
  program inherits) and written to ``NONCE_FD``, which the harness reads and closes
  before the program starts (``arm``), keeping it only in a closure. Every record
  carries it; records must come in order, once each. A stray write (the program
  writing to the fd, a thread racing the harness) or a missing nonce makes the whole
  channel ``tampered``: every call check fails.
- The harness captures, before the program runs, every function it will use (os.write,
  the C string escaper, int/float reprs, type, len...), and encodes values itself by
  exact type: a program that replaces ``json.dumps``, ``print``, ``sys.exit``,
  ``builtins.type`` or a module's globals, or returns an ``int`` subclass whose repr or
  ``__eq__`` lies, changes nothing the harness reports.
- While the calls run, stdout and stderr point at /dev/null: their prints are not the
  program's output, which a stdout check has already judged.

What remains (a program that digs the nonce out of the harness's frames or closures
and forges records, then exits before the harness writes) can report any value it likes,
but it still has to *know* the expected one: hidden checks' expected values are never in
the sandbox, so such a program passes only the visible checks it could have hard-coded.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from typing import Any

RESULT_FD = 4
NONCE_FD = 5
VALUE_CAP = 16 * 1024
"""Largest JSON text of one returned value; a larger one is reported as too large."""
CHANNEL_CAP = 1 << 20
"""Largest channel content the zygote reads; more is tampering (the harness never writes that much)."""
_DEPTH = 64


@dataclass(frozen=True)
class CallOutcome:
    """What one call returned (``value``, JSON text) or why it returned nothing (``error``)."""

    value: str | None = None
    error: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return {"value": self.value, "error": self.error}

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> CallOutcome:
        return cls(value=data.get("value"), error=data.get("error"))


# -- the child's side ----------------------------------------------------------------


def _make_encoder() -> Any:
    """``encode(value) -> JSON text``, over exact built-in types, immune to later monkeypatching."""
    from json import encoder

    escape = encoder.encode_basestring_ascii  # the C one where built; captured now, before the program
    _type, _bool, _int, _float, _str, _list, _tuple, _dict = type, bool, int, float, str, list, tuple, dict
    int_repr, float_repr, isfinite, error = int.__repr__, float.__repr__, math.isfinite, ValueError
    name_of = type.__dict__["__name__"].__get__  # a class's own name, whatever its metaclass says
    join = ",".join

    def encode(value: Any, depth: int = 0) -> str:
        kind = _type(value)
        if value is None:
            return "null"
        if kind is _bool:
            return "true" if value else "false"
        if kind is _int:
            return int_repr(value)
        if kind is _float:
            if not isfinite(value):
                raise error("returned " + float_repr(value) + ", which is not a JSON number")
            return float_repr(value)
        if kind is _str:
            return escape(value)
        if depth > _DEPTH:
            raise error("returned a value nested too deeply")
        if kind is _list or kind is _tuple:
            return "[" + join([encode(item, depth + 1) for item in value]) + "]"
        if kind is _dict:
            parts = []
            for key, item in _dict.items(value):
                key_kind = _type(key)
                if key_kind is _str:
                    text = escape(key)
                elif key_kind is _int:
                    text = escape(int_repr(key))
                else:
                    raise error("returned a dict with a key that is neither text nor a whole number")
                parts.append(text + ":" + encode(item, depth + 1))
            return "{" + join(parts) + "}"
        raise error("returned a " + name_of(kind) + ", which is not a JSON value")

    return encode


class Harness:
    """Prepared in the child before the learner's program runs; ``run`` calls its functions after."""

    def __init__(self, calls: list[dict[str, str]]) -> None:
        # Decoded now, while json and the builtins it looks up are still the standard ones.
        self.calls = [(c["call"], json.loads(c["args"])) for c in calls]
        self._encode = _make_encoder()
        self._escape = json.encoder.encode_basestring_ascii
        self._write, self._read, self._open, self._dup2, self._close = os.write, os.read, os.open, os.dup2, os.close
        self._devnull, self._wronly = os.devnull, os.O_WRONLY
        self._type, self._callable, self._len, self._repr = type, callable, len, int.__repr__
        self._enumerate, self._str, self._base = enumerate, str, BaseException
        self._emit: Any = None  # set by arm()

    def arm(self) -> None:
        """Read the run's nonce and close its pipe; called in the confined child, before the program."""
        data = b""
        while chunk := self._read(NONCE_FD, 64):
            data += chunk
        self._close(NONCE_FD)
        nonce = data.decode("ascii", "replace")
        repr_, write = self._repr, self._write

        def emit(index: int, field: str, text: str) -> None:
            line = ('{"n":"' + nonce + '","i":' + repr_(index) + ',"' + field + '":' + text + "}\n").encode()
            view = memoryview(line)
            while view:
                view = view[write(RESULT_FD, view) :]

        self._emit = emit

    def run(self, namespace: dict[str, Any]) -> None:
        """Call each function of ``namespace`` in turn, reporting each value or error on the channel."""
        try:
            null = self._open(self._devnull, self._wronly)
            self._dup2(null, 1)
            self._dup2(null, 2)
            self._close(null)
            emit = self._emit
        except self._base:
            return  # nothing reported: every call check fails
        for index, (name, args) in self._enumerate(self.calls):
            try:
                function = namespace.get(name)
                if function is None or not self._callable(function):
                    raise LookupError("main.py defines no function " + name)
                value = function(*args)
                text = self._encode(value)
                if self._len(text) > VALUE_CAP:
                    raise ValueError("returned a value too large to compare")
                emit(index, "v", text)
            except self._base as exc:
                try:
                    message = self._type(exc).__name__ + ": " + self._str(exc)
                except self._base:
                    message = "the call failed"
                try:
                    emit(index, "e", self._escape(message[:500]))
                except self._base:
                    return


# -- the zygote's side ---------------------------------------------------------------


def read_results(data: bytes, nonce: str, count: int) -> tuple[list[CallOutcome], bool]:
    """The channel's records, in call order, and whether it was tampered with.

    Tampered: content beyond the cap, a line that is not a record, a wrong nonce, an
    index out of order or repeated. Fewer records than calls is not tampering (the run
    stopped, or the program never finished): the missing calls have no outcome.
    """
    if len(data) > CHANNEL_CAP:
        return [], True
    outcomes: list[CallOutcome] = []
    lines = data.split(b"\n")
    if lines[-1]:
        return [], True  # a record cut short: only the harness writes whole lines
    for line in lines[:-1]:
        try:
            record = json.loads(line)
        except ValueError:
            return [], True
        if not isinstance(record, dict) or record.get("n") != nonce or record.get("i") != len(outcomes):
            return [], True
        if len(outcomes) >= count or set(record) not in ({"n", "i", "v"}, {"n", "i", "e"}):
            return [], True
        if "v" in record:
            outcomes.append(CallOutcome(value=json.dumps(record["v"], ensure_ascii=False, separators=(", ", ": "))))
        else:
            error = record["e"]
            if not isinstance(error, str):
                return [], True
            outcomes.append(CallOutcome(error=error))
    return outcomes, False
