import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import BaseModel, ConfigDict

from learnflow.events import (
    LEARNING_EVENTS,
    STRUGGLE_DETECTED,
    ActivityEvidence,
    CodeEvidence,
    CodeExecuted,
    CodeSubmitted,
    ExecutionStatus,
    ExerciseStarted,
    HelpExplanation,
    InvalidEvent,
    StruggleDetected,
    follow_up,
    follow_up_id,
    new_event,
)

from ..support.evidence import INDEX_ERROR_EVIDENCE
from ..support.invalid import INVALID_CASES
from ..support.seed import SEED_TOPICS, mutated, seed_document


@pytest.mark.parametrize("name", sorted(SEED_TOPICS))
def test_seed_examples_validate_and_serialize_back_field_for_field(name):
    doc = seed_document(name)
    event = SEED_TOPICS[name].parse(doc)
    assert json.loads(event.to_json_bytes()) == doc


def test_learning_event_union_picks_the_model_by_event_type():
    for event_type, model in [("exercise.started", ExerciseStarted), ("help.requested", None)]:
        event = LEARNING_EVENTS.parse(mutated("learning-event.json", "eventType", event_type))
        assert event.event_type == event_type
        if model:
            assert isinstance(event, model)


def test_timestamps_with_any_zone_are_written_as_utc_z():
    doc = mutated("learning-event.json", "timestamp", "2026-01-27T12:30:00+02:00")
    event = LEARNING_EVENTS.parse(doc)
    assert json.loads(event.to_json_bytes())["timestamp"] == "2026-01-27T10:30:00Z"


def test_unknown_fields_are_tolerated_on_read_and_never_written():
    doc = mutated("learning-event.json", "newField", {"x": 1})
    doc["data"]["extra"] = True
    event = LEARNING_EVENTS.parse(doc)
    written = json.loads(event.to_json_bytes())
    assert "newField" not in written and "extra" not in written["data"]


@pytest.mark.parametrize("case_id,topic,document,field", INVALID_CASES, ids=[c[0] for c in INVALID_CASES])
def test_invalid_documents_name_the_failing_field(case_id, topic, document, field):
    with pytest.raises(InvalidEvent) as caught:
        topic.parse(document)
    paths = [e.path for e in caught.value.errors]
    assert field in paths, f"{case_id}: error paths {paths} do not name {field}"
    assert field in caught.value.reason


def test_a_document_that_is_not_an_object_is_rejected_as_a_whole():
    with pytest.raises(InvalidEvent, match="expected a JSON object, got list"):
        LEARNING_EVENTS.parse(b"[1, 2]")


def test_bad_utf8_is_reported_not_raised_as_unicode_error():
    with pytest.raises(InvalidEvent, match="not UTF-8"):
        LEARNING_EVENTS.parse(b'{"eventId": "\xff"}')


def test_new_event_fills_id_type_and_current_utc_time():
    before = datetime.now(UTC)
    event = new_event(
        CodeSubmitted, user_id=uuid.uuid4(), data={"exerciseId": str(uuid.uuid4()), "code": "", "language": "python"}
    )
    assert event.event_type == "code.submitted"
    assert isinstance(event.event_id, uuid.UUID)
    assert before - timedelta(seconds=1) <= event.timestamp <= datetime.now(UTC)


def test_follow_up_ids_are_deterministic_per_cause_and_producer():
    cause = StruggleDetected.model_validate(seed_document("struggle-detected.json"))
    data = {
        "title": "t",
        "body": "b",
        "exampleCode": "",
        "expectedOutput": "",
        "concept": "lists",
        "struggleType": "logic_error",
        "suggestedAction": "give_hint",
        "sourceEventId": str(cause.event_id),
    }
    one = follow_up(HelpExplanation, cause=cause, producer="concepts", data=data)
    two = follow_up(HelpExplanation, cause=cause, producer="concepts", data=data)
    assert one.event_id == two.event_id == uuid.uuid5(cause.event_id, "concepts")
    assert one.user_id == cause.user_id
    assert follow_up_id(cause.event_id, "triage") != one.event_id


def test_code_executed_is_a_learning_event_with_an_execution_result():
    doc = {
        "eventId": str(uuid.uuid4()),
        "userId": str(uuid.uuid4()),
        "eventType": "code.executed",
        "timestamp": "2026-01-27T10:00:00.250000+00:00",
        "data": {
            "exerciseId": str(uuid.uuid4()),
            "submissionId": str(uuid.uuid4()),
            "status": "error",
            "exitCode": 1,
            "stderr": "SyntaxError",
            "durationMs": 12.5,
            "error": {"type": "SyntaxError", "message": "'[' was never closed", "line": 3, "constructs": ["list_comprehension"]},
            "constructs": [],
        },
    }
    event = LEARNING_EVENTS.parse(doc)
    assert isinstance(event, CodeExecuted)
    assert event.data.status is ExecutionStatus.ERROR and event.data.error.line == 3
    assert json.loads(event.to_json_bytes())["timestamp"] == "2026-01-27T10:00:00.250000Z"


def test_timestamp_aware_values_from_python_are_accepted():
    tz = timezone(timedelta(hours=-5))
    event = new_event(
        ExerciseStarted,
        user_id=uuid.uuid4(),
        timestamp=datetime(2026, 1, 27, 5, tzinfo=tz),
        data={"exerciseId": str(uuid.uuid4()), "duration": 0, "attempts": 0},
    )
    assert event.to_wire_dict()["timestamp"] == "2026-01-27T10:00:00Z"


CODE_EVIDENCE = INDEX_ERROR_EVIDENCE


@pytest.mark.parametrize(
    ("evidence", "model"),
    [
        (CODE_EVIDENCE, CodeEvidence),
        ({"sourceEventType": "code.executed", "status": "timeout", "exceptionType": None, "message": None,
          "line": None, "lineText": None, "constructs": []}, CodeEvidence),
        ({"sourceEventType": "help.requested", "attempts": 4, "duration": 700}, ActivityEvidence),
    ],
)  # fmt: skip
def test_struggle_evidence_is_read_by_its_source_event_type_and_written_back(evidence, model):
    doc = mutated("struggle-detected.json", "data.evidence", evidence)
    event = STRUGGLE_DETECTED.parse(doc)
    assert isinstance(event, StruggleDetected) and isinstance(event.data.evidence, model)
    assert json.loads(event.to_json_bytes()) == doc


def test_a_verdict_without_evidence_is_written_with_the_seeds_four_fields_only():
    event = STRUGGLE_DETECTED.parse(seed_document("struggle-detected.json"))
    assert event.data.evidence is None
    assert set(json.loads(event.to_json_bytes())["data"]) == {"struggleType", "concept", "confidence", "suggestedAction"}


def test_a_reader_that_knows_only_the_seed_reads_a_verdict_with_evidence():
    # The seed's own model of the document: its four data fields, unknown ones ignored.
    class SeedStruggleData(BaseModel):
        model_config = ConfigDict(extra="ignore")
        struggleType: str
        concept: str
        confidence: float
        suggestedAction: str

    doc = mutated("struggle-detected.json", "data.evidence", CODE_EVIDENCE)
    written = json.loads(STRUGGLE_DETECTED.parse(doc).to_json_bytes())
    seed_view = SeedStruggleData.model_validate(written["data"])
    assert seed_view.model_dump() == seed_document("struggle-detected.json")["data"]


def test_code_executed_carries_the_failing_lines_text_up_to_200_characters():
    base = {
        "eventId": str(uuid.uuid4()),
        "userId": str(uuid.uuid4()),
        "eventType": "code.executed",
        "timestamp": "2026-01-27T10:00:00Z",
        "data": {
            "exerciseId": str(uuid.uuid4()),
            "submissionId": str(uuid.uuid4()),
            "status": "error",
            "error": {"type": "IndexError", "message": "list index out of range", "line": 2, "lineText": "print(nums[5])"},
        },
    }
    event = LEARNING_EVENTS.parse(base)
    assert isinstance(event, CodeExecuted) and event.data.error is not None
    assert event.data.error.line_text == "print(nums[5])"
    base["data"]["error"]["lineText"] = "x" * 201
    with pytest.raises(InvalidEvent, match=r"data\.error\.lineText"):
        LEARNING_EVENTS.parse(base)
