"""Cross-object checks of eventing/: topics, KafkaSinks and KafkaSources agree.

Schemas say a field is well-typed; these say the objects fit together and keep the
seed's promises: every seed topic is delivered by exactly one KafkaSource with the
seed's retry policy, and every failure has a dead-letter topic that exists.
"""

from __future__ import annotations

from learnflow.events import DLQ_SUFFIX, TOPICS, all_topic_partitions
from learnflow.local.manifest_check._report import Problem
from learnflow.local.manifests import DATA_PLANE, DATA_PLANE_CONFIG, Document, Eventing, Knative, KnativeService

NAMESPACE = "learnflow"
KAFKA_NAMESPACE = "kafka"
STRIMZI_CLUSTER = "learnflow-kafka"
BOOTSTRAP = "learnflow-kafka-kafka-bootstrap.kafka.svc.cluster.local:9092"
SEED_TOPICS = tuple(t.name for t in TOPICS.values() if t.dead_lettered)
FRONTEND_TOPICS = ("learning-events", "code-submitted")
# retry: 3 at 1 s, 2 s, 4 s, as the Kafka dispatcher computes backoffDelay * 2^k.
SEED_RETRY, SEED_POLICY, SEED_DELAY = 3, "exponential", 0.5
# Which delivery each topic's consumer needs (DESIGN §3), and why: the README says the same.
ORDERING: dict[str, tuple[str, str]] = {
    "learning-events": ("ordered", "triage reads one learner's attempts and durations in the order they happened"),
    "struggle-detected": ("ordered", "a learner's help must arrive in the order of their struggles"),
    "code-submitted": ("unordered", "each run stands alone; ordered, one endless loop holds every learner of its partition"),
}


def check_topics(docs: list[Document]) -> list[Problem]:
    out: list[Problem] = []
    expected = all_topic_partitions()
    topics = {d.name: d for d in docs if d.kind == "KafkaTopic"}
    for name, partitions in expected.items():
        doc = topics.get(name)
        if doc is None:
            out.append(Problem("eventing/topics", "", name, "no KafkaTopic for this registry topic"))
        elif doc.body.get("spec", {}).get("partitions") != partitions:
            out.append(Problem.at(doc, "spec.partitions", f"learnflow.events._topics says {partitions}"))
    for name, doc in topics.items():
        if name not in expected:
            out.append(Problem.at(doc, "metadata.name", "not a topic of learnflow.events._topics"))
        if doc.namespace != KAFKA_NAMESPACE:
            out.append(Problem.at(doc, "metadata.namespace", f"expected {KAFKA_NAMESPACE!r}"))
        labels = doc.body.get("metadata", {}).get("labels", {}) or {}
        if labels.get("strimzi.io/cluster") != STRIMZI_CLUSTER:
            out.append(Problem.at(doc, "metadata.labels.strimzi.io/cluster", f"expected {STRIMZI_CLUSTER!r}"))
        config = doc.body.get("spec", {}).get("config", {}) or {}
        if "retention.ms" not in config:
            out.append(Problem.at(doc, "spec.config.retention.ms", "choose a retention"))
        base = topics.get(name.removesuffix(DLQ_SUFFIX))
        if name.endswith(DLQ_SUFFIX) and base is not None:
            mine = config.get("retention.ms", 0)
            theirs = (base.body.get("spec", {}).get("config", {}) or {}).get("retention.ms", 0)
            if int(mine) < int(theirs):
                out.append(Problem.at(doc, "spec.config.retention.ms", f"a DLQ must outlive its topic ({theirs})"))
    return out


def check_sinks(docs: list[Document], eventing: Eventing) -> list[Problem]:
    out: list[Problem] = []
    for doc in (d for d in docs if d.kind == "KafkaSink"):
        sink = eventing.sinks[doc.name]
        for owned in ("numPartitions", "replicationFactor"):
            if owned in doc.body.get("spec", {}):
                out.append(Problem.at(doc, f"spec.{owned}", "Strimzi owns the topic; the sink must not create it"))
        if sink.topic not in eventing.topics:
            out.append(Problem.at(doc, "spec.topic", f"{sink.topic!r} is not a declared KafkaTopic"))
        if sink.namespace != NAMESPACE:
            out.append(Problem.at(doc, "metadata.namespace", f"expected {NAMESPACE!r}"))
        if sink.bootstrap_servers != (BOOTSTRAP,):
            out.append(Problem.at(doc, "spec.bootstrapServers", f"expected [{BOOTSTRAP}]"))
    ingress = {s.topic for s in eventing.sinks.values() if not s.topic.endswith(DLQ_SUFFIX)}
    for topic in FRONTEND_TOPICS:
        if topic not in ingress:
            out.append(Problem("eventing/sinks", "", topic, "no ingress KafkaSink for the frontend"))
    return out


def _check_source(doc: Document, eventing: Eventing, knative: Knative | None) -> list[Problem]:
    src = eventing.sources[doc.name]
    out: list[Problem] = []

    def bad(path: str, why: str) -> None:
        out.append(Problem.at(doc, path, why))

    if len(src.topics) != 1:
        bad("spec.topics", "one topic per source, so each has its own DLQ")
    topic = src.topics[0]
    if topic not in SEED_TOPICS:
        bad("spec.topics[0]", f"{topic!r} is not a delivered topic ({', '.join(SEED_TOPICS)})")
    d = src.delivery
    if (d.retry, d.backoff_policy, d.backoff_delay) != (SEED_RETRY, SEED_POLICY, SEED_DELAY):
        bad(
            "spec.delivery",
            "the seed's policy is retry 3, exponential, PT0.5S (1 s, 2 s, 4 s); "
            f"got {d.retry}, {d.backoff_policy}, {d.backoff_delay} s",
        )
    if "timeout" not in doc.body["spec"]["delivery"]:
        bad("spec.delivery.timeout", "set a per-attempt timeout (the default is 600 s)")
    if d.dead_letter_sink.topic != topic + DLQ_SUFFIX:
        bad(
            "spec.delivery.deadLetterSink.ref.name",
            f"KafkaSink {d.dead_letter_sink.name!r} writes {d.dead_letter_sink.topic!r}, not {topic + DLQ_SUFFIX!r}",
        )
    if topic in ORDERING and src.ordering != ORDERING[topic][0]:
        want, why = ORDERING[topic]
        bad("spec.ordering", f"{topic} needs {want!r}: {why}")
    if src.initial_offset != "earliest":
        bad("spec.initialOffset", "a new group must not skip the backlog: 'earliest'")
    partitions = eventing.topics[topic].partitions if topic in eventing.topics else None
    if partitions is not None and src.consumers != partitions:
        bad("spec.consumers", f"match the {partitions} partitions of {topic}")
    if src.bootstrap_servers != (BOOTSTRAP,):
        bad("spec.bootstrapServers", f"expected [{BOOTSTRAP}]")
    if src.namespace != NAMESPACE:
        bad("metadata.namespace", f"expected {NAMESPACE!r}")
    if knative is not None and src.sink.service in knative.services:
        svc = knative.services[src.sink.service]
        if svc.signature_type != "cloudevent":
            bad("spec.sink.ref.name", f"Service {svc.name!r} is not a cloudevent function")
        if svc.timeout_seconds < d.timeout:
            bad(
                "spec.delivery.timeout",
                f"longer than Service {svc.name!r}'s timeoutSeconds "
                f"({svc.timeout_seconds}): the Service would cut the attempt short",
            )
        capacity = svc.container_concurrency * svc.max_scale
        if src.ordering == "unordered":
            out += _check_unordered_bound(doc, src.consumers, eventing.max_poll_records if eventing.data_plane else None, svc)
        elif partitions and capacity and capacity < partitions:
            bad(
                "spec.sink.ref.name",
                f"Service {svc.name!r} takes {capacity} requests at once; ordered delivery sends up to {partitions}",
            )
    return out


def _check_unordered_bound(doc: Document, consumers: int, bound: int | None, svc: KnativeService) -> list[Problem]:
    """The three concurrencies of an unordered source agree (DESIGN §3).

    Each consumer keeps up to max.poll.records records in flight; one pod takes
    containerConcurrency of them, each with a zygote of the sandbox's pool; so one
    consumer's records fill one pod, and max-scale pods take every consumer's.
    """
    if bound is None:
        return [
            Problem.at(
                doc,
                "spec.ordering",
                f"unordered delivery is bounded by max.poll.records: declare it in {DATA_PLANE}/{DATA_PLANE_CONFIG}.yaml",
            )
        ]
    out: list[Problem] = []
    per_pod = svc.container_concurrency
    if per_pod != bound:
        out.append(
            Problem.at(
                doc,
                "spec.sink.ref.name",
                f"Service {svc.name!r} has containerConcurrency {per_pod}, but each consumer keeps max.poll.records "
                f"{bound} in flight ({DATA_PLANE}): make them equal",
            )
        )
    pool = svc.env.get("SANDBOX_POOL_SIZE")
    if pool is not None and pool != str(per_pod):
        out.append(
            Problem.at(
                doc,
                "spec.sink.ref.name",
                f"Service {svc.name!r} runs SANDBOX_POOL_SIZE {pool} sandboxes for containerConcurrency {per_pod}",
            )
        )
    if per_pod and svc.max_scale and per_pod * svc.max_scale < consumers * bound:
        out.append(
            Problem.at(
                doc,
                "spec.consumers",
                f"{consumers} consumers x max.poll.records {bound} = {consumers * bound} in flight, but Service "
                f"{svc.name!r} takes {per_pod * svc.max_scale} at max-scale",
            )
        )
    return out


def check_sources(docs: list[Document], eventing: Eventing, knative: Knative | None, dapr_group: str | None) -> list[Problem]:
    sources = [d for d in docs if d.kind == "KafkaSource"]
    out = [p for d in sources for p in _check_source(d, eventing, knative)]
    for topic in SEED_TOPICS:
        readers = [s.name for s in eventing.sources.values() if topic in s.topics]
        if len(readers) != 1:
            out.append(Problem("eventing/sources", "", topic, f"expected exactly one KafkaSource, found {readers or 'none'}"))
    groups: dict[str, str] = {}
    for doc in sources:
        group = eventing.sources[doc.name].consumer_group
        if group in groups:
            out.append(Problem.at(doc, "spec.consumerGroup", f"shared with {groups[group]}"))
        if group == dapr_group:
            out.append(
                Problem.at(doc, "spec.consumerGroup", "the Dapr Component's group: the two platforms would split the partitions")
            )
        groups[group] = doc.label
    return out
