"""The whole pipeline on one machine: the composition root of ``learnflow up``.

Everything is read from the manifests: topics from the KafkaTopics in eventing/,
functions from the Knative Services in knative/ (each with its Service's environment,
environment.py), one dispatcher per KafkaSource, one ingress route per KafkaSink. The
learner gateway's Service is not a function: when asked for (``gateway_port``), it runs
as its own process, minting learner tokens for the page. Every process exports its spans
to ``otlp_endpoint``, or, without one, to the embedded receiver that keeps them for
``learnflow trace``. Start order is trace receiver, broker, topics,
functions, metrics, exporter, dispatchers, ingress, gateway; stop order is the reverse,
and every process started is stopped by PID even when start-up fails half-way.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from learnflow.events import ConfigurationError, load_catalogue
from learnflow.local._admin import ensure_topics
from learnflow.local._broker import EmbeddedBroker
from learnflow.local._function_server import FunctionServer
from learnflow.local._gateway_server import GATEWAY_SERVICE, GatewayServer, dev_environment
from learnflow.local._metrics_server import MetricsServer, parse_address, serve_metrics
from learnflow.local._process import bindable
from learnflow.local.exporter import GroupSpec, OffsetsExporter, Watch
from learnflow.local.manifests import ConfigMap, Eventing, KnativeService, load_eventing, load_knative
from learnflow.local.runtime.dispatcher import Dispatcher
from learnflow.local.runtime.environment import RUNTIME_VARIABLES, FunctionEnvironment, function_environment
from learnflow.local.runtime.host import host_problems
from learnflow.local.runtime.ingress import Consumer, Ingress, IngressServer
from learnflow.local.runtime.sink import SinkWriter
from learnflow.local.runtime.supervisor import SupervisedFunction, function_folder
from learnflow.local.runtime.tracing import SERVICE_NAME as RUNTIME_SERVICE
from learnflow.local.runtime.transport import Transport
from learnflow.local.traces import (
    DEFAULT_ADDRESS,
    SCHEDULE_DELAY_MS,
    ReceiverProcess,
    export_runtime_spans,
    stop_runtime_spans,
    traces_url,
)
from learnflow.serverless import BrokerKind, KafkaSettings, Publisher, kafka_settings

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_EXERCISES = Path("functions/_exercises/catalogue.yaml")
"""The catalogue shipped with the functions, relative to PROJECT_ROOT (the library imports no function)."""
EXERCISES_VARIABLE = "LEARNFLOW_EXERCISES"


@dataclass(frozen=True)
class StackOptions:
    root: Path = PROJECT_ROOT
    bootstrap_servers: str | None = None  # None: start the embedded broker
    broker_port: int = 9092
    ingress_port: int = 8080
    functions_port: int = 8081  # the first function's port; the others follow
    metrics_address: str = "127.0.0.1:9464"
    log_dir: Path = Path(".learnflow/logs")
    function_env: dict[str, str] = field(default_factory=dict)  # --env: over every Service's manifest env
    broker_kind: BrokerKind | None = None  # of an external broker; None: from KAFKA_BROKER_KIND
    validate_ingress: bool = False  # refuse invalid documents at the ingress (no KafkaSink does)
    gateway_port: int | None = None  # None: no learner gateway; 0: any free port
    otlp_endpoint: str | None = None  # every process's spans go there; None: the embedded receiver keeps them
    traces_address: str = DEFAULT_ADDRESS  # the embedded receiver's HOST:PORT (without --otlp-endpoint)
    exercises: Path | None = None  # the exercise catalogue; None: the one shipped with the functions

    @property
    def exercises_file(self) -> Path:
        # The default ships with the functions this installation runs, not with the manifests
        # of --root (a folder of manifests only needs none).
        return (self.exercises or PROJECT_ROOT / DEFAULT_EXERCISES).resolve()


TransportFor = Callable[[str], Transport]
"""Service name -> the transport its dispatcher delivers with (a fault-injecting one, say)."""


class LocalStack:
    """Starts and stops every part; ``status`` sources read its parts while it runs."""

    def __init__(
        self, options: StackOptions, *, eventing: Eventing | None = None, transport_for: TransportFor | None = None
    ) -> None:
        self.options = options
        self.eventing: Eventing = eventing or load_eventing(options.root)
        self._transport_for = transport_for
        knative = load_knative(options.root)
        self.services: dict[str, KnativeService] = {n: s for n, s in knative.services.items() if n != GATEWAY_SERVICE}
        self.config_maps: dict[str, ConfigMap] = knative.config_maps
        self.environments: dict[str, FunctionEnvironment] = {}  # per Service, once its function started
        self.broker: EmbeddedBroker | None = None
        self.settings: KafkaSettings | None = None
        self.functions: dict[str, SupervisedFunction] = {}
        self.dispatchers: dict[str, Dispatcher] = {}
        self.ingress: IngressServer | None = None
        self.metrics: MetricsServer | None = None
        self.exporter: OffsetsExporter | None = None
        self.gateway: GatewayServer | None = None
        self.traces: ReceiverProcess | None = None  # the embedded default, when no --otlp-endpoint
        self.otlp_endpoint: str | None = None  # where every process exports, once started
        self._publisher: Publisher | None = None

    # -- start -----------------------------------------------------------------------

    def start(self) -> LocalStack:
        # A catalogue that does not validate would stop every function that reads it: say so first,
        # with the file, the exercise and the field.
        load_catalogue(self.options.exercises_file)
        # What the functions' environments lack, or ask of this machine, is known before anything starts.
        self._environments(dict.fromkeys(RUNTIME_VARIABLES, ""))
        port = self.options.gateway_port
        if port and not bindable("127.0.0.1", port):
            raise ConfigurationError(f"the learner gateway needs port {port}, but it is in use; choose --gateway-port")
        try:
            self._start_tracing()
            self._start_kafka()
            self._start_functions()
            self.metrics = serve_metrics(self.options.metrics_address)
            self._start_exporter()
            self._start_dispatchers()
            self._start_ingress()
            self._start_gateway()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_tracing(self) -> None:
        """Start the embedded receiver unless spans go to a collector; this process exports there too."""
        endpoint = self.options.otlp_endpoint
        if not endpoint:
            host, port = parse_address(self.options.traces_address)
            if port and not bindable(host, port):
                raise ConfigurationError(
                    f"the embedded trace receiver needs {self.options.traces_address}, but it is in use: "
                    "a collector there? pass --otlp-endpoint http://HOST:PORT, or choose --traces-address"
                )
            self.traces = ReceiverProcess(host, port, log_path=self.options.log_dir / "traces.log").start()
            endpoint = self.traces.url
        self.otlp_endpoint = endpoint
        export_runtime_spans(RUNTIME_SERVICE, endpoint)

    def tracing_environment(self) -> dict[str, str]:
        """What every child process needs to export its spans where this stack's go (standard OTEL_* only)."""
        assert self.otlp_endpoint is not None
        return {
            "OTEL_EXPORTER_OTLP_ENDPOINT": self.otlp_endpoint,
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": traces_url(self.otlp_endpoint),
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
            # A person asks for a waterfall seconds after clicking: export sooner than the SDK's 5 s.
            "OTEL_BSP_SCHEDULE_DELAY": os.environ.get("OTEL_BSP_SCHEDULE_DELAY", str(SCHEDULE_DELAY_MS)),
        }

    def _start_kafka(self) -> None:
        opts = self.options
        if opts.bootstrap_servers:
            kind = {"KAFKA_BROKER_KIND": opts.broker_kind} if opts.broker_kind else {}
            self.settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS=opts.bootstrap_servers, **kind)
        else:
            self.broker = EmbeddedBroker(port=opts.broker_port, log_path=opts.log_dir / "broker.log").start()
            self.settings = kafka_settings(KAFKA_BOOTSTRAP_SERVERS=self.broker.bootstrap, KAFKA_BROKER_KIND=BrokerKind.EMBEDDED)
        partitions = {t.name: t.partitions for t in self.eventing.topics.values()}
        ensure_topics(self.settings, partitions)
        self._publisher = Publisher("runtime", settings=self.settings)

    def _environments(self, runtime: dict[str, str]) -> dict[str, FunctionEnvironment]:
        """Each Service's environment (environment.py); ConfigurationError naming whatever cannot be met."""
        local = self.options.function_env
        if clash := sorted(set(local) & set(RUNTIME_VARIABLES)):
            raise ConfigurationError(
                f"--env {', '.join(clash)}: learnflow up sets these itself, for the broker it uses "
                "(choose that broker with --bootstrap-servers and KAFKA_BROKER_KIND)"
            )
        if EXERCISES_VARIABLE in local:
            raise ConfigurationError(f"--env {EXERCISES_VARIABLE}: give the catalogue with learnflow up --exercises PATH")
        environments = {
            name: function_environment(service, self.config_maps, local=local, runtime=self._runtime_for(service, runtime))
            for name, service in sorted(self.services.items())
        }
        problems = [p for env in environments.values() for p in env.problems]
        problems += [p for name, env in environments.items() for p in host_problems(name, env.values)]
        if problems:
            raise ConfigurationError("; ".join(problems))
        return environments

    def _runtime_for(self, service: KnativeService, runtime: dict[str, str]) -> dict[str, str]:
        """``runtime``, plus the catalogue's local path for a Service that reads one (its ConfigMap's mount in a cluster)."""
        if any(var.name == EXERCISES_VARIABLE for var in service.containers[0].env):
            return {**runtime, EXERCISES_VARIABLE: str(self.options.exercises_file)}
        return runtime

    def _start_functions(self) -> None:
        assert self.settings is not None
        runtime = {
            "KAFKA_BOOTSTRAP_SERVERS": self.settings.bootstrap_servers,
            "KAFKA_BROKER_KIND": self.settings.broker_kind.value,
            **self.tracing_environment(),
        }
        self.environments = self._environments(runtime)
        for name, env in self.environments.items():
            if env.overridden:
                log.info(
                    "function %s: local values override %s", name, ", ".join(f"{k} ({by})" for k, by in env.overridden.items())
                )
        port = self.options.functions_port
        busy = [p for p in range(port, port + len(self.services)) if not bindable("127.0.0.1", p)]
        if busy:
            raise ConfigurationError(
                f"functions need ports {port}-{port + len(self.services) - 1}, but {busy} in use; choose --functions-port"
            )
        for name, service in sorted(self.services.items()):
            if not service.source or not service.target:
                raise ConfigurationError(f"knative Service {name}: FUNCTION_SOURCE and FUNCTION_TARGET must be set")
            server = FunctionServer(
                function_folder(service.source),
                service.target,
                service.signature_type,
                port=port,
                env=self.environments[name].values,
                log_path=self.options.log_dir / f"{name}.log",
                source=self.options.root / service.source,
            )
            port += 1
            self.functions[name] = SupervisedFunction(name, server)
        # Start them together: each takes a second or two to import, mostly in parallel.
        for function in self.functions.values():
            function.server.spawn()
        for function in self.functions.values():
            function.start()

    def _start_exporter(self) -> None:
        assert self.settings is not None
        groups = [GroupSpec(s.consumer_group, frozenset(s.topics)) for s in self.eventing.sources.values()]
        # The registry and eventing/ declare the same topics (a manifest test checks it).
        self.exporter = OffsetsExporter(self.settings, watch=Watch.from_registry(), groups=groups).start()

    def _start_dispatchers(self) -> None:
        assert self.settings is not None and self._publisher is not None
        for name, source in sorted(self.eventing.sources.items()):
            function = self.functions.get(source.sink.service)
            if function is None:
                raise ConfigurationError(f"KafkaSource {name}: sink Service {source.sink.service!r} is not declared")
            url = function.server.url.rstrip("/") + source.sink.path
            writer = SinkWriter(source.delivery.dead_letter_sink, self._publisher)
            transport = self._transport_for(source.sink.service) if self._transport_for else None
            # The cluster's bound (eventing/data-plane/), so an unordered source has as many
            # records in flight here as each of its consumers has there.
            self.dispatchers[name] = Dispatcher(
                source, url, self.settings, writer, transport=transport, max_in_flight=self.eventing.max_poll_records
            ).start()

    def _start_ingress(self) -> None:
        assert self._publisher is not None
        writers = [SinkWriter(sink, self._publisher) for sink in self.eventing.sinks.values()]
        consumers = {
            topic: Consumer(source.sink.service, source.delivery.dead_letter_sink.topic)
            for source in self.eventing.sources.values()
            for topic in source.topics
        }
        ingress = Ingress(writers, consumers=consumers, validate=self.options.validate_ingress)
        self.ingress = IngressServer(ingress, port=self.options.ingress_port).start()

    def _start_gateway(self) -> None:
        if self.options.gateway_port is None:
            return
        assert self.settings is not None
        kafka = {"KAFKA_BOOTSTRAP_SERVERS": self.settings.bootstrap_servers, "KAFKA_BROKER_KIND": self.settings.broker_kind.value}
        self.gateway = GatewayServer(
            port=self.options.gateway_port or None,
            env={**dev_environment(kafka), **self.tracing_environment(), EXERCISES_VARIABLE: str(self.options.exercises_file)},
            log_path=self.options.log_dir / "gateway.log",
        )
        self.gateway.start()

    # -- stop ------------------------------------------------------------------------

    def stop(self) -> None:
        if self.gateway is not None:
            self.gateway.stop()
            self.gateway = None
        if self.ingress is not None:
            self.ingress.stop()
        for dispatcher in self.dispatchers.values():
            dispatcher.stopping()  # each may be inside a poll of up to one fetch wait: end them together
        for dispatcher in self.dispatchers.values():
            dispatcher.stop()
        if self.exporter is not None:
            self.exporter.stop()
        if self.metrics is not None:
            self.metrics.stop()
        for function in self.functions.values():
            function.stop()
        if self._publisher is not None:
            self._publisher.close()
        if self.broker is not None:
            self.broker.stop()
        # Last: the children flushed their spans as they stopped, and this process's go now.
        stop_runtime_spans()
        if self.traces is not None:
            self.traces.stop()
        self.ingress, self.exporter, self.metrics, self.broker, self._publisher = None, None, None, None, None
        self.traces = None
        self.dispatchers.clear()
        self.functions.clear()
