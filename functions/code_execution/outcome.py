"""The raw facts of one run, as the zygote observed them. Standard library only.

Classifying them (ok, timeout, memory_exceeded...) is ``result.py``'s job: this is
what crosses the pipe between the zygote and the service, as one JSON line.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .calls import CallOutcome


@dataclass(frozen=True)
class ChildError:
    """The learner's uncaught exception, reported by the child itself."""

    type: str
    message: str
    line: int | None = None
    errno: int | None = None  # OSError only: tells EFBIG (file size limit) apart

    @classmethod
    def from_wire(cls, data: Any) -> ChildError | None:
        """Parse defensively: the learner's code could have written to the report pipe."""
        if not isinstance(data, dict):
            return None
        type_, message = data.get("type"), data.get("message")
        line, err = data.get("line"), data.get("errno")
        if not isinstance(type_, str) or not isinstance(message, str):
            return None
        return cls(
            type=type_[:128],
            message=message[:2048],
            line=line if isinstance(line, int) and not isinstance(line, bool) and line >= 1 else None,
            errno=err if isinstance(err, int) and not isinstance(err, bool) else None,
        )


@dataclass(frozen=True)
class RunOutcome:
    exit_code: int | None  # negative: killed by that signal (subprocess's convention)
    timed_out: bool = False  # the wall deadline fired and the run was killed
    output_exceeded: bool = False  # a stream passed the output cap and the run was killed
    stdout: str = ""
    stderr: str = ""
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    duration_ms: float = 0.0
    cpu_ms: float = 0.0
    error: ChildError | None = None
    layers: tuple[str, ...] = field(default_factory=tuple)
    calls: tuple[CallOutcome, ...] = ()  # a graded run's call results, in the order asked (calls.py)
    calls_tampered: bool = False  # something besides the harness wrote to the call channel

    @property
    def signal(self) -> int | None:
        return -self.exit_code if self.exit_code is not None and self.exit_code < 0 else None

    def to_wire(self) -> dict[str, Any]:
        data = asdict(self)
        data["layers"] = list(self.layers)
        data["calls"] = [c.to_wire() for c in self.calls]
        return data

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> RunOutcome:
        data = dict(data)
        data["error"] = ChildError.from_wire(data.get("error"))
        data["layers"] = tuple(data.get("layers") or ())
        data["calls"] = tuple(CallOutcome.from_wire(c) for c in data.get("calls") or ())
        return cls(**data)
