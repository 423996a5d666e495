"""NetworkPolicy checks: every pod is fenced in, and no fence is open.

The schema says a policy is well-formed; these say it does what the project needs. The
namespace denies all traffic by default; every Knative Service found in knative/ (the
functions, and the learner gateway once it is there) has a policy of its own selecting its
pods in both directions; its pods accept requests only from Knative's data plane or the
ingress, and those that run learner code from the activator alone; a Service that does not
admit the ingress keeps the activator in its path; the exporter is reachable only from
Prometheus's namespace on its metrics port. Every egress rule goes to the cluster DNS or to
the Kafka bootstrap's namespace and port, and no rule admits every source or destination;
the one exception is the learner gateway's rule to the identity provider (its keys), to a
namespace the operator labels for it, on HTTPS ports only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from learnflow.local.manifest_check._eventing import BOOTSTRAP
from learnflow.local.manifest_check._report import Problem
from learnflow.local.manifests import Document

SERVICE_LABEL = "serving.knative.dev/service"  # Knative sets it on every pod of a Service
NAMESPACE_LABEL = "kubernetes.io/metadata.name"  # the API server sets it on every namespace
INGRESS_LABEL = "learnflow.dev/ingress"  # the operator labels the ingress's namespace
PROMETHEUS_LABEL = "learnflow.dev/prometheus"  # and Prometheus's
DATA_PLANE = ("knative-serving", "knative-eventing")  # activator and autoscaler; Kafka dispatchers
ACTIVATOR_NAMESPACE = "knative-serving"
DNS_NAMESPACE, DNS_PORT = "kube-system", 53
BURST_CAPACITY = "autoscaling.knative.dev/target-burst-capacity"
LEARNER_CODE = "functions/code_execution/main.py"  # a Service with this FUNCTION_SOURCE runs it
KNATIVE_SERVICE = ("serving.knative.dev/v1", "Service")
POLICY = ("networking.k8s.io/v1", "NetworkPolicy")
# The learner gateway fetches the identity provider's JWKS: the operator labels the namespace
# of the provider (Keycloak, Dex) or of the egress proxy that reaches an external one.
IDP_LABEL = "learnflow.dev/identity-provider"
IDP_PORTS = {("TCP", 443), ("TCP", 8443)}  # HTTPS, and Keycloak's own HTTPS port
GATEWAY_POLICY = "learner-gateway"


def kafka_endpoint(bootstrap: str = BOOTSTRAP) -> tuple[str, int]:
    """(namespace, port) of a ``<service>.<namespace>.svc...:<port>`` bootstrap address."""
    host, _, port = bootstrap.rpartition(":")
    return host.split(".")[1], int(port)


def _labels(selector: Any) -> dict[str, str] | None:
    """A selector's labels, or None when it uses matchExpressions (not checked here)."""
    if not isinstance(selector, dict) or selector.get("matchExpressions"):
        return None
    return dict(selector.get("matchLabels") or {})


def _rules(policy: Document, direction: str) -> Iterator[tuple[str, dict[str, Any], list[Any]]]:
    """(field path, rule, its peers) for each ingress or egress rule."""
    key = "from" if direction == "ingress" else "to"
    for i, rule in enumerate(policy.body.get("spec", {}).get(direction) or []):
        rule = rule if isinstance(rule, dict) else {}
        yield f"spec.{direction}[{i}]", rule, list(rule.get(key) or [])


def _namespace_of(peer: Any) -> dict[str, str] | None:
    labels = _labels(peer.get("namespaceSelector")) if isinstance(peer, dict) else None
    return labels or None


def _ports(rule: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(str(p.get("protocol", "TCP")), p.get("port")) for p in rule.get("ports") or [] if isinstance(p, dict)]


def check_open_rules(policy: Document) -> list[Problem]:
    """No rule admits every peer or every port; every peer names its namespace."""
    out: list[Problem] = []
    for direction, what in (("ingress", "source"), ("egress", "destination")):
        for path, rule, peers in _rules(policy, direction):
            if not peers:
                out.append(
                    Problem.at(policy, path, f"admits every {what} (no {'from' if what == 'source' else 'to'}); name them")
                )
            ports = _ports(rule)
            if not ports or any(not isinstance(port, int) for _, port in ports):
                out.append(Problem.at(policy, f"{path}.ports", "name every port by number"))
            for j, peer in enumerate(peers):
                where = f"{path}.{'from' if direction == 'ingress' else 'to'}[{j}]"
                if isinstance(peer, dict) and "ipBlock" in peer:
                    out.append(Problem.at(policy, f"{where}.ipBlock", "select namespaces and pods, not addresses"))
                elif _namespace_of(peer) is None:
                    out.append(Problem.at(policy, f"{where}.namespaceSelector", "name the namespace (matchLabels)"))
    return out


def check_egress(policy: Document) -> list[Problem]:
    """Each egress rule goes to the cluster DNS or to Kafka, and nowhere else."""
    kafka_namespace, kafka_port = kafka_endpoint()
    allowed = {
        "dns": (DNS_NAMESPACE, {("UDP", DNS_PORT), ("TCP", DNS_PORT)}),
        "kafka": (kafka_namespace, {("TCP", kafka_port)}),
    }
    out: list[Problem] = []
    for path, rule, peers in _rules(policy, "egress"):
        namespaces = [(_namespace_of(p) or {}).get(NAMESPACE_LABEL) for p in peers]
        ports = set(_ports(rule))
        fits = bool(peers) and any(
            bool(ports) and ports <= want and all(n == namespace for n in namespaces) for namespace, want in allowed.values()
        )
        if not fits and _to_identity_provider(policy, peers, ports):
            continue
        if not fits:
            out.append(
                Problem.at(
                    policy,
                    path,
                    f"goes to neither the cluster DNS ({DNS_NAMESPACE}, port {DNS_PORT}) "
                    f"nor Kafka ({kafka_namespace}, TCP {kafka_port})",
                )
            )
    return out


def _to_identity_provider(policy: Document, peers: list[Any], ports: set[tuple[str, Any]]) -> bool:
    """The learner gateway's rule to the identity provider's namespace, on HTTPS ports."""
    return (
        policy.name == GATEWAY_POLICY
        and bool(peers)
        and bool(ports)
        and ports <= IDP_PORTS
        and all((_namespace_of(p) or {}).get(IDP_LABEL) == "true" for p in peers)
    )


def _both_directions(policy: Document) -> list[Problem]:
    types = policy.body.get("spec", {}).get("policyTypes") or []
    if not {"Ingress", "Egress"} <= set(types):
        return [Problem.at(policy, "spec.policyTypes", "must list Ingress and Egress, so both directions are fenced")]
    return []


def _ingress_namespaces(policy: Document) -> list[tuple[str, dict[str, str]]]:
    return [
        (f"{path}.from[{j}]", _namespace_of(peer) or {})
        for path, _, peers in _rules(policy, "ingress")
        for j, peer in enumerate(peers)
    ]


def _check_service(service: Document, policies: list[Document]) -> list[Problem]:
    name = service.name
    own = [p for p in policies if _labels(p.body.get("spec", {}).get("podSelector")) == {SERVICE_LABEL: name}]
    if not own:
        return [Problem.at(service, "(network)", f"no NetworkPolicy selects its pods ({SERVICE_LABEL}: {name})")]
    out: list[Problem] = []
    env = {e.get("name"): e.get("value") for e in service.body["spec"]["template"]["spec"]["containers"][0].get("env") or []}
    learner_code = env.get("FUNCTION_SOURCE") == LEARNER_CODE
    admits_ingress = False
    for policy in own:
        out += _both_directions(policy)
        for where, labels in _ingress_namespaces(policy):
            if labels.get(INGRESS_LABEL) == "true":
                admits_ingress = True
            namespace = labels.get(NAMESPACE_LABEL)
            if learner_code and (namespace != ACTIVATOR_NAMESPACE or INGRESS_LABEL in labels):
                out.append(Problem.at(policy, where, f"runs learner code: admit only {ACTIVATOR_NAMESPACE} (the activator)"))
            elif namespace not in DATA_PLANE and labels.get(INGRESS_LABEL) != "true":
                out.append(
                    Problem.at(policy, where, f"admits neither Knative's data plane ({', '.join(DATA_PLANE)}) nor the ingress")
                )
    notes = service.body["spec"]["template"].get("metadata", {}).get("annotations") or {}
    if not admits_ingress and notes.get(BURST_CAPACITY) != "-1":
        out.append(
            Problem.at(
                service,
                f"spec.template.metadata.annotations.{BURST_CAPACITY}",
                'must be "-1": its NetworkPolicy admits the activator, not the ingress, so keep the activator in the path',
            )
        )
    return out


def _is_default_deny(policy: Document) -> bool:
    spec = policy.body.get("spec", {})
    return (
        _labels(spec.get("podSelector")) == {}
        and {"Ingress", "Egress"} <= set(spec.get("policyTypes") or [])
        and not spec.get("ingress")
        and not spec.get("egress")
    )


def _check_exporter(deployment: Document, policies: list[Document]) -> list[Problem]:
    pod_labels = deployment.body["spec"]["template"].get("metadata", {}).get("labels") or {}
    own = [
        p
        for p in policies
        if (labels := _labels(p.body.get("spec", {}).get("podSelector"))) and labels.items() <= pod_labels.items()
    ]
    if not own:
        return [Problem.at(deployment, "(network)", "no NetworkPolicy selects its pods")]
    ports = {
        port.get("containerPort")
        for c in deployment.body["spec"]["template"]["spec"].get("containers") or []
        for port in c.get("ports") or []
    }
    out: list[Problem] = []
    for policy in own:
        out += _both_directions(policy)
        for path, rule, peers in _rules(policy, "ingress"):
            for j, peer in enumerate(peers):
                if (_namespace_of(peer) or {}).get(PROMETHEUS_LABEL) != "true":
                    out.append(Problem.at(policy, f"{path}.from[{j}]", f"only Prometheus's namespace ({PROMETHEUS_LABEL}=true)"))
            if any(port not in ports for _, port in _ports(rule)):
                out.append(Problem.at(policy, f"{path}.ports", f"only the container's metrics port {sorted(ports)}"))
    return out


def check_network(knative: list[Document], monitoring: list[Document]) -> list[Problem]:
    """The fences of namespace learnflow: knative/ and monitoring/ together."""
    policies = [d for d in [*knative, *monitoring] if (d.api_version, d.kind) == POLICY]
    out: list[Problem] = []
    if not any(_is_default_deny(d) for d in knative if (d.api_version, d.kind) == POLICY):
        out.append(
            Problem(
                "knative",
                "",
                "(network)",
                "no NetworkPolicy denies the namespace's traffic by default (podSelector: {}, Ingress and Egress, no rules)",
            )
        )
    for policy in policies:
        out += check_open_rules(policy) + check_egress(policy)
    out += [p for s in knative if (s.api_version, s.kind) == KNATIVE_SERVICE for p in _check_service(s, policies)]
    out += [p for d in monitoring if d.kind == "Deployment" for p in _check_exporter(d, policies)]
    return out
