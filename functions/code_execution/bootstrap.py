"""The composition root: settings -> started sandbox -> the domain service.

``boot()`` is called once per process by ``main.py``, at import, which is before
functions-framework serves anything and before any Kafka client or secret is loaded
(the publisher is created lazily on the first publish).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from datetime import datetime

from learnflow.events import LEARNING_EVENTS, Envelope
from learnflow.serverless import LearnerHistory

from .sandbox import Sandbox
from .service import CodeExecution
from .settings import SandboxSettings, sandbox_settings
from .traced_runner import TracedRunner

_booted: CodeExecution | None = None


_history = LearnerHistory()  # opens its consumer, and reads the Kafka settings, at the first pass


def _read_history(user_id: uuid.UUID, since: datetime) -> Sequence[Envelope]:
    return _history.read(LEARNING_EVENTS, user_id, since)


_lock = threading.Lock()


def boot(settings: SandboxSettings | None = None) -> CodeExecution:
    """The process's CodeExecution, its zygotes started on first call."""
    global _booted
    with _lock:
        if _booted is None:
            settings = settings or sandbox_settings()
            # Before the zygotes: a catalogue that does not validate stops the start, naming
            # the file, the exercise and the field.
            catalogue = settings.catalogue()
            sandbox = Sandbox(
                settings.limits(), size=settings.pool_size, min_level=settings.min_level, tmp_root=settings.tmpdir
            ).start()
            _booted = CodeExecution(TracedRunner(sandbox), settings.limits(), catalogue, _read_history)
        return _booted
