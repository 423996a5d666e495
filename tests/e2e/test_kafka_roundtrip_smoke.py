from learnflow.codec.kafka import from_record
from learnflow.contracts import CodeSubmitted, new_event
from learnflow.publisher import Publisher
from learnflow.topics import CODE_SUBMITTED
import uuid

def test_smoke(kafka, kafka_probe):
    ev = new_event(CodeSubmitted, user_id=uuid.uuid4(), data={"exerciseId": str(uuid.uuid4()), "code": "print(1)", "language": "python"})
    pub = Publisher("test", settings=kafka)
    pub.publish(ev)
    pub.close()
    got = kafka_probe.wait_for("code-submitted", lambda r: r.header_text("ce_id") == str(ev.event_id))
    assert from_record(got[0], CODE_SUBMITTED) == ev
