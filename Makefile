# sandyq — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= sandyq.duckdb

.PHONY: demo test lint typecheck unit install dev bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

## demo: create the store with the default content and print an overview
demo: install
	$(BIN)/sandyq --db $(DB) init
	$(BIN)/sandyq --db $(DB) overview

## test: ruff, mypy and pytest
test: lint typecheck unit

lint: dev
	$(BIN)/ruff check src tests benchmarks

typecheck: dev
	$(BIN)/mypy

unit: dev
	$(BIN)/pytest -q

bench: install
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache $(DB) $(DB).wal
