# Every target that runs code first makes sure .venv exists and is newer than pyproject.toml.
# `make test PYTHON=python3.13` (or a full path) builds and tests in a venv of its own, so
# several Pythons can be tested side by side; plain `make test` uses .venv.
PYTHON ?= python3
VENV ?= $(if $(filter python3,$(PYTHON)),.venv,.venv-$(notdir $(PYTHON)))
BIN := $(VENV)/bin
# `make run` needs the local toolkit; `make test` adds the test tools and linters.
STAMP := $(VENV)/.installed-dev
STAMP_LOCAL := $(VENV)/.installed-local

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP_LOCAL): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[local]'
	touch $@

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[local,dev]'
	touch $@ $(STAMP_LOCAL)

run: $(STAMP_LOCAL)
	$(BIN)/learnflow up

# The manifest scanner (checkov) lives in a venv of its own, built once from the pinned
# version; make test hands its path to the tests, which then require it.
TOOLS_PYTHON ?= python3
TOOLS_VENV ?= .venv-tools
TOOLS_STAMP := $(TOOLS_VENV)/.installed
CHECKOV := $(abspath $(TOOLS_VENV))/bin/checkov

$(TOOLS_STAMP): scripts/scanner-requirements.txt
	$(TOOLS_PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/pip install --quiet --upgrade pip
	$(TOOLS_VENV)/bin/pip install --quiet -r scripts/scanner-requirements.txt
	touch $@

# The suite runs on up to four workers (CI has two cores), a whole file to a worker: a
# module's stack then starts once, and its tests keep their order. Most of an end-to-end
# test is waiting (group joins, retries, browsers), so two workers nearly halve the time.
# `make test TEST_WORKERS=0` runs it in this process.
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(min(4, os.cpu_count() or 1))')

test: lint $(TOOLS_STAMP)
	sh scripts/install-test-tools.sh
	$(MAKE) --no-print-directory asyncapi-check
	LEARNFLOW_CHECKOV=$(CHECKOV) $(BIN)/python -m pytest --numprocesses=$(TEST_WORKERS) --dist=loadfile

# checkov over the rendered knative/, eventing/ and monitoring/ and the Dockerfile:
# prints the counts, every skip with its reason and every failed check.
scan: $(STAMP) $(TOOLS_STAMP)
	LEARNFLOW_CHECKOV=$(CHECKOV) $(BIN)/python -m learnflow.local.manifest_check --scan .

# eventing/asyncapi.yaml, parsed by the official AsyncAPI parser, pinned with its lockfile in
# tools/asyncapi. npm ci installs exactly the lockfile and runs no install scripts; it runs
# again only when the lockfile changes (npm writes node_modules/.package-lock.json), and
# --prefer-offline serves it from npm's cache when that holds every package.
ASYNCAPI_TOOLS := tools/asyncapi
$(ASYNCAPI_TOOLS)/node_modules/.package-lock.json: $(ASYNCAPI_TOOLS)/package-lock.json $(ASYNCAPI_TOOLS)/package.json
	cd $(ASYNCAPI_TOOLS) && npm ci --ignore-scripts --prefer-offline --no-audit --no-fund

asyncapi-check: $(ASYNCAPI_TOOLS)/node_modules/.package-lock.json
	node $(ASYNCAPI_TOOLS)/validate.mjs eventing/asyncapi.yaml

# The checks that keep the code in shape: lint and format, types (strict on the deployed
# library), and the layers' import contracts.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Exploration: every property test, random, with ten times the examples make test draws;
# failures are kept in .hypothesis/ and replayed first next time. Ten times the examples
# outlast make test's 120 s per-test timeout; a hang is still caught by each test's own limit.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest -m hypothesis --timeout=1800 tests/

bench: $(STAMP)
	$(BIN)/python bench/classroom.py
	$(BIN)/python bench/code_execution.py
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/gateway.py
	$(BIN)/python bench/quiet_stack.py
	$(BIN)/python bench/tracing.py

# 10 minutes at 100 events/s under faults; SOAK_ARGS="--duration 60" for a quick one.
soak: $(STAMP)
	$(BIN)/learnflow soak --duration 600 --rate 100 $(SOAK_ARGS)

schemas: $(STAMP)
	$(BIN)/learnflow schemas --write

manifests-check: $(STAMP)
	$(BIN)/python -m learnflow.local.manifest_check .

# Needs a kubectl context (Knative Serving+Eventing with the Kafka extension, Strimzi 1.x),
# a Docker engine and a registry; SKIP_BUILD=1 deploys an image that is already pushed.
# WITH_KAFKA=1 also applies the Strimzi cluster (eventing/kafka/) first and waits for it to be
# Ready (the Strimzi operator must already watch namespace kafka); DEV=1 deploys the one-node
# development cluster and its one-replica topics from overlays/dev/ instead.
IMAGE_NAME ?= ghcr.io/learnflow/learnflow-functions
IMAGE_TAG ?= 0.1.0
MONITOR_IMAGE_NAME ?= $(subst functions,monitor,$(IMAGE_NAME))
GATEWAY_IMAGE_NAME ?= $(subst functions,gateway,$(IMAGE_NAME))
KUBECTL ?= $(BIN)/kubectl
KAFKA_DIR := $(if $(DEV),overlays/dev/kafka,eventing/kafka)
EVENTING_DIR := $(if $(DEV),overlays/dev/eventing,eventing)
# Strimzi's quickstart waits 300 s and warns that slow image pulls exceed it; its own system
# tests allow a Kafka 14 minutes (docs/deploy.md).
KAFKA_READY_TIMEOUT ?= 15m
deploy: manifests-check
ifdef WITH_KAFKA
	# Applied before the build, so the cluster starts while the images build and push.
	$(KUBECTL) apply -k $(KAFKA_DIR)
endif
ifndef SKIP_BUILD
	docker build --target functions -t $(IMAGE_NAME):$(IMAGE_TAG) .
	docker build --target monitor -t $(MONITOR_IMAGE_NAME):$(IMAGE_TAG) .
	docker build --target gateway -t $(GATEWAY_IMAGE_NAME):$(IMAGE_TAG) .
	docker push $(IMAGE_NAME):$(IMAGE_TAG)
	docker push $(MONITOR_IMAGE_NAME):$(IMAGE_TAG)
	docker push $(GATEWAY_IMAGE_NAME):$(IMAGE_TAG)
endif
ifdef WITH_KAFKA
	$(KUBECTL) wait kafka/learnflow-kafka -n kafka --for=condition=Ready --timeout=$(KAFKA_READY_TIMEOUT)
endif
	mkdir -p build/deploy
	# kustomize renames the base's placeholders first, so the overlay matches their newNames.
	printf 'resources:\n  - ../../knative\nimages:\n  - name: %s\n    newName: %s\n    newTag: "%s"\n  - name: %s\n    newName: %s\n    newTag: "%s"\n' \
	  "$$(awk '/name: learnflow-functions/ {f=1} f && /newName:/ {print $$2; exit}' knative/kustomization.yaml)" "$(IMAGE_NAME)" "$(IMAGE_TAG)" \
	  "$$(awk '/name: learnflow-gateway/ {f=1} f && /newName:/ {print $$2; exit}' knative/kustomization.yaml)" "$(GATEWAY_IMAGE_NAME)" "$(IMAGE_TAG)" \
	  > build/deploy/kustomization.yaml
	$(KUBECTL) apply -k build/deploy
	$(KUBECTL) wait --for=condition=Ready ksvc --all -n learnflow --timeout=300s
	# The KafkaSource data plane's bound on records in flight (cluster-wide), before the sources.
	$(KUBECTL) apply -k eventing/data-plane
	$(KUBECTL) apply -k $(EVENTING_DIR)

clean:
	rm -rf .venv .venv-* .pytest_cache .hypothesis $(ASYNCAPI_TOOLS)/node_modules
