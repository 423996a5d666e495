"""Realistic learner sessions as plain events: what ``learnflow simulate`` sends.

A session starts an exercise, submits code (correct, or broken in one of the ways
learners break it), sometimes asks for help, and completes the exercise with the
attempts and time it took. All randomness comes from one seeded ``random.Random``,
so a run can be repeated exactly.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from learnflow.events import CodeSubmitted, Envelope, ExerciseCompleted, ExerciseStarted, HelpRequested, new_event

# (kind, code): what learners submit; each broken kind exercises another triage rule.
SUBMISSIONS: list[tuple[str, str]] = [
    ("correct", "squares = [x * x for x in range(5)]\nprint(squares)\n"),
    ("correct", "def greet(name):\n    return f'Hello, {name}!'\n\nprint(greet('Ada'))\n"),
    ("correct", "total = 0\nfor n in range(1, 11):\n    total += n\nprint(total)\n"),
    ("syntax_error", "squares = [x * x for x in range(5)\nprint(squares)\n"),
    ("syntax_error", "def greet(name)\n    return 'hi ' + name\n"),
    ("indentation_error", "for i in range(3):\nprint(i)\n"),
    ("name_error", "numbers = [1, 2, 3]\nprint(sum(numbrs))\n"),
    ("index_error", "items = ['a', 'b']\nprint(items[2])\n"),
    ("zero_division", "scores = []\nprint(sum(scores) / len(scores))\n"),
    ("type_error", "age = '42'\nprint(age + 1)\n"),
    ("key_error", "ages = {'ada': 36}\nprint(ages['alan'])\n"),
    ("recursion_error", "def count(n):\n    return count(n - 1)\n\nprint(count(3))\n"),
    ("timeout", "n = 0\nwhile True:\n    n += 1\n"),
]


@dataclass
class Learner:
    user_id: uuid.UUID = field(default_factory=uuid.uuid4)
    exercise_id: uuid.UUID = field(default_factory=uuid.uuid4)
    attempts: int = 0
    seconds: int = 0
    started: bool = False
    done: bool = False


def _activity(learner: Learner) -> dict[str, object]:
    return {"exerciseId": str(learner.exercise_id), "duration": learner.seconds, "attempts": learner.attempts}


def next_event(learner: Learner, rng: random.Random, submissions: list[tuple[str, str]] = SUBMISSIONS) -> Envelope:
    """The learner's next action; a completed learner moves on to a new exercise."""
    if learner.done:
        learner.exercise_id, learner.attempts, learner.seconds = uuid.uuid4(), 0, 0
        learner.started = learner.done = False
    if not learner.started:
        learner.started = True
        return new_event(ExerciseStarted, user_id=learner.user_id, data=_activity(learner))
    learner.seconds += rng.randint(20, 240)
    roll = rng.random()
    if learner.attempts >= 1 and roll < 0.1:
        return new_event(HelpRequested, user_id=learner.user_id, data=_activity(learner))
    if learner.attempts >= 1 and roll < 0.1 + 0.12 * learner.attempts:
        learner.done = True
        return new_event(ExerciseCompleted, user_id=learner.user_id, data=_activity(learner))
    learner.attempts += 1
    # Early attempts fail more often than late ones, as they do.
    broken = rng.random() < max(0.25, 0.7 - 0.15 * learner.attempts)
    pool = [s for s in submissions if (s[0] != "correct") == broken]
    _kind, code = rng.choice(pool)
    data = {"exerciseId": str(learner.exercise_id), "code": code, "language": "python"}
    return new_event(CodeSubmitted, user_id=learner.user_id, data=data)


def sessions(learners: int, seed: int | None = None, exclude: frozenset[str] = frozenset()) -> Iterator[Envelope]:
    """An endless stream of events from ``learners`` learners taking turns at random.

    ``exclude`` leaves out kinds of submission (``timeout``, say: each burns the
    sandbox's whole CPU limit).
    """
    rng = random.Random(seed)
    submissions = [s for s in SUBMISSIONS if s[0] not in exclude]
    crowd = [Learner(user_id=uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(learners)]
    while True:
        yield next_event(rng.choice(crowd), rng, submissions)
