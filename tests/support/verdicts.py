"""A topic the registry does not have, shaped like struggle.detected's optional evidence.

A nested union told apart by a tag, and an enum field with a description: the two shapes
pydantic writes in a way an AsyncAPI Schema object does not allow as is.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from learnflow.events import Envelope, ExecutionStatus, Topic, WireModel
from learnflow.local.asyncapi._examples import DOCUMENTS


class _CodeClue(WireModel):
    source_event_type: Literal["code.executed"]
    status: ExecutionStatus = Field(description="How the run ended.")


class _EffortClue(WireModel):
    source_event_type: Literal["help.requested"]
    attempts: int


class _VerdictData(WireModel):
    clue: Annotated[_CodeClue | _EffortClue, Field(discriminator="source_event_type")] | None = None


class _Verdict(Envelope):
    event_type: Literal["verdict.given"]
    data: _VerdictData


VERDICTS = Topic("verdicts", _Verdict, partitions=1, dead_lettered=False)
VERDICT = {
    **DOCUMENTS["struggle.detected"],
    "eventType": "verdict.given",
    "data": {"clue": {"sourceEventType": "code.executed", "status": "error"}},
}
