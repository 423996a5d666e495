"""A dispatcher in a process of its own, for tests that crash it (SIGKILL) mid-delivery.

    python -m tests.support.dispatcher_child BOOTSTRAP BROKER_KIND TOPIC GROUP URL ORDERING TIMEOUT

Delivers the scripted fixture source on TOPIC with GROUP to URL (TIMEOUT seconds per
attempt), prints ``started`` once
its dispatcher runs, and runs until killed: no graceful stop, so nothing is committed on
the way out, as after a crash.
"""

from __future__ import annotations

import dataclasses
import sys
import threading

from learnflow.local.runtime.dispatcher import Dispatcher
from learnflow.local.runtime.sink import SinkWriter
from learnflow.serverless import Publisher, kafka_settings

from .dispatch import scripted_source


def main(argv: list[str]) -> None:
    bootstrap, kind, topic, group, url, ordering, timeout = argv
    settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS=bootstrap, KAFKA_BROKER_KIND=kind)
    source = dataclasses.replace(scripted_source(topic, group, timeout=float(timeout)), ordering=ordering)
    writer = SinkWriter(source.delivery.dead_letter_sink, Publisher("test-child", settings=settings))
    Dispatcher(source, url, settings, writer).start()
    print("started", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main(sys.argv[1:])
