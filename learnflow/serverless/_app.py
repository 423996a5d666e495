"""The Flask app functions-framework builds for a function: its wiring and its publishers.

functions-framework runs a function's module inside the application context of the app
it is building (upstream pins this with its ``flask_current_app`` test function, and
``functions_framework.errorhandler`` is that app's ``errorhandler``). That is the one
moment a module can reach the app, so ``cloud_event_function`` calls ``wire_app`` then;
the app, not a module global, then holds the function's publisher, so a test that
builds the app with ``create_app`` gives it its own with ``use_publisher``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import Flask, current_app

from learnflow.serverless._handler import answer_undecodable
from learnflow.serverless._health import add_health_probes
from learnflow.serverless._publisher import Publisher

_EXTENSION = "learnflow.serverless"


@dataclass
class _FunctionApp:
    """Per-app state, in ``app.extensions`` as Flask extensions keep theirs."""

    wired: bool = False
    publishers: dict[str, Publisher] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _state(app: Flask) -> _FunctionApp:
    state = app.extensions.get(_EXTENSION) or app.extensions.setdefault(_EXTENSION, _FunctionApp())
    assert isinstance(state, _FunctionApp)
    return state


def wire_app(app: Flask) -> None:
    """Register the undecodable-input handler and the health probes on ``app``, once per app.

    Once, because a module may build several targets with the factory, and each probe
    route and the handler belong in the app one time.
    """
    state = _state(app)
    with state.lock:
        if state.wired:
            return
        # Input the framework cannot parse is poison (400 with a reason), not a retried 500.
        app.register_error_handler(Exception, answer_undecodable)
        add_health_probes(app)
        state.wired = True


def use_publisher(app: Flask, publisher: Publisher) -> None:
    """Make ``app``'s functions of producer ``publisher.name`` publish with ``publisher``."""
    state = _state(app)
    with state.lock:
        state.publishers[publisher.name] = publisher


def app_publisher(producer: str) -> Publisher:
    """The publisher of ``producer`` in the app serving this request, made at first use.

    Making one does no I/O: the Kafka settings are read and the producer built at the
    first publish.
    """
    state = _state(current_app)
    with state.lock:
        if producer not in state.publishers:
            state.publishers[producer] = Publisher(producer)
        return state.publishers[producer]
