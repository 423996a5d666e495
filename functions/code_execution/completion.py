"""When a graded run passes every check: the ``exercise.completed`` it earns (pure).

The backbone, not the page, decides that an exercise is done, and counts ``attempts``
and ``duration`` from the learner's own events on ``learning-events``, never from what
a client says. Code execution is where a pass is known, so it counts here, at the
pass, from the learner's history read back from Kafka (``learnflow.serverless.
learner_events``): no state in the function, so any replica counts alike.

The count, for one learner and one exercise, from its latest ``exercise.started`` on
(or the whole window when the page sent none):

- ``attempts``: the ``code.executed`` of the exercise, other than this submission's
  own (a retried submission may have published it already), plus this run;
- ``duration``: seconds from the first of those events to this run's result;
- nothing at all when an ``exercise.completed`` already follows that start: passing
  again, or a retried submission whose completion went out, completes nothing twice.

What holds with several replicas, or a retry: the count is read from the log, so it is
the same wherever it is made; the completion's id is derived from the submission's, so
a retried submission yields the same event. What does not: runs are delivered
unordered, so a run still in flight when the pass is counted is not among the
attempts; and two passing submissions in flight at once may each see no completion
yet and both emit one (their ids differ).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from learnflow.events import ActivityData, CodeExecuted, Envelope, ExerciseCompleted, ExerciseStarted

LOOKBACK = timedelta(hours=24)
"""How far back a learner's events are read: an exercise's attempts older than a day do not count."""


def _exercise_of(event: Envelope) -> uuid.UUID | None:
    data = getattr(event, "data", None)
    exercise_id = getattr(data, "exercise_id", None)
    return exercise_id if isinstance(exercise_id, uuid.UUID) else None


def completion(
    history: Sequence[Envelope], *, exercise_id: uuid.UUID, submission_id: uuid.UUID, passed_at: datetime
) -> ActivityData | None:
    """The activity of the completion this pass earns, or None when the exercise is already completed."""
    mine = [e for e in history if _exercise_of(e) == exercise_id]
    starts = [i for i, e in enumerate(mine) if isinstance(e, ExerciseStarted)]
    segment = mine[starts[-1] :] if starts else mine
    if any(isinstance(e, ExerciseCompleted) for e in segment):
        return None
    earlier_runs = [e for e in segment if isinstance(e, CodeExecuted) and e.data.submission_id != submission_id]
    first = min((e.timestamp for e in segment), default=passed_at)
    return ActivityData(
        exercise_id=exercise_id,
        attempts=len(earlier_runs) + 1,
        duration=max(0, int((passed_at - first).total_seconds())),
    )
