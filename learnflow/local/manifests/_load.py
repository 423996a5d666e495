"""Reading eventing/ and knative/ into their models, references resolved."""

from __future__ import annotations

from pathlib import Path

from learnflow.local.manifests._documents import SERVICE_API, Document, load_folder
from learnflow.local.manifests._model import (
    ConfigMap,
    Eventing,
    KafkaSink,
    KafkaSource,
    KafkaTopic,
    Knative,
    KnativeService,
    SourceDataPlane,
)
from learnflow.local.manifests._read import read_object


def _project_dir(root: Path, folder: str) -> Path:
    """Accept the project root or the folder itself."""
    return root.parent if root.name == folder and not (root / folder).is_dir() else root


def _source(doc: Document, sinks: dict[str, KafkaSink], services: set[str] | None) -> KafkaSource:
    context = {"sinks": sinks, "namespace": doc.namespace or "default"}
    if services is not None:
        context["services"] = services
    return read_object(doc, KafkaSource, **context)


def load_eventing(root: Path) -> Eventing:
    """Topics, sinks and sources of ``root/eventing``; sinks resolve against ``root/knative``."""
    root = _project_dir(Path(root), "eventing")
    docs = load_folder(root, "eventing")
    topics = {t.name: t for t in (read_object(d, KafkaTopic) for d in docs if d.kind == "KafkaTopic")}
    sinks = {s.name: s for s in (read_object(d, KafkaSink) for d in docs if d.kind == "KafkaSink")}
    services = set(load_knative(root).services) if (root / "knative").is_dir() else None
    sources = {s.name: s for s in (_source(d, sinks, services) for d in docs if d.kind == "KafkaSource")}
    return Eventing(topics=topics, sinks=sinks, sources=sources, data_plane=load_data_plane(root))


DATA_PLANE = "eventing/data-plane"
DATA_PLANE_CONFIG = "config-kafka-source-data-plane"


def load_data_plane(root: Path) -> SourceDataPlane | None:
    """The KafkaSource data plane's settings of ``root/eventing/data-plane``, if it has that folder."""
    if not (root / DATA_PLANE).is_dir():
        return None
    for doc in load_folder(root, DATA_PLANE):
        if (doc.api_version, doc.kind, doc.name) == ("v1", "ConfigMap", DATA_PLANE_CONFIG):
            return read_object(doc, SourceDataPlane)
    return None


def load_knative(root: Path) -> Knative:
    """The Knative Services of ``root/knative``, and the ConfigMaps beside them."""
    root = _project_dir(Path(root), "knative")
    docs = load_folder(root, "knative")
    services = (read_object(d, KnativeService) for d in docs if (d.api_version, d.kind) == SERVICE_API)
    config_maps = (read_object(d, ConfigMap) for d in docs if (d.api_version, d.kind) == ("v1", "ConfigMap"))
    return Knative(services={s.name: s for s in services}, config_maps={c.name: c for c in config_maps})
