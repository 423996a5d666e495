import json

import jsonschema
import pytest

from learnflow.events import TOPICS
from learnflow.local import _schemas as schemas

from ..support.evidence import APPEND_ON_STR_EVIDENCE
from ..support.invalid import INVALID_CASES
from ..support.seed import SEED_TOPICS, seed_document


def _validator(topic_name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(schemas.schema_path(topic_name).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_checked_in_schemas_match_the_models():
    assert schemas.stale() == [], "run `make schemas` and commit eventing/schemas"


def test_every_topic_has_a_schema_file():
    assert sorted(p.name for p in schemas.SCHEMA_DIR.glob("*.schema.json")) == sorted(f"{t}.schema.json" for t in TOPICS)


@pytest.mark.parametrize("name", sorted(SEED_TOPICS))
def test_schemas_accept_the_seed_examples(name):
    _validator(SEED_TOPICS[name].name).validate(seed_document(name))


@pytest.mark.parametrize(
    "case_id,topic,document,field",
    [c for c in INVALID_CASES if not isinstance(c[2], bytes)],
    ids=[c[0] for c in INVALID_CASES if not isinstance(c[2], bytes)],
)
def test_schemas_reject_the_invalid_documents(case_id, topic, document, field):
    errors = list(_validator(topic.name).iter_errors(document))
    assert errors, f"{case_id} was accepted by the JSON Schema"


def test_the_struggle_schema_accepts_a_verdict_with_evidence():
    doc = seed_document("struggle-detected.json")
    doc["data"]["evidence"] = APPEND_ON_STR_EVIDENCE
    _validator("struggle-detected").validate(doc)


def test_format_checker_really_checks_date_time():
    # Without rfc3339-validator installed jsonschema silently skips "date-time".
    assert "date-time" in jsonschema.Draft202012Validator.FORMAT_CHECKER.checkers
