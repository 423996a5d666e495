"""Who sends and who receives what: the one fact the registry and the manifests do not hold.

What a KafkaSource delivers, to which Service and with which consumer group, is read from
``eventing/``; which eventTypes each program publishes, and what a reader without a
KafkaSource reads, is written here. Every name is checked against the registry when the
document is built, so a renamed eventType fails there rather than describing a ghost.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Participant:
    """One program on the backbone, as the document's operations name it."""

    name: str  # operation ids start with it
    title: str
    description: str
    producer: str | None = None  # its ce_source is /learnflow/<producer>; None: not ours to set
    sends: tuple[str, ...] = ()  # eventTypes it publishes
    reads: tuple[str, ...] = ()  # eventTypes it reads itself, by manual partition assignment
    service: str | None = None  # the Knative Service KafkaSources deliver to: it receives what they read
    ingress: bool = False  # sends through the HTTP ingress KafkaSinks, not with a Kafka client


LEARNER_ACTIVITY = ("exercise.started", "exercise.completed", "help.requested")

PARTICIPANTS: tuple[Participant, ...] = (
    Participant(
        "learnerGateway",
        "Learner gateway",
        "The frontend's door to the backbone, the Knative Service learner-gateway (min-scale 1). It takes "
        "submissions and activity over HTTP and publishes them, and streams each learner's code.executed and "
        "help.explanation to that learner over Server-Sent Events. It reads those two topics with no consumer "
        "group: every replica assigns itself every partition and reads the topics whole, because each replica "
        "must see the events of the learners whose streams it holds. Nothing is committed; a stream resumes "
        "from the Last-Event-ID its browser sends.",
        producer="gateway",
        sends=("code.submitted", *LEARNER_ACTIVITY),
        reads=("code.executed", "help.explanation"),
    ),
    Participant(
        "frontendIngress",
        "Frontend (HTTP ingress)",
        "Any HTTP client may POST a CloudEvent whose data is the seed document, with the partitionkey "
        "extension set to userId, to the ingress KafkaSink of a topic; the sink writes it in binary mode, "
        "keyed by that userId. The source attribute is the client's own.",
        sends=("code.submitted", *LEARNER_ACTIVITY),
        ingress=True,
    ),
    Participant(
        "codeExecution",
        "Code execution",
        "Runs each submission in a sandbox and publishes its result. The same code also serves the Knative "
        "Service code-execution-direct, which runs a submission while the frontend waits and publishes the "
        "same code.executed.",
        producer="code-execution",
        sends=("code.executed",),
        service="code-execution",
    ),
    Participant(
        "triage",
        "Triage",
        "Turns learner signals into struggle.detected verdicts; events that are no evidence are read and ignored.",
        producer="triage",
        sends=("struggle.detected",),
        service="triage",
    ),
    Participant(
        "concepts",
        "Concepts",
        "Answers each struggle.detected with an explanation of the concept, pushed to the learner.",
        producer="concepts",
        sends=("help.explanation",),
        service="concepts",
    ),
)
