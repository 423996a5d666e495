"""A function's environment from its Service's manifest: resolved, overridden, or refused with the way out."""

from __future__ import annotations

import pytest

from learnflow.local.manifests import ConfigMap, Container, EnvSource, EnvVar, KeyRef, KnativeService
from learnflow.local.runtime.environment import function_environment
from learnflow.local.runtime.host import host_problems

KAFKA = ConfigMap(name="learnflow-kafka", namespace="learnflow", data={"bootstrapServers": "kafka.cluster:9092"})
RUNTIME = {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092", "KAFKA_BROKER_KIND": "embedded"}


def _service(*env: EnvVar) -> KnativeService:
    return KnativeService(name="code-execution", namespace="learnflow", containers=(Container(env=env),))


def _from(**source: KeyRef | dict[str, str]) -> EnvSource:
    return EnvSource(**source)  # type: ignore[arg-type]


BOOTSTRAP = EnvVar(
    name="KAFKA_BOOTSTRAP_SERVERS", value_from=_from(config_map_key_ref=KeyRef(name="learnflow-kafka", key="bootstrapServers"))
)
LEVEL = EnvVar(name="SANDBOX_MIN_LEVEL", value="L2")


def test_literal_values_and_config_map_keys_reach_the_function() -> None:
    env = function_environment(_service(LEVEL, BOOTSTRAP), {"learnflow-kafka": KAFKA}, local={}, runtime={})
    assert env.values == {"SANDBOX_MIN_LEVEL": "L2", "KAFKA_BOOTSTRAP_SERVERS": "kafka.cluster:9092"}
    assert env.overridden == {} and env.problems == []


def test_local_values_then_the_runtimes_win_and_are_reported() -> None:
    env = function_environment(
        _service(LEVEL, BOOTSTRAP, EnvVar(name="LEARNFLOW_PUBLISH_TIMEOUT_S", value="2")),
        {"learnflow-kafka": KAFKA},
        local={"SANDBOX_MIN_LEVEL": "L1", "LEARNFLOW_PUBLISH_TIMEOUT_S": "2", "EXTRA": "x"},
        runtime=RUNTIME,
    )
    assert env.values == {
        "SANDBOX_MIN_LEVEL": "L1",
        "LEARNFLOW_PUBLISH_TIMEOUT_S": "2",
        "EXTRA": "x",
        **RUNTIME,
    }
    # Equal values override nothing; a variable the manifest does not set is an addition.
    assert env.overridden == {"SANDBOX_MIN_LEVEL": "--env", "KAFKA_BOOTSTRAP_SERVERS": "runtime"}


UNREADABLE = {
    "secret": (_from(secret_key_ref=KeyRef(name="llm", key="apiKey")), "it comes from Secret 'llm' (key 'apiKey')"),
    "config-map-not-declared": (
        _from(config_map_key_ref=KeyRef(name="elsewhere", key="k")),
        "ConfigMap 'elsewhere' is not declared in knative/",
    ),
    "config-map-key-missing": (
        _from(config_map_key_ref=KeyRef(name="learnflow-kafka", key="nope")),
        "ConfigMap 'learnflow-kafka' has no key 'nope'",
    ),
    "field-ref": (_from(field_ref={"fieldPath": "metadata.name"}), "it comes from the pod's metadata.name"),
}


@pytest.mark.parametrize("case", UNREADABLE)
def test_what_no_manifest_here_holds_needs_a_local_value_or_fails_naming_it(case: str) -> None:
    source, why = UNREADABLE[case]
    service = _service(EnvVar(name="LEARNFLOW_LLM_API_KEY", value_from=source))
    [problem] = function_environment(service, {"learnflow-kafka": KAFKA}, local={}, runtime={}).problems
    assert problem.startswith(f"knative Service code-execution: LEARNFLOW_LLM_API_KEY: {why}")
    assert "learnflow up --env LEARNFLOW_LLM_API_KEY=VALUE" in problem
    given = function_environment(service, {"learnflow-kafka": KAFKA}, local={"LEARNFLOW_LLM_API_KEY": "k"}, runtime={})
    assert given.problems == [] and given.values == {"LEARNFLOW_LLM_API_KEY": "k"}


def test_an_optional_reference_that_cannot_be_read_leaves_the_variable_unset() -> None:
    service = _service(
        EnvVar(name="A", value_from=_from(secret_key_ref=KeyRef(name="s", key="k", optional=True))),
        EnvVar(name="B", value_from=_from(config_map_key_ref=KeyRef(name="learnflow-kafka", key="nope", optional=True))),
    )
    env = function_environment(service, {"learnflow-kafka": KAFKA}, local={}, runtime={})
    assert env.values == {} and env.problems == []


def test_a_config_map_of_another_namespace_is_not_the_services() -> None:
    other = ConfigMap(name="learnflow-kafka", namespace="default", data=KAFKA.data)
    [problem] = function_environment(_service(BOOTSTRAP), {"learnflow-kafka": other}, local={}, runtime={}).problems
    assert "ConfigMap 'learnflow-kafka' is not declared in knative/ (namespace 'learnflow')" in problem


@pytest.mark.parametrize(
    ("wanted", "here", "problem"),
    [
        ("L2", 2, None),
        ("L2", 1, "SANDBOX_MIN_LEVEL=L2 cannot hold here, this machine offers L1 (no Landlock"),
        ("L1", 0, "SANDBOX_MIN_LEVEL=L1 cannot hold here, this machine offers L0 (no seccomp"),
        ("L1", 1, None),
        ("L0", 0, None),
        ("L9", 0, None),  # not a level: the function refuses it with its own message
    ],
)
def test_a_sandbox_level_this_machine_cannot_give_names_the_variable_and_the_override(
    wanted: str, here: int, problem: str | None
) -> None:
    found = host_problems("code-execution", {"SANDBOX_MIN_LEVEL": wanted}, lambda: here)
    if problem is None:
        assert found == []
    else:
        [line] = found
        assert line.startswith(f"knative Service code-execution: {problem}")
        assert line.endswith(f"learnflow up --env SANDBOX_MIN_LEVEL=L{here}")


def test_without_a_minimum_level_the_machine_is_not_probed() -> None:
    def probe() -> int:
        raise AssertionError("probed")

    assert host_problems("triage", {"LEARNFLOW_TRIAGE_ATTEMPTS_THRESHOLD": "2"}, probe) == []
