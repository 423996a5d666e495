"""Events of one learner as the backbone would write them: code.executed and help.explanation."""

from __future__ import annotations

import uuid
from typing import Any

from learnflow.events import CodeExecuted, Envelope, ExerciseStarted, HelpExplanation, new_event


def code_executed(user_id: uuid.UUID | str, stdout: str = "ok\n", **data: Any) -> CodeExecuted:
    return new_event(
        CodeExecuted,
        user_id=user_id,
        data={"exerciseId": uuid.uuid4(), "submissionId": uuid.uuid4(), "status": "ok", "stdout": stdout, **data},
    )


def help_explanation(user_id: uuid.UUID | str, title: str = "List comprehensions", **data: Any) -> HelpExplanation:
    return new_event(
        HelpExplanation,
        user_id=user_id,
        data={
            "title": title,
            "body": "A **list comprehension** builds a list.\n\n```python\n[x for x in y]\n```",
            "exampleCode": "print([n * n for n in range(3)])\n",
            "expectedOutput": "[0, 1, 4]\n",
            "concept": "list_comprehension",
            "struggleType": "syntax_error",
            "suggestedAction": "show_example",
            "sourceEventId": uuid.uuid4(),
            **data,
        },
    )


def exercise_started(user_id: uuid.UUID | str) -> Envelope:
    return new_event(ExerciseStarted, user_id=user_id, data={"exerciseId": uuid.uuid4(), "duration": 0, "attempts": 0})
