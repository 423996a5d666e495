"""Reading eventing/ and knative/ into typed objects, failing with field paths."""

from __future__ import annotations

from pathlib import Path

from learnflow.local.manifests._documents import KAFKA_SINK_API, SERVICE_API, Document, load_folder, parse_duration
from learnflow.local.manifests._model import (
    Delivery,
    Destination,
    Eventing,
    KafkaSink,
    KafkaSource,
    KafkaTopic,
    Knative,
    KnativeService,
)

# Knative's own meaning of absent fields, so the local runtime behaves as a cluster.
DEFAULT_BACKOFF_DELAY = 0.2  # EgressConfigFromDelivery(..., 200) ms
DEFAULT_TIMEOUT = 600.0  # the dispatcher's per-request default


def _enum(doc: Document, path: str, allowed: tuple[str, ...], default: str) -> str:
    value: str = doc.get(path, str, default)
    if value not in allowed:
        raise doc.error(path, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _duration(doc: Document, path: str, default: float) -> float:
    text = doc.get(path, str, None)
    if text is None:
        return default
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        raise doc.error(path, str(exc)) from None
    if seconds <= 0 and path.endswith("timeout"):
        raise doc.error(path, "must be greater than zero")
    return seconds


def _strings(doc: Document, path: str) -> tuple[str, ...]:
    items = doc.get(path, list)
    if not items or not all(isinstance(i, str) and i for i in items):
        raise doc.error(path, "expected a non-empty list of strings")
    return tuple(items)


def _topic(doc: Document) -> KafkaTopic:
    return KafkaTopic(
        name=doc.get("spec.topicName", str, doc.name),
        namespace=doc.namespace or "default",
        partitions=doc.get("spec.partitions", int),
        replicas=doc.get("spec.replicas", int),
        config=dict(doc.get("spec.config", dict, {})),
    )


def _sink(doc: Document) -> KafkaSink:
    return KafkaSink(
        name=doc.name,
        namespace=doc.namespace or "default",
        topic=doc.get("spec.topic", str),
        bootstrap_servers=_strings(doc, "spec.bootstrapServers"),
        content_mode=_enum(doc, "spec.contentMode", ("binary", "structured"), "binary"),
    )


def _ref(doc: Document, path: str, api: tuple[str, str]) -> str:
    kind = doc.get(f"{path}.ref.kind", str)
    version = doc.get(f"{path}.ref.apiVersion", str)
    if (version, kind) != api:
        raise doc.error(f"{path}.ref", f"expected {api[0]} {api[1]}, got {version} {kind}")
    ns = doc.get(f"{path}.ref.namespace", str, doc.namespace)
    if ns != doc.namespace:
        raise doc.error(f"{path}.ref.namespace", f"{ns!r} is not the source's namespace")
    name: str = doc.get(f"{path}.ref.name", str)
    return name


def _source(doc: Document, sinks: dict[str, KafkaSink], services: set[str] | None) -> KafkaSource:
    ns = doc.namespace or "default"
    service = _ref(doc, "spec.sink", SERVICE_API)
    if services is not None and service not in services:
        raise doc.error("spec.sink.ref.name", f"no Knative Service {service!r} is declared")
    path = doc.get("spec.sink.uri", str, "/")
    doc.get("spec.delivery", dict)
    dls = _ref(doc, "spec.delivery.deadLetterSink", KAFKA_SINK_API)
    if dls not in sinks:
        raise doc.error("spec.delivery.deadLetterSink.ref.name", f"no KafkaSink {dls!r} is declared")
    retry = doc.get("spec.delivery.retry", int, 0)
    consumers = doc.get("spec.consumers", int, 1)
    if retry < 0 or consumers < 1:
        raise doc.error("spec.delivery.retry" if retry < 0 else "spec.consumers", "out of range")
    return KafkaSource(
        name=doc.name,
        namespace=ns,
        topics=_strings(doc, "spec.topics"),
        bootstrap_servers=_strings(doc, "spec.bootstrapServers"),
        consumer_group=doc.get("spec.consumerGroup", str),
        initial_offset=_enum(doc, "spec.initialOffset", ("earliest", "latest"), "latest"),
        ordering=_enum(doc, "spec.ordering", ("ordered", "unordered"), "ordered"),
        consumers=consumers,
        sink=Destination(service, ns, path if path.startswith("/") else "/" + path),
        delivery=Delivery(
            retry=retry,
            backoff_policy=_enum(doc, "spec.delivery.backoffPolicy", ("linear", "exponential"), "exponential"),
            backoff_delay=_duration(doc, "spec.delivery.backoffDelay", DEFAULT_BACKOFF_DELAY),
            timeout=_duration(doc, "spec.delivery.timeout", DEFAULT_TIMEOUT),
            dead_letter_sink=sinks[dls],
        ),
    )


def _project_dir(root: Path, folder: str) -> Path:
    """Accept the project root or the folder itself."""
    return root.parent if root.name == folder and not (root / folder).is_dir() else root


def load_eventing(root: Path) -> Eventing:
    """Topics, sinks and sources of ``root/eventing``; sinks resolve against ``root/knative``."""
    root = _project_dir(Path(root), "eventing")
    docs = load_folder(root, "eventing")
    of = lambda kind: [d for d in docs if d.kind == kind]  # noqa: E731
    topics = {t.name: t for t in map(_topic, of("KafkaTopic"))}
    sinks = {s.name: s for s in map(_sink, of("KafkaSink"))}
    services = set(load_knative(root).services) if (root / "knative").is_dir() else None
    sources = {d.name: _source(d, sinks, services) for d in of("KafkaSource")}
    return Eventing(topics=topics, sinks=sinks, sources=sources)


def _service(doc: Document) -> KnativeService:
    containers = doc.get("spec.template.spec.containers", list)
    if len(containers) != 1 or not isinstance(containers[0], dict):
        raise doc.error("spec.template.spec.containers", "expected exactly one container")
    env: dict[str, str] = {}
    for i, var in enumerate(containers[0].get("env", [])):
        if not isinstance(var, dict) or not isinstance(var.get("name"), str):
            raise doc.error(f"spec.template.spec.containers[0].env[{i}].name", "expected a string")
        if isinstance(var.get("value"), str):
            env[var["name"]] = var["value"]
    notes = doc.get("spec.template.metadata.annotations", dict, {})

    def scale(key: str) -> int:
        try:
            return int(notes.get(f"autoscaling.knative.dev/{key}", "0"))
        except ValueError:
            raise doc.error(
                f"spec.template.metadata.annotations.autoscaling.knative.dev/{key}", "expected an integer in a string"
            ) from None

    return KnativeService(
        name=doc.name,
        namespace=doc.namespace or "default",
        env=env,
        container_concurrency=doc.get("spec.template.spec.containerConcurrency", int, 0),
        timeout_seconds=doc.get("spec.template.spec.timeoutSeconds", int, 300),
        min_scale=scale("min-scale"),
        max_scale=scale("max-scale"),
    )


def load_knative(root: Path) -> Knative:
    """The Knative Services of ``root/knative``."""
    root = _project_dir(Path(root), "knative")
    docs = load_folder(root, "knative")
    return Knative(services={d.name: _service(d) for d in docs if (d.api_version, d.kind) == SERVICE_API})
