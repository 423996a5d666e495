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

test: lint
	sh scripts/install-test-tools.sh
	$(BIN)/python -m pytest

# The checks that keep the code in shape: lint and format, and the layers' import contracts.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Exploration: every property test, random, with ten times the examples make test draws;
# failures are kept in .hypothesis/ and replayed first next time.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest -m hypothesis tests/

bench: $(STAMP)
	$(BIN)/python bench/code_execution.py
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/gateway.py

# 10 minutes at 100 events/s under faults; SOAK_ARGS="--duration 60" for a quick one.
soak: $(STAMP)
	$(BIN)/learnflow soak --duration 600 --rate 100 $(SOAK_ARGS)

schemas: $(STAMP)
	$(BIN)/learnflow schemas --write

manifests-check: $(STAMP)
	$(BIN)/python -m learnflow.local.manifest_check .

# Needs a kubectl context (Knative Serving+Eventing with the Kafka extension, Strimzi 1.x),
# a Docker engine and a registry; SKIP_BUILD=1 deploys an image that is already pushed.
IMAGE_NAME ?= ghcr.io/learnflow/learnflow-functions
IMAGE_TAG ?= 0.1.0
MONITOR_IMAGE_NAME ?= $(subst functions,monitor,$(IMAGE_NAME))
GATEWAY_IMAGE_NAME ?= $(subst functions,gateway,$(IMAGE_NAME))
KUBECTL ?= $(BIN)/kubectl
deploy: manifests-check
ifndef SKIP_BUILD
	docker build --target functions -t $(IMAGE_NAME):$(IMAGE_TAG) .
	docker build --target monitor -t $(MONITOR_IMAGE_NAME):$(IMAGE_TAG) .
	docker build --target gateway -t $(GATEWAY_IMAGE_NAME):$(IMAGE_TAG) .
	docker push $(IMAGE_NAME):$(IMAGE_TAG)
	docker push $(MONITOR_IMAGE_NAME):$(IMAGE_TAG)
	docker push $(GATEWAY_IMAGE_NAME):$(IMAGE_TAG)
endif
	mkdir -p build/deploy
	# kustomize renames the base's placeholders first, so the overlay matches their newNames.
	printf 'resources:\n  - ../../knative\nimages:\n  - name: %s\n    newName: %s\n    newTag: "%s"\n  - name: %s\n    newName: %s\n    newTag: "%s"\n' \
	  "$$(awk '/name: learnflow-functions/ {f=1} f && /newName:/ {print $$2; exit}' knative/kustomization.yaml)" "$(IMAGE_NAME)" "$(IMAGE_TAG)" \
	  "$$(awk '/name: learnflow-gateway/ {f=1} f && /newName:/ {print $$2; exit}' knative/kustomization.yaml)" "$(GATEWAY_IMAGE_NAME)" "$(IMAGE_TAG)" \
	  > build/deploy/kustomization.yaml
	$(KUBECTL) apply -k build/deploy
	$(KUBECTL) wait --for=condition=Ready ksvc --all -n learnflow --timeout=300s
	$(KUBECTL) apply -k eventing/

clean:
	rm -rf .venv .venv-* .pytest_cache .hypothesis
