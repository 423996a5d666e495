# Every target that runs code first makes sure .venv exists and is newer than pyproject.toml.
# `make test PYTHON=python3.13` (or a full path) builds and tests in a venv of its own, so
# several Pythons can be tested side by side; plain `make test` uses .venv.
PYTHON ?= python3
VENV ?= $(if $(filter python3,$(PYTHON)),.venv,.venv-$(notdir $(PYTHON)))
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fuzz bench soak schemas manifests-check deploy clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/learnflow up

test: $(STAMP)
	sh scripts/install-test-tools.sh
	$(BIN)/python -m pytest

# Exploration: every property test, random, with ten times the examples make test draws;
# failures are kept in .hypothesis/ and replayed first next time.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest -m hypothesis tests/

bench: $(STAMP)
	$(BIN)/python bench/code_execution.py
	$(BIN)/python bench/pipeline.py

# 10 minutes at 100 events/s under faults; SOAK_ARGS="--duration 60" for a quick one.
soak: $(STAMP)
	$(BIN)/learnflow soak --duration 600 --rate 100 $(SOAK_ARGS)

schemas: $(STAMP)
	$(BIN)/learnflow schemas --write

manifests-check: $(STAMP)
	$(BIN)/python -m learnflow.manifest_check .

# Needs a kubectl context (Knative Serving+Eventing with the Kafka extension, Strimzi 1.x),
# a Docker engine and a registry; SKIP_BUILD=1 deploys an image that is already pushed.
IMAGE_NAME ?= ghcr.io/learnflow/learnflow-functions
IMAGE_TAG ?= 0.1.0
KUBECTL ?= $(BIN)/kubectl
deploy: manifests-check
ifndef SKIP_BUILD
	docker build -t $(IMAGE_NAME):$(IMAGE_TAG) .
	docker push $(IMAGE_NAME):$(IMAGE_TAG)
endif
	mkdir -p build/deploy
	# kustomize renames the base's placeholder first, so the overlay matches its newName.
	printf 'resources:\n  - ../../knative\nimages:\n  - name: %s\n    newName: %s\n    newTag: "%s"\n' \
	  "$$(awk '/newName:/ {print $$2; exit}' knative/kustomization.yaml)" "$(IMAGE_NAME)" "$(IMAGE_TAG)" \
	  > build/deploy/kustomization.yaml
	$(KUBECTL) apply -k build/deploy
	$(KUBECTL) wait --for=condition=Ready ksvc --all -n learnflow --timeout=300s
	$(KUBECTL) apply -k eventing/

clean:
	rm -rf .venv .venv-* .pytest_cache .hypothesis
