"""Typed view of the cluster manifests: what ``eventing/`` and ``knative/`` declare.

The manifests are the single source of truth for topics, delivery and sinks, in a
cluster and on a laptop alike: the local runtime reads these objects instead of
configuring retries or dead letters a second time. Only what ``kubectl apply -k``
would apply is read (the ``resources`` of each ``kustomization.yaml``).

Every problem raises :class:`~learnflow.events._errors.ConfigurationError` naming the file,
the object and the field path, e.g.
``eventing/sources/triage.yaml: KafkaSource/triage: spec.delivery: missing``.
"""

from learnflow.local.manifests._documents import Document, kustomize_files, load_folder, parse_duration, read_documents
from learnflow.local.manifests._load import DEFAULT_BACKOFF_DELAY, DEFAULT_TIMEOUT, load_eventing, load_knative
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

__all__ = [
    "DEFAULT_BACKOFF_DELAY",
    "DEFAULT_TIMEOUT",
    "Delivery",
    "Destination",
    "Document",
    "Eventing",
    "KafkaSink",
    "KafkaSource",
    "KafkaTopic",
    "Knative",
    "KnativeService",
    "kustomize_files",
    "load_eventing",
    "load_folder",
    "load_knative",
    "parse_duration",
    "read_documents",
]
