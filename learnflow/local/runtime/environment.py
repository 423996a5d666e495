"""A function's environment on this machine: its Knative Service's ``env``, resolved.

The manifests are the single source of truth for laptop and cluster alike, so each
function process gets what its Service's container declares in knative/:

- a literal ``value``, as it is;
- ``configMapKeyRef``: that key of the ConfigMap of that name declared in knative/, in
  the Service's namespace (knative/kafka-config.yaml, say);
- ``secretKeyRef``, ``fieldRef``, ``resourceFieldRef``: nothing on a laptop holds them,
  so such a variable needs a local value, or start-up fails naming it and the flag.

A reference marked ``optional`` that cannot be read leaves its variable unset, as
Kubernetes does. Local values win over the manifest: the user's (``learnflow up --env``,
``--env-file``), then the runtime's own (``KAFKA_*``: the broker it started). Which
manifest variables they override is part of the result, for the banner to say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from learnflow.local.manifests import ConfigMap, EnvVar, KnativeService

RUNTIME_VARIABLES = ("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BROKER_KIND")
"""What the runtime sets itself; a user's value for them would part the functions from the dispatchers."""


@dataclass(frozen=True)
class FunctionEnvironment:
    """What a function process gets on top of the inherited environment, and what stands in its way."""

    values: dict[str, str]
    overridden: dict[str, str]  # manifest variable -> who overrode it: "--env" or "runtime"
    problems: list[str]  # one line each, naming the variable and how to give it a value


def _declared_value(var: EnvVar, config_maps: Mapping[str, ConfigMap], namespace: str) -> tuple[str | None, str | None]:
    """``(value, None)`` when the manifests give the value; ``(None, why not)``; ``(None, None)`` for an optional miss."""
    source = var.value_from
    if source is None:
        return var.value or "", None
    if (ref := source.config_map_key_ref) is not None:
        config_map = config_maps.get(ref.name)
        if config_map is None or config_map.namespace != namespace:
            why = f"ConfigMap {ref.name!r} is not declared in knative/ (namespace {namespace!r})"
        elif ref.key not in config_map.data:
            why = f"ConfigMap {ref.name!r} has no key {ref.key!r}"
        else:
            return config_map.data[ref.key], None
        return None, None if ref.optional else why
    if (ref := source.secret_key_ref) is not None:
        return None, None if ref.optional else f"it comes from Secret {ref.name!r} (key {ref.key!r}), which is not read locally"
    if source.field_ref is not None:
        return None, f"it comes from the pod's {source.field_ref.get('fieldPath', 'fields')}, which has no local value"
    if source.resource_field_ref is not None:
        return None, f"it comes from the container's {source.resource_field_ref.get('resource', 'resources')}"
    return None, "its valueFrom names no source"


def function_environment(
    service: KnativeService,
    config_maps: Mapping[str, ConfigMap],
    *,
    local: Mapping[str, str],
    runtime: Mapping[str, str],
) -> FunctionEnvironment:
    """The Service's environment resolved from the manifests, with ``local`` then ``runtime`` values on top."""
    declared: dict[str, str | None] = {}
    missing: dict[str, str] = {}
    for var in service.containers[0].env:
        value, why = _declared_value(var, config_maps, service.namespace)
        declared[var.name] = value
        if why is not None:
            missing[var.name] = why
    values = {name: value for name, value in declared.items() if value is not None}
    overridden: dict[str, str] = {}
    for by, given in (("--env", local), ("runtime", runtime)):
        for name, value in given.items():
            if name in declared and declared[name] != value:
                overridden[name] = by
            values[name] = value
    problems = [
        f"knative Service {service.name}: {name}: {why}; give it a local value: learnflow up --env {name}=VALUE "
        "(or a line of an --env-file)"
        for name, why in missing.items()
        if name not in values
    ]
    return FunctionEnvironment(values, overridden, problems)
