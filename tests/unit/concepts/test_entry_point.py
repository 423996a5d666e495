"""concepts' ``handle``, loaded by functions-framework in this process (only the producer faked)."""

from __future__ import annotations

import uuid

from learnflow.events import PROACTIVE_HELP, HelpExplanation, StruggleDetected, follow_up_id, new_event

from ...support.in_process import RecordingProducer, function_client, post_event


def _struggle() -> StruggleDetected:
    return new_event(
        StruggleDetected,
        user_id=uuid.uuid4(),
        data={"struggleType": "logic_error", "concept": "while_loops", "confidence": 0.6, "suggestedAction": "give_hint"},
    )


def test_an_explanation_is_published_to_proactive_help() -> None:
    producer = RecordingProducer()
    client = function_client("concepts", producer)
    event = _struggle()

    response = post_event(client, event)

    assert response.status_code == 200
    assert [name for name, _ in producer.sent] == [PROACTIVE_HELP.name]
    (out,) = producer.events(PROACTIVE_HELP)
    assert isinstance(out, HelpExplanation)
    assert out.event_id == follow_up_id(event.event_id, "concepts")
    assert out.data.concept == "while_loops" and out.data.source_event_id == event.event_id
    assert producer.sent[0][1].key == str(event.user_id).encode()


def test_an_out_of_range_confidence_is_poison() -> None:
    producer = RecordingProducer()
    client = function_client("concepts", producer)
    document = _struggle().to_wire_dict()
    document["data"]["confidence"] = 1.5

    response = client.post(
        "/",
        json=document,
        headers={
            "ce-specversion": "1.0",
            "ce-id": "x",
            "ce-type": "struggle.detected",
            "ce-source": "/t",
        },
    )

    assert response.status_code == 400
    assert "data.confidence" in response.headers["kne-reason"]
    assert producer.sent == []


def test_a_failed_publish_is_retryable() -> None:
    client = function_client("concepts", RecordingProducer(fail=True))
    assert post_event(client, _struggle()).status_code == 503
