"""``cloud_event_function``: what it registers on the app being built, and which publisher it uses."""

from __future__ import annotations

import uuid
from pathlib import Path

from cloudevents.http import CloudEvent
from flask import Flask
from functions_framework import create_app

from learnflow.events import LEARNING_EVENTS, Envelope, HelpRequested, new_event
from learnflow.serverless import PROBE_PATHS, Publisher, app_publisher, cloud_event_function, kafka_settings, use_publisher

from ..support.in_process import RecordingProducer

# A function module as small as a main.py gets: it echoes each learning event back.
ECHO_MODULE = """
import functions_framework
from learnflow.events import LEARNING_EVENTS
from learnflow.serverless import cloud_event_function

handle = cloud_event_function(LEARNING_EVENTS, lambda event: [event], producer="echo")
again = cloud_event_function(LEARNING_EVENTS, lambda event: [], producer="echo")


@functions_framework.http
def ping(request):
    return "pong"
"""


def _echo_source(tmp_path: Path) -> str:
    source = tmp_path / "main.py"
    source.write_text(ECHO_MODULE)
    return str(source)


def _recording(name: str) -> tuple[Publisher, RecordingProducer]:
    producer = RecordingProducer()
    return Publisher(name, kafka_settings(), lambda _settings: producer), producer


def _help_request() -> tuple[Envelope, CloudEvent]:
    event = new_event(HelpRequested, user_id=uuid.uuid4(), data={"exerciseId": uuid.uuid4(), "duration": 30, "attempts": 2})
    attributes = {"type": event.event_type, "source": "/tests", "id": str(event.event_id)}
    return event, CloudEvent(attributes, event.to_wire_dict())


def test_without_a_signature_type_the_target_is_served_as_a_cloud_event_function(tmp_path: Path) -> None:
    # `functions-framework --target handle --source main.py` names no signature type: the
    # framework finds it by the function's name, so the factory's function must be `handle`.
    client = create_app("handle", _echo_source(tmp_path)).test_client()
    assert client.get("/").status_code == 405  # an HTTP function would have answered GET
    answer = client.post("/", data=b"not json", headers={"content-type": "application/json"})
    assert answer.status_code == 400 and answer.get_json()["error"] == "invalid_event"


def test_every_target_of_the_module_is_wired_once(tmp_path: Path) -> None:
    app = create_app("ping", _echo_source(tmp_path), "http")
    client = app.test_client()
    assert client.get("/").get_data() == b"pong"
    for path in PROBE_PATHS:
        assert client.get(path).status_code == 200, path
        # Two factory calls in the module, one route per probe path all the same.
        assert [rule.rule for rule in app.url_map.iter_rules()].count(path) == 1, path


def test_a_module_loaded_by_the_framework_publishes_with_the_publisher_its_app_was_given(tmp_path: Path) -> None:
    app = create_app("handle", _echo_source(tmp_path), "cloudevent")
    publisher, producer = _recording("echo")
    use_publisher(app, publisher)
    event, _ = _help_request()
    headers = {
        "ce-specversion": "1.0",
        "ce-id": str(event.event_id),
        "ce-type": event.event_type,
        "ce-source": "/tests",
        "content-type": "application/json",
    }

    answer = app.test_client().post("/", headers=headers, data=event.to_json_bytes())

    assert answer.status_code == 200
    assert producer.events(LEARNING_EVENTS) == [event]


def test_a_publisher_given_to_the_factory_wins_over_the_apps() -> None:
    given, given_producer = _recording("echo")
    apps, apps_producer = _recording("echo")
    app = Flask(__name__)
    use_publisher(app, apps)
    handle = cloud_event_function(LEARNING_EVENTS, lambda event: [event], producer="echo", publisher=given)
    event, cloud_event = _help_request()

    with app.test_request_context("/", method="POST"):
        handle(cloud_event)

    assert given_producer.events(LEARNING_EVENTS) == [event]
    assert apps_producer.sent == []


def test_an_app_makes_one_publisher_per_producer_at_first_use() -> None:
    first, second = Flask("first"), Flask("second")
    with first.app_context():
        triage = app_publisher("triage")
        assert app_publisher("triage") is triage
        assert triage.name == "triage" and triage.source == "/learnflow/triage"
        assert app_publisher("concepts") is not triage
    with second.app_context():
        assert app_publisher("triage") is not triage  # each app its own: nothing leaks between tests
