"""Dead letters made by the real dispatcher, then listed, shown and replayed by the CLI."""

import json

from click.testing import CliRunner

from learnflow.local._dead_letters import REPLAY_HEADER
from learnflow.local.cli import cli


def test_list_show_and_replay_round_trip(scripted_run, kafka, kafka_probe):
    run = scripted_run()
    run.start()
    # Fails once with 422 (dead-lettered at once), accepts the replayed copy.
    event_id = run.send({"script": [422, 200], "seq": 1, "user": "replay"}, key="user-replay")
    other_id = run.send({"script": [400], "seq": 2}, key="user-other")
    for i in (event_id, other_id):
        assert kafka_probe.wait_for(f"{run.topic}.dlq", lambda r, i=i: r.header_text("ce_id") == i)
    runner = CliRunner()
    kafka_args = ["--bootstrap-servers", kafka.bootstrap_servers]

    listed = runner.invoke(cli, ["dlq", "list", run.topic, *kafka_args])
    assert listed.exit_code == 0, listed.output
    assert "2 dead letters" in listed.output and event_id in listed.output and "scripted 422" in listed.output

    shown = runner.invoke(cli, ["dlq", "show", run.topic, event_id, *kafka_args])
    assert shown.exit_code == 0, shown.output
    assert "status:      422" in shown.output and '"answer": 422' in shown.output

    dry = runner.invoke(cli, ["dlq", "replay", run.topic, "--filter", "code=422", "--dry-run", *kafka_args])
    assert dry.exit_code == 0 and "would replay 1 of 1" in dry.output

    replayed = runner.invoke(cli, ["dlq", "replay", run.topic, "--filter", "code=422", *kafka_args])
    assert replayed.exit_code == 0, replayed.output
    assert "replayed 1 of 1" in replayed.output
    copies = kafka_probe.wait_for(run.topic, lambda r: r.header_text("ce_id") == event_id, count=2)
    copy = copies[-1]
    assert copy.header_text(REPLAY_HEADER) == "1" and copy.header("ce_knativeerrorcode") is None
    assert json.loads(copy.value)["seq"] == 1 and copy.key == b"user-replay"
    delivered = run.wait_calls(lambda c: c["id"] == event_id and c["status"] == 200, 1)
    assert delivered, "the replayed event reached the function and succeeded"


def test_replay_refuses_an_event_replayed_too_often(scripted_run, kafka, kafka_probe):
    run = scripted_run()
    run.start()
    event_id = run.send({"script": [400]}, key="user-loop")
    assert kafka_probe.wait_for(f"{run.topic}.dlq", lambda r: r.header_text("ce_id") == event_id)
    kafka_args = ["--bootstrap-servers", kafka.bootstrap_servers]
    runner = CliRunner()
    for round_ in (1, 2):
        result = runner.invoke(cli, ["dlq", "replay", run.topic, "--filter", f"id={event_id}", "--max-replays", "1", *kafka_args])
        assert result.exit_code == 0, result.output
        if round_ == 1:
            assert "replayed 1 of 1" in result.output
            # It fails again and comes back with its replay count.
            kafka_probe.wait_for(f"{run.topic}.dlq", lambda r: r.header_text("ce_id") == event_id, count=2)
        else:
            assert "refused" in result.output and "replayed 1 times already (limit 1)" in result.output


def test_unknown_topic_is_a_clear_error(kafka):
    result = CliRunner().invoke(cli, ["dlq", "list", "no-such-topic", "--bootstrap-servers", kafka.bootstrap_servers])
    assert result.exit_code != 0
    assert "unknown topic 'no-such-topic.dlq'" in str(result.exception) + result.output
