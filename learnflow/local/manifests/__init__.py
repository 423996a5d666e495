"""Typed view of the cluster manifests: what ``eventing/`` and ``knative/`` declare.

The manifests are the single source of truth for topics, delivery and sinks, in a
cluster and on a laptop alike: the local runtime reads these objects instead of
configuring retries or dead letters a second time. Only what ``kubectl apply -k``
would apply is read (the ``resources`` of each ``kustomization.yaml``).

Each object is read into a pydantic model, and every problem raises
:class:`~learnflow.events.ConfigurationError` naming the file, the object and the
field path, e.g.
``eventing/sources/triage.yaml: KafkaSource/triage: spec.delivery: Field required``.
"""

from learnflow.local.manifests._documents import Document, kustomize_files, load_folder, read_documents
from learnflow.local.manifests._load import DATA_PLANE, DATA_PLANE_CONFIG, load_data_plane, load_eventing, load_knative
from learnflow.local.manifests._model import (
    DEFAULT_BACKOFF_DELAY,
    DEFAULT_MAX_POLL_RECORDS,
    DEFAULT_TIMEOUT,
    ConfigMap,
    Container,
    Delivery,
    Destination,
    EnvSource,
    EnvVar,
    Eventing,
    KafkaSink,
    KafkaSource,
    KafkaTopic,
    KeyRef,
    Knative,
    KnativeService,
    ServiceRef,
    SourceDataPlane,
    parse_properties,
)
from learnflow.local.manifests._read import read_object

__all__ = [
    "DATA_PLANE",
    "DATA_PLANE_CONFIG",
    "DEFAULT_BACKOFF_DELAY",
    "DEFAULT_MAX_POLL_RECORDS",
    "DEFAULT_TIMEOUT",
    "ConfigMap",
    "Container",
    "Delivery",
    "Destination",
    "Document",
    "EnvSource",
    "EnvVar",
    "Eventing",
    "KafkaSink",
    "KafkaSource",
    "KafkaTopic",
    "KeyRef",
    "Knative",
    "KnativeService",
    "ServiceRef",
    "SourceDataPlane",
    "kustomize_files",
    "load_data_plane",
    "load_eventing",
    "load_folder",
    "load_knative",
    "parse_properties",
    "read_documents",
    "read_object",
]
