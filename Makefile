# Every target that runs code first makes sure .venv exists and is newer than pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench schemas clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/learnflow broker

test: $(STAMP)
	$(BIN)/python -m pytest

schemas: $(STAMP)
	$(BIN)/learnflow schemas --write

clean:
	rm -rf $(VENV) .pytest_cache
