"""`learnflow publish` against the real broker: good documents sent, bad ones reported."""

import json
import uuid

from click.testing import CliRunner

from learnflow.local.cli import cli

from ..support.seed import mutated, seed_document


def _fresh(name):
    doc = seed_document(name)
    doc["eventId"] = str(uuid.uuid4())
    return doc


def test_publish_sends_the_good_lines_and_reports_each_bad_one(kafka, kafka_probe, tmp_path):
    good = [_fresh("code-submitted.json"), _fresh("learning-event.json"), _fresh("struggle-detected.json")]
    bad = mutated("struggle-detected.json", "data.confidence", 1.5)
    path = tmp_path / "events.jsonl"
    path.write_text(
        "\n".join([json.dumps(good[0]), json.dumps(bad), "not json", json.dumps(good[1]), json.dumps(good[2])]) + "\n"
    )
    result = CliRunner().invoke(cli, ["publish", str(path), "--bootstrap-servers", kafka.bootstrap_servers])
    assert result.exit_code == 1
    assert "line 2: data.confidence" in result.output
    assert "line 3: not JSON" in result.output
    assert "published 3 (code-submitted: 1, learning-events: 1, struggle-detected: 1); 2 failed" in result.output
    for doc, topic in zip(good, ["code-submitted", "learning-events", "struggle-detected"], strict=True):
        assert kafka_probe.wait_for(topic, lambda r, i=doc["eventId"]: r.header_text("ce_id") == i)


def test_publish_reads_standard_input_as_a_json_array(kafka, kafka_probe):
    doc = _fresh("code-submitted.json")
    result = CliRunner().invoke(cli, ["publish", "-", "--bootstrap-servers", kafka.bootstrap_servers], input=json.dumps([doc]))
    assert result.exit_code == 0, result.output
    assert kafka_probe.wait_for("code-submitted", lambda r: r.header_text("ce_id") == doc["eventId"])


def test_publish_misuse_prints_usage():
    runner = CliRunner()
    missing = runner.invoke(cli, ["publish", "/nonexistent/file.jsonl"])
    assert missing.exit_code == 2 and "Usage:" in missing.output and "No such file" in missing.output
    unknown = runner.invoke(cli, ["publish", "--colour"])
    assert unknown.exit_code == 2 and "No such option" in unknown.output
