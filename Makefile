# The two commands a newcomer needs: `make run` and `make test`. CI runs `make test` too.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-dev lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	npm install --no-audit --no-fund --loglevel=error

## Set up and start the tool on SQLite, with the demo platform at http://127.0.0.1:5000/demo/
run: install
	$(BIN)/semh-lti run

## Install everything the tests need and run the whole suite (SQLite, PostgreSQL if reachable, real LRS, real platform).
test: install-dev
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check lti_tool frameworks xapi tests benchmarks
	$(BIN)/ruff format --check lti_tool frameworks xapi tests benchmarks

bench: install-dev
	$(BIN)/python benchmarks/launch.py
	$(BIN)/python benchmarks/load_frameworks.py
	$(BIN)/python benchmarks/xapi_delivery.py
	$(BIN)/python benchmarks/self_assessment.py
