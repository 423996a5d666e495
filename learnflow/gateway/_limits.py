"""What one learner may hold and send through this gateway: pure, the clock passed in.

Three bounds per learner, so that one learner cannot take a class's capacity:
open streams (each is a socket and a subscription), submissions in flight (accepted here
and no ``code.executed`` for them seen yet on the gateway's feed), and submissions
accepted in the last minute. A submission is counted from the moment it is admitted,
before it is published, so two requests racing each other cannot both take the last
slot; one that then fails to publish is withdrawn. Nothing admitted is dropped here: a
refusal happens before anything is published.

A result can be lost (a dead-lettered run publishes nothing), so a submission stops
counting as in flight after ``in_flight_ceiling_s`` whatever happens: a lost result
costs the learner that long at most, never their access.

The state is this process's only. Across replicas the stream and in-flight bounds hold
per replica (see the README's "Limits per learner").
"""

from __future__ import annotations

import math
import uuid
from collections import deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LimitPolicy:
    """The bounds; ``GatewaySettings`` holds the configured values and their reasons."""

    streams: int
    in_flight: int
    per_minute: int
    in_flight_ceiling_s: float
    window_s: float = 60.0
    in_flight_retry_s: int = 2
    """What a refused submission is told to wait for a running one: most runs end within it."""


class LimitReached(Exception):
    """A learner's bound is reached; answered 429 with ``Retry-After`` when one is known."""

    def __init__(self, limit: str, reason: str, retry_after_s: int | None = None) -> None:
        super().__init__(reason)
        self.limit = limit
        self.reason = reason
        self.retry_after_s = retry_after_s


@dataclass
class _Learner:
    streams: int = 0
    in_flight: dict[uuid.UUID, float] = field(default_factory=dict)  # submission id -> admitted at
    recent: deque[float] = field(default_factory=deque)  # admission times within the window

    def forget_before(self, now: float, policy: LimitPolicy) -> list[uuid.UUID]:
        """Drop what no longer counts at ``now``; the submissions that stopped being in flight."""
        while self.recent and self.recent[0] <= now - policy.window_s:
            self.recent.popleft()
        expired = [sid for sid, at in self.in_flight.items() if at <= now - policy.in_flight_ceiling_s]
        for sid in expired:
            del self.in_flight[sid]
        return expired

    @property
    def idle(self) -> bool:
        return not (self.streams or self.in_flight or self.recent)


class StreamLease:
    """One open stream of a learner; ``release`` (idempotent) gives the slot back."""

    def __init__(self, limits: LearnerLimits, learner: uuid.UUID) -> None:
        self._limits = limits
        self._learner = learner
        self._held = True

    def release(self) -> None:
        if self._held:
            self._held = False
            self._limits._stream_closed(self._learner)


class LearnerLimits:
    """The per-learner bounds of one gateway process."""

    def __init__(self, policy: LimitPolicy) -> None:
        self.policy = policy
        self._learners: dict[uuid.UUID, _Learner] = {}
        self._owner: dict[uuid.UUID, uuid.UUID] = {}  # submission id -> learner
        self._swept_at = -math.inf

    # -- streams ------------------------------------------------------------------------

    def open_stream(self, learner: uuid.UUID) -> StreamLease:
        """A lease on one more stream for ``learner``; LimitReached beyond ``policy.streams``."""
        state = self._learners.setdefault(learner, _Learner())
        if state.streams >= self.policy.streams:
            raise LimitReached(
                "streams",
                f"this learner already has {state.streams} open streams, the most allowed: "
                "close another tab or window of the page, then reload",
            )
        state.streams += 1
        return StreamLease(self, learner)

    def _stream_closed(self, learner: uuid.UUID) -> None:
        state = self._learners.get(learner)
        if state is not None:
            state.streams = max(0, state.streams - 1)
            self._drop_if_idle(learner, state)

    # -- submissions ----------------------------------------------------------------------

    def admit(self, learner: uuid.UUID, submission_id: uuid.UUID, now: float) -> None:
        """Count ``submission_id`` for ``learner`` from ``now``; LimitReached if a bound is reached."""
        self._sweep(now)
        state = self._learners.setdefault(learner, _Learner())
        self._forget(state, now)
        if len(state.in_flight) >= self.policy.in_flight:
            oldest = min(state.in_flight.values())
            expires_in = oldest + self.policy.in_flight_ceiling_s - now
            raise LimitReached(
                "in_flight",
                f"{len(state.in_flight)} of this learner's runs are still running, the most allowed at once: "
                "wait for a result, then run again",
                max(1, min(self.policy.in_flight_retry_s, math.ceil(expires_in))),
            )
        if len(state.recent) >= self.policy.per_minute:
            frees_in = state.recent[0] + self.policy.window_s - now
            raise LimitReached(
                "per_minute",
                f"this learner sent {len(state.recent)} runs in the last {self.policy.window_s:g} s, "
                f"the most allowed: try again in {max(1, math.ceil(frees_in))} s",
                max(1, math.ceil(frees_in)),
            )
        state.in_flight[submission_id] = now
        state.recent.append(now)
        self._owner[submission_id] = learner

    def withdraw(self, submission_id: uuid.UUID) -> None:
        """An admitted submission that was not published after all: it counts for nothing."""
        learner = self._owner.pop(submission_id, None)
        state = self._learners.get(learner) if learner is not None else None
        if learner is None or state is None:
            return
        admitted = state.in_flight.pop(submission_id, None)
        if admitted is not None and admitted in state.recent:
            state.recent.remove(admitted)  # one entry of that time, as admitting added one
        self._drop_if_idle(learner, state)

    def executed(self, submission_id: uuid.UUID) -> None:
        """A result for ``submission_id`` arrived: it no longer counts as in flight."""
        learner = self._owner.pop(submission_id, None)
        state = self._learners.get(learner) if learner is not None else None
        if learner is not None and state is not None:
            state.in_flight.pop(submission_id, None)
            self._drop_if_idle(learner, state)

    def in_flight(self, learner: uuid.UUID, now: float) -> int:
        state = self._learners.get(learner)
        if state is None:
            return 0
        self._forget(state, now)
        return len(state.in_flight)

    def open_streams(self, learner: uuid.UUID) -> int:
        state = self._learners.get(learner)
        return state.streams if state is not None else 0

    @property
    def learners(self) -> int:
        """How many learners this process holds state for (bounded by the sweep)."""
        return len(self._learners)

    # -- memory ---------------------------------------------------------------------------

    def _forget(self, state: _Learner, now: float) -> None:
        for sid in state.forget_before(now, self.policy):
            self._owner.pop(sid, None)

    def _drop_if_idle(self, learner: uuid.UUID, state: _Learner) -> None:
        if state.idle and self._learners.get(learner) is state:
            del self._learners[learner]

    def _sweep(self, now: float) -> None:
        """Forget learners with nothing left to count, at most once a window: a learner who
        left would otherwise keep their last minute's entries forever."""
        if now - self._swept_at < self.policy.window_s:
            return
        self._swept_at = now
        for learner, state in list(self._learners.items()):
            self._forget(state, now)
            self._drop_if_idle(learner, state)
