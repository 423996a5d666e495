import json

from learnflow.local._documents import parse_documents

from ..support.seed import mutated, seed_document


def _line(doc) -> str:
    return json.dumps(doc)


def test_json_lines_each_checked_alone_with_line_numbers():
    text = "\n".join(
        [
            _line(seed_document("code-submitted.json")),
            "",
            "# a comment",
            _line(mutated("struggle-detected.json", "data.confidence", 1.5)),
            "{not json",
            _line(mutated("learning-event.json", "eventType", "exercise.paused")),
            _line(seed_document("learning-event.json")),
            "[1]",
        ]
    )
    parsed = parse_documents(text)
    assert [p.where for p in parsed] == ["line 1", "line 4", "line 5", "line 6", "line 7", "line 8"]
    ok = [p for p in parsed if p.error is None]
    assert [p.topic.name for p in ok] == ["code-submitted", "learning-events"]
    errors = {p.where: p.error for p in parsed if p.error}
    assert "data.confidence" in errors["line 4"]
    assert "not JSON" in errors["line 5"]
    assert "eventType" in errors["line 6"] and "exercise.paused" in errors["line 6"]
    assert "expected a JSON object" in errors["line 8"]


def test_a_json_array_is_read_item_by_item():
    docs = [seed_document("code-submitted.json"), {"eventType": "code.submitted"}]
    parsed = parse_documents("  " + json.dumps(docs))
    assert parsed[0].error is None and parsed[0].where == "item 1"
    assert parsed[1].error and "userId" in parsed[1].error


def test_a_broken_array_is_one_error_for_the_file():
    [parsed] = parse_documents("[{")
    assert parsed.where == "file" and "not JSON" in parsed.error


def test_missing_event_type_says_the_topic_is_unknown():
    [parsed] = parse_documents('{"eventId": "x"}')
    assert "eventType" in parsed.error
