"""The objects the manifests declare, as the local runtime reads them.

Each object is a frozen pydantic dataclass that reads itself from a manifest's body:
a field names its place in the manifest (``AliasPath``), so a validation error names
the manifest's field path (``spec.delivery.backoffDelay``). The same classes can be
built directly in code, by field name (``dataclasses.replace`` works too).

Only what the runtime reads is described, and unknown fields are ignored: checking a
manifest against the full upstream schema is ``manifest_check``'s job. References to
other objects (a Service, a KafkaSink) resolve through the validation context that
``_read`` passes: ``sinks`` (name to :class:`KafkaSink`), ``services`` (declared
names, or absent when there is no ``knative/``) and ``namespace`` (the referrer's).
"""

from __future__ import annotations

from dataclasses import dataclass as plain_dataclass
from dataclasses import field
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    AliasPath,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StrictInt,
    StrictStr,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
)
from pydantic.dataclasses import dataclass

from learnflow.events import ConfigurationError

# Knative's own meaning of absent fields, so the local runtime behaves as a cluster.
DEFAULT_BACKOFF_DELAY = 0.2  # EgressConfigFromDelivery(..., 200) ms
DEFAULT_TIMEOUT = 600.0  # the dispatcher's per-request default
# An unordered source's records in flight per consumer, where no data-plane ConfigMap says:
# max.poll.records as Knative's source data plane ships it (50, ../notes: knative.md §a).
DEFAULT_MAX_POLL_RECORDS = 50
CONSUMER_PROPERTIES = "config-kafka-source-consumer.properties"

# By name for code (dataclasses.replace passes field names), by alias for manifests.
_CONFIG = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)
_TIMEDELTA: TypeAdapter[timedelta] = TypeAdapter(timedelta)

Name = Annotated[StrictStr, StringConstraints(min_length=1)]
Names = Annotated[tuple[Name, ...], Field(min_length=1)]
Count = Annotated[StrictInt, Field(ge=0)]


def _at(path: str, *more: str | int) -> AliasPath:
    return AliasPath(*path.split("."), *more)


def _seconds(value: object) -> object:
    """An ISO-8601 duration as manifests write it (``PT0.5S``), or seconds as code passes them.

    A number in a manifest passes too; the CRD schema check in manifest_check rejects it.
    """
    # pydantic alone would also read "10:00" or "1 day"; Knative takes ISO-8601 only.
    if isinstance(value, str) and value.startswith("P"):
        try:
            return _TIMEDELTA.validate_python(value).total_seconds()
        except ValidationError:
            pass
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise ValueError(f"{value!r} is not an ISO-8601 duration such as PT0.5S")


Seconds = Annotated[float, BeforeValidator(_seconds), Field(ge=0, allow_inf_nan=False)]


def _integer_text(value: object) -> object:
    """Annotations are strings, so Knative's scale bounds are integers written as text."""
    if isinstance(value, str):
        if not value.strip().isdigit():
            raise ValueError(f"expected an integer in a string, got {value!r}")
        return int(value)
    return value


ScaleBound = Annotated[StrictInt, BeforeValidator(_integer_text), Field(ge=0)]


def _declared(kind: str, key: str) -> AfterValidator:
    """A reference's name must be one the context declares (unchecked without a context)."""

    def check(name: str, info: ValidationInfo) -> str:
        declared = (info.context or {}).get(key)
        if declared is not None and name not in declared:
            raise ValueError(f"no {kind} {name!r} is declared")
        return name

    return AfterValidator(check)


def _same_namespace(namespace: str | None, info: ValidationInfo) -> str | None:
    # Knative resolves a reference without a namespace in the referrer's own.
    own = (info.context or {}).get("namespace")
    if namespace is not None and own is not None and namespace != own:
        raise ValueError(f"{namespace!r} is not the source's namespace {own!r}")
    return namespace


RefNamespace = Annotated[Name | None, AfterValidator(_same_namespace)]


@dataclass(frozen=True, config=_CONFIG)
class KafkaTopic:
    """A Strimzi KafkaTopic: the topic's name is ``spec.topicName``, else the object's."""

    name: Name = Field(validation_alias=AliasChoices(_at("spec.topicName"), _at("metadata.name")))
    partitions: Annotated[StrictInt, Field(ge=1)] = Field(validation_alias=_at("spec.partitions"))
    replicas: Annotated[StrictInt, Field(ge=1)] = Field(validation_alias=_at("spec.replicas"))
    namespace: Name = Field(default="default", validation_alias=_at("metadata.namespace"))
    config: dict[str, Any] = Field(default_factory=dict, validation_alias=_at("spec.config"))


@dataclass(frozen=True, config=_CONFIG)
class KafkaSink:
    """A KafkaSink: where the ingress and the dead letters of a source write."""

    name: Name = Field(validation_alias=_at("metadata.name"))
    topic: Name = Field(validation_alias=_at("spec.topic"))
    bootstrap_servers: Names = Field(validation_alias=_at("spec.bootstrapServers"))
    namespace: Name = Field(default="default", validation_alias=_at("metadata.namespace"))
    content_mode: Literal["binary", "structured"] = Field(default="binary", validation_alias=_at("spec.contentMode"))


@dataclass(frozen=True, config=_CONFIG)
class ServiceRef:
    """``spec.sink.ref``: the Knative Service a KafkaSource delivers to."""

    # Required fields; "= Field()" only because the stdlib dataclass takes the
    # aliased apiVersion's Field(...) for a default, and no default may precede one.
    api_version: Literal["serving.knative.dev/v1"] = Field(validation_alias="apiVersion")
    kind: Literal["Service"] = Field()
    name: Annotated[Name, _declared("Knative Service", "services")] = Field()
    namespace: RefNamespace = None


@dataclass(frozen=True, config=_CONFIG)
class Destination:
    """``spec.sink``: a Knative Service by reference, plus a path on it (``uri``)."""

    ref: ServiceRef
    uri: StrictStr = "/"

    @property
    def service(self) -> str:
        return self.ref.name

    @property
    def path(self) -> str:
        return self.uri if self.uri.startswith("/") else "/" + self.uri


@dataclass(frozen=True, config=_CONFIG)
class _KafkaSinkRef:
    api_version: Literal["eventing.knative.dev/v1alpha1"] = Field(validation_alias="apiVersion")
    kind: Literal["KafkaSink"] = Field()
    name: Annotated[Name, _declared("KafkaSink", "sinks")] = Field()
    namespace: RefNamespace = None


@dataclass(frozen=True, config=_CONFIG)
class _SinkDestination:
    ref: _KafkaSinkRef


_SINK_DESTINATION: TypeAdapter[_SinkDestination] = TypeAdapter(_SinkDestination)


def _dead_letter_sink(value: object, info: ValidationInfo) -> KafkaSink:
    """The KafkaSink a ``deadLetterSink`` reference names, from the context's ``sinks``."""
    if isinstance(value, KafkaSink):
        return value  # built in code, or carried over by dataclasses.replace
    sinks = (info.context or {}).get("sinks")
    if sinks is None:
        raise ValueError("a KafkaSink reference resolves only while reading manifests")
    # Errors raised here keep their own field paths, under spec.delivery.deadLetterSink.
    destination = _SINK_DESTINATION.validate_python(value, context=info.context, by_alias=True, by_name=False)
    sink: KafkaSink = sinks[destination.ref.name]
    return sink


@dataclass(frozen=True, config=_CONFIG)
class Delivery:
    """``spec.delivery``; absent fields take Knative's defaults. Durations in seconds."""

    dead_letter_sink: Annotated[KafkaSink, PlainValidator(_dead_letter_sink)] = Field(validation_alias="deadLetterSink")
    retry: Count = 0
    backoff_policy: Literal["linear", "exponential"] = Field(default="exponential", validation_alias="backoffPolicy")
    backoff_delay: Seconds = Field(default=DEFAULT_BACKOFF_DELAY, validation_alias="backoffDelay")
    timeout: Annotated[Seconds, Field(gt=0)] = DEFAULT_TIMEOUT  # per attempt


@dataclass(frozen=True, config=_CONFIG)
class KafkaSource:
    """A KafkaSource: which topics, which group, delivered how and to which Service."""

    name: Name = Field(validation_alias=_at("metadata.name"))
    topics: Names = Field(validation_alias=_at("spec.topics"))
    bootstrap_servers: Names = Field(validation_alias=_at("spec.bootstrapServers"))
    consumer_group: Name = Field(validation_alias=_at("spec.consumerGroup"))
    sink: Destination = Field(validation_alias=_at("spec.sink"))
    delivery: Delivery = Field(validation_alias=_at("spec.delivery"))
    namespace: Name = Field(default="default", validation_alias=_at("metadata.namespace"))
    initial_offset: Literal["earliest", "latest"] = Field(default="latest", validation_alias=_at("spec.initialOffset"))
    ordering: Literal["ordered", "unordered"] = Field(default="ordered", validation_alias=_at("spec.ordering"))
    consumers: Annotated[StrictInt, Field(ge=1)] = Field(default=1, validation_alias=_at("spec.consumers"))


@dataclass(frozen=True, config=_CONFIG)
class KeyRef:
    """``configMapKeyRef`` or ``secretKeyRef``: one key of a named object."""

    name: Name
    key: Name
    optional: bool = False


@dataclass(frozen=True, config=_CONFIG)
class EnvSource:
    """``valueFrom``: a ConfigMap's key, a Secret's key, or a field of the pod or container."""

    config_map_key_ref: KeyRef | None = Field(default=None, validation_alias="configMapKeyRef")
    secret_key_ref: KeyRef | None = Field(default=None, validation_alias="secretKeyRef")
    field_ref: dict[str, Any] | None = Field(default=None, validation_alias="fieldRef")
    resource_field_ref: dict[str, Any] | None = Field(default=None, validation_alias="resourceFieldRef")


@dataclass(frozen=True, config=_CONFIG)
class EnvVar:
    """A container's variable: a literal ``value``, or a ``valueFrom`` source."""

    name: Name
    value: StrictStr | None = None
    value_from: EnvSource | None = Field(default=None, validation_alias="valueFrom")


@dataclass(frozen=True, config=_CONFIG)
class Container:
    env: tuple[EnvVar, ...] = ()


@dataclass(frozen=True, config=_CONFIG)
class KnativeService:
    """A Knative Service (serving.knative.dev/v1) running one function in its one container."""

    name: Name = Field(validation_alias=_at("metadata.name"))
    containers: tuple[Container] = Field(validation_alias=_at("spec.template.spec.containers"))
    namespace: Name = Field(default="default", validation_alias=_at("metadata.namespace"))
    # In Knative 0 means no limit, here and in max_scale.
    container_concurrency: Count = Field(default=0, validation_alias=_at("spec.template.spec.containerConcurrency"))
    timeout_seconds: Count = Field(default=300, validation_alias=_at("spec.template.spec.timeoutSeconds"))
    min_scale: ScaleBound = Field(
        default=0, validation_alias=_at("spec.template.metadata.annotations", "autoscaling.knative.dev/min-scale")
    )
    max_scale: ScaleBound = Field(
        default=0, validation_alias=_at("spec.template.metadata.annotations", "autoscaling.knative.dev/max-scale")
    )

    @property
    def env(self) -> dict[str, str]:
        """The container's literal variables; ``valueFrom`` ones are left out."""
        return {var.name: var.value for var in self.containers[0].env if var.value is not None}

    @property
    def target(self) -> str:
        return self.env.get("FUNCTION_TARGET", "")

    @property
    def signature_type(self) -> str:
        return self.env.get("FUNCTION_SIGNATURE_TYPE", "http")

    @property
    def source(self) -> str:
        return self.env.get("FUNCTION_SOURCE", "")


def parse_properties(text: str) -> dict[str, str]:
    """A Java ``.properties`` text as Knative's data plane reads it: ``key=value`` lines, ``#`` comments."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "!")):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


def _max_poll_records(text: object) -> object:
    if not isinstance(text, str):
        return text
    value = parse_properties(text).get("max.poll.records")
    if value is None:
        return 500  # the Kafka consumer's own default when the file does not set it
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"max.poll.records={value!r} is not a positive integer")
    return int(value)


@dataclass(frozen=True, config=_CONFIG)
class SourceDataPlane:
    """Knative's ``config-kafka-source-data-plane``: the consumer settings of every KafkaSource."""

    # An unordered source's consumer keeps at most this many records in flight.
    max_poll_records: Annotated[StrictInt, BeforeValidator(_max_poll_records), Field(ge=1)] = Field(
        validation_alias=_at("data", CONSUMER_PROPERTIES)
    )


@plain_dataclass(frozen=True)
class Eventing:
    topics: dict[str, KafkaTopic]
    sinks: dict[str, KafkaSink]
    sources: dict[str, KafkaSource]
    data_plane: SourceDataPlane | None = None

    @property
    def max_poll_records(self) -> int:
        """The bound on an unordered source's records in flight, per consumer."""
        return self.data_plane.max_poll_records if self.data_plane else DEFAULT_MAX_POLL_RECORDS

    def source_consuming(self, topic: str) -> KafkaSource:
        """The KafkaSource that reads ``topic``."""
        for s in self.sources.values():
            if topic in s.topics:
                return s
        raise ConfigurationError(f"no KafkaSource reads topic {topic!r}")


@dataclass(frozen=True, config=_CONFIG)
class ConfigMap:
    """A ConfigMap (v1): string data a Service's ``configMapKeyRef`` reads."""

    name: Name = Field(validation_alias=_at("metadata.name"))
    namespace: Name = Field(default="default", validation_alias=_at("metadata.namespace"))
    data: dict[str, StrictStr] = Field(default_factory=dict, validation_alias="data")


@plain_dataclass(frozen=True)
class Knative:
    services: dict[str, KnativeService]
    config_maps: dict[str, ConfigMap] = field(default_factory=dict)
