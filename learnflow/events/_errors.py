"""The library's exceptions, one root and a few named failures.

    LearnflowError
    ├── InvalidEvent              a document that breaks its contract (poison: never retried)
    ├── NotACloudEvent            a request or record that carries no readable CloudEvent
    ├── UnknownTopic              a topic name that is not in the registry
    ├── ConfigurationError        a setting or manifest that cannot work
    │   └── KnowledgeBaseError      (functions.concepts) the shipped knowledge base is broken
    ├── PublishError              Kafka did not take an event (transient: retried)
    ├── BrokerError               the embedded broker could not be started
    ├── OffsetsReadError          (learnflow.local.exporter) Kafka's offsets could not be read this time
    ├── ReplayRefused             (learnflow.local) a dead letter replayed too often already
    ├── LLMUnavailable            (functions.concepts) the model gave no usable answer
    └── SandboxError              (functions.code_execution) the sandbox, never the learner, failed
        ├── SandboxUnavailable      isolation below the configured minimum: nothing may run
        └── SandboxFailure          one run's machinery failed: retrying is safe

The classes marked with a package live beside the code that raises them; this module
defines the rest. Catching ``LearnflowError`` catches every failure raised on purpose.
Third-party errors are translated at the edge that meets them and chained with ``from``.
"""

from __future__ import annotations

from dataclasses import dataclass


class LearnflowError(Exception):
    """Root of every error this library raises on purpose."""


@dataclass(frozen=True)
class FieldError:
    """One reason a document is invalid, located by its JSON path (``data.confidence``)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class InvalidEvent(LearnflowError):
    """A document that does not satisfy its contract, with every failing field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors) or "invalid event")

    @property
    def reason(self) -> str:
        """A one-line reason, fit for a log line, an HTTP header or a dead letter."""
        return str(self)

    @classmethod
    def single(cls, path: str, reason: str) -> InvalidEvent:
        return cls([FieldError(path, reason)])


class NotACloudEvent(LearnflowError):
    """What arrived is no CloudEvent in any mode (the ingress answers 400, the dispatcher wraps it)."""


class UnknownTopic(LearnflowError):
    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"unknown topic {name!r}; known topics: {', '.join(known)}")
        self.name = name


class ConfigurationError(LearnflowError):
    """A setting, flag or manifest that is wrong; the message says what was expected."""


class PublishError(LearnflowError):
    """An event could not be written to Kafka; safe to retry."""


class BrokerError(LearnflowError):
    """The embedded broker failed to start or to become ready."""
