"""Offline validation of every manifest: schemas, cross-references, the image.

``check(root)`` reads what ``kubectl apply -k`` would apply from ``eventing/kafka/``,
``eventing/``, ``eventing/dapr/``, ``knative/`` and ``monitoring/`` (and, when rendering,
the dev overlay of ``overlays/dev/``), plus each ``functions/*/func.yaml`` and the
``Dockerfile``, and returns a :class:`Report` whose problems each name a file, an
object and a field path. ``python -m learnflow.local.manifest_check [ROOT]`` prints it;
``--scan`` runs the manifest scanner (checkov, see ``scan``) instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from learnflow.events import ConfigurationError
from learnflow.local.manifest_check._dapr import check_dapr, dapr_group
from learnflow.local.manifest_check._dockerfile import check_dockerfile
from learnflow.local.manifest_check._eventing import check_sinks, check_sources, check_topics
from learnflow.local.manifest_check._exercises import CATALOGUE, check_exercises
from learnflow.local.manifest_check._kafka_cluster import check_dev_overlay, check_kafka_cluster
from learnflow.local.manifest_check._knative import check_functions, check_services
from learnflow.local.manifest_check._kustomize import FOLDERS, check_kustomize
from learnflow.local.manifest_check._monitoring import check_monitoring
from learnflow.local.manifest_check._network import check_network
from learnflow.local.manifest_check._report import Checked, Problem, Report
from learnflow.local.manifest_check._schemas import validate_manifest
from learnflow.local.manifests import Document, Eventing, Knative, kustomize_files, load_eventing, load_knative, read_documents

__all__ = ["Checked", "Problem", "Report", "check"]

# Generated from the contracts, not manifests: the JSON Schemas and the AsyncAPI document;
# data, not a manifest: the exercise catalogue a configMapGenerator reads (_exercises.py).
_OWN_ELSEWHERE = ("eventing/schemas", "eventing/asyncapi.yaml", "knative/exercises/")


def _read_folders(root: Path, report: Report) -> dict[str, list[Document]]:
    out: dict[str, list[Document]] = {}
    listed: set[Path] = set()
    for folder in FOLDERS:
        out[folder] = []
        try:
            files = kustomize_files(root / folder)
        except ConfigurationError as exc:
            report.add([Problem.from_error(exc)])
            continue
        for f in files:
            listed.add(f.resolve())
            try:
                out[folder] += read_documents(f, str(f.relative_to(root)))
            except ConfigurationError as exc:
                report.add([Problem.from_error(exc)])
    for top in ("eventing", "knative"):
        for f in sorted((root / top).rglob("*.y*ml")):
            rel = f.relative_to(root).as_posix()
            if f.name != "kustomization.yaml" and f.resolve() not in listed and not rel.startswith(_OWN_ELSEWHERE):
                report.add(
                    [Problem(rel, "", "(file)", "not in any kustomization.yaml resources, so kubectl apply -k would skip it")]
                )
    return out


def _guarded(report: Report, what: str, run: Callable[[], list[Problem]]) -> None:
    try:
        report.add(run())
    except ConfigurationError as exc:
        report.add([Problem.from_error(exc)])
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        report.add([Problem(what, "", "(structure)", f"cannot check: {exc!r}")])


def check(root: Path, *, render: bool = True) -> Report:
    """Validate every manifest under ``root``; ``render`` also runs kubectl kustomize."""
    root = Path(root).resolve()
    report = Report()
    folders = _read_folders(root, report)
    for docs in folders.values():
        for doc in docs:
            report.checked.append(Checked(doc.display, doc.label, f"{doc.api_version} schema"))
            report.add(validate_manifest(doc))

    eventing: Eventing | None = None
    knative: Knative | None = None
    try:
        knative = load_knative(root)
        eventing = load_eventing(root)
    except ConfigurationError as exc:
        report.add([Problem.from_error(exc)])
    events, dapr, kn, mon = folders["eventing"], folders["eventing/dapr"], folders["knative"], folders["monitoring"]
    cluster = folders["eventing/kafka"]
    _guarded(report, "eventing/kafka", lambda: check_kafka_cluster(cluster, events, kn, dapr))
    if eventing is not None:
        ev = eventing
        _guarded(report, "eventing", lambda: check_topics(events))
        _guarded(report, "eventing", lambda: check_sinks(events, ev))
        _guarded(report, "eventing", lambda: check_sources(events, ev, knative, dapr_group(dapr)))
        _guarded(report, "eventing/dapr", lambda: check_dapr(dapr, ev))
    if knative is not None:
        kv = knative
        _guarded(report, "knative", lambda: check_services(kn, root))
        _guarded(report, "knative", lambda: check_network(kn, mon))
        _guarded(report, "knative", lambda: check_exercises(root, kn))
        report.checked.append(Checked(CATALOGUE, "", "exercise catalogue"))
        func_problems, func_docs = check_functions(root, kv)
        report.add(func_problems)
        report.checked += [Checked(d.display, f"func.yaml/{d.body.get('name', '?')}", "func.yaml JSON Schema") for d in func_docs]
    _guarded(report, "monitoring", lambda: check_monitoring(mon))
    report.checked.append(Checked("Dockerfile", "", "image invariants"))
    report.add(check_dockerfile(root))
    if render:
        counts = {folder: len(docs) for folder, docs in folders.items()}
        report.checked += [Checked(f"{f}/kustomization.yaml", "", "kubectl kustomize") for f in FOLDERS]
        report.add(check_kustomize(root, counts))
        dev_problems, dev_checked = check_dev_overlay(root, kn, dapr)
        report.checked += dev_checked
        report.add(dev_problems)
    return report
