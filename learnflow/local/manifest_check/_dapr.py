"""Checks of eventing/dapr/: the seed's Component, Subscriptions and Resiliency.

Dapr is the alternative driver of the same topics, so it must keep the same
promises as the KafkaSources: a dead-letter topic per seed topic, 3 retries, and
retries only for the statuses Knative retries.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from learnflow.events import DLQ_SUFFIX
from learnflow.local.manifest_check._eventing import SEED_RETRY, SEED_TOPICS
from learnflow.local.manifest_check._report import Problem
from learnflow.local.manifest_check._schemas import CRDS
from learnflow.local.manifests import Document, Eventing

# The seed's Component (000_a311465ffea2599b.txt, "Dapr Pub/Sub Configuration"), verbatim.
SEED_COMPONENT: dict[str, Any] = {
    "apiVersion": "dapr.io/v1alpha1",
    "kind": "Component",
    "metadata": {"name": "pubsub", "namespace": "learnflow"},
    "spec": {
        "type": "pubsub.kafka",
        "version": "v1",
        "metadata": [
            {"name": "brokers", "value": "learnflow-kafka-kafka-bootstrap.kafka.svc.cluster.local:9092"},
            {"name": "authType", "value": "none"},
            {"name": "consumerGroup", "value": "learnflow-group"},
        ],
    },
}
# Knative's retryable statuses (DESIGN §3); every other 4xx is poison.
KNATIVE_RETRYABLE = frozenset({404, 408, 409, 429, *range(500, 600)})


@cache
def kafka_metadata_names() -> frozenset[str]:
    """Every spec.metadata name pubsub.kafka declares, auth profiles included."""
    spec = yaml.safe_load((CRDS / "dapr-pubsub-kafka.metadata.yaml").read_text(encoding="utf-8"))
    names = {m["name"] for m in spec.get("metadata", [])}
    for key in ("builtinAuthenticationProfiles", "authenticationProfiles"):
        for profile in spec.get(key, []):
            names |= {m["name"] for m in profile.get("metadata", [])}
    return frozenset(names)


def parse_status_codes(text: str) -> set[int]:
    """Dapr's ``matching.httpStatusCodes``: comma-separated codes and ``a-b`` ranges."""
    out: set[int] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        low, _, high = part.partition("-")
        out.update(range(int(low), int(high or low) + 1))
    return out


def _diff(expected: Any, actual: Any, path: str) -> str | None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            sub = f"{path}.{key}" if path else key
            if key not in actual:
                return f"{sub}: missing"
            if key not in expected:
                return f"{sub}: not in the seed"
            found = _diff(expected[key], actual[key], sub)
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path}: {len(actual)} items, the seed has {len(expected)}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found = _diff(e, a, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if expected == actual else f"{path}: {actual!r}, the seed has {expected!r}"


def dapr_group(docs: list[Document]) -> str | None:
    for doc in docs:
        if doc.kind == "Component":
            for item in doc.body.get("spec", {}).get("metadata", []) or []:
                if isinstance(item, dict) and item.get("name") == "consumerGroup":
                    return str(item.get("value"))
    return None


def check_dapr(docs: list[Document], eventing: Eventing) -> list[Problem]:
    out: list[Problem] = []
    components = [d for d in docs if d.kind == "Component"]
    if len(components) != 1:
        return [Problem("eventing/dapr", "", "Component", "expected exactly the seed's Component")]
    comp = components[0]
    diff = _diff(SEED_COMPONENT, comp.body, "")
    if diff:
        path, _, why = diff.partition(": ")
        out.append(Problem.at(comp, path, f"{why} (the Component must equal the seed's)"))
    for i, item in enumerate(comp.body.get("spec", {}).get("metadata", []) or []):
        if isinstance(item, dict) and item.get("name") not in kafka_metadata_names():
            out.append(Problem.at(comp, f"spec.metadata[{i}].name", "not a pubsub.kafka field"))

    subs = [d for d in docs if d.kind == "Subscription"]
    for topic in SEED_TOPICS:
        found = [d for d in subs if d.body.get("spec", {}).get("topic") == topic]
        if len(found) != 1:
            out.append(Problem("eventing/dapr", "", topic, "expected exactly one Subscription"))
            continue
        sub, spec = found[0], found[0].body["spec"]
        if spec.get("pubsubname") != comp.name:
            out.append(Problem.at(sub, "spec.pubsubname", f"expected {comp.name!r}"))
        dlq = topic + DLQ_SUFFIX
        if spec.get("deadLetterTopic") != dlq or dlq not in eventing.topics:
            out.append(
                Problem.at(sub, "spec.deadLetterTopic", f"expected declared topic {dlq!r} (without one Dapr retries forever)")
            )
        if (spec.get("metadata") or {}).get("rawPayload") != "true":
            out.append(
                Problem.at(
                    sub, "spec.metadata.rawPayload", 'records are binary-mode CloudEvents, not structured envelopes: set "true"'
                )
            )
        reader = eventing.source_consuming(topic).sink.service if topic in _read(eventing) else None
        if reader and sub.body.get("scopes") != [reader]:
            out.append(Problem.at(sub, "scopes", f"expected [{reader}], the topic's function"))
    out += _check_resiliency([d for d in docs if d.kind == "Resiliency"], comp.name)
    return out


def _read(eventing: Eventing) -> set[str]:
    return {t for s in eventing.sources.values() for t in s.topics}


def _check_resiliency(docs: list[Document], pubsub: str) -> list[Problem]:
    if len(docs) != 1:
        return [Problem("eventing/dapr", "", "Resiliency", "expected exactly one Resiliency")]
    doc = docs[0]
    spec = doc.body.get("spec", {})
    path = f"spec.targets.components.{pubsub}.inbound.retry"
    name = ((spec.get("targets", {}).get("components", {}).get(pubsub) or {}).get("inbound") or {}).get("retry")
    policy = (spec.get("policies", {}).get("retries") or {}).get(name) if name else None
    if not isinstance(policy, dict):
        return [Problem.at(doc, path, f"must name a policy of spec.policies.retries for {pubsub}")]
    out = []
    where = f"spec.policies.retries.{name}"
    if policy.get("maxRetries") != SEED_RETRY:
        out.append(Problem.at(doc, f"{where}.maxRetries", f"the seed's {SEED_RETRY} retries"))
    codes = str((policy.get("matching") or {}).get("httpStatusCodes", ""))
    try:
        ok = parse_status_codes(codes) == KNATIVE_RETRYABLE
    except ValueError:
        ok = False
    if not ok:
        out.append(
            Problem.at(
                doc, f"{where}.matching.httpStatusCodes", f"{codes!r} is not Knative's retryable set 404,408,409,429,500-599"
            )
        )
    return out
