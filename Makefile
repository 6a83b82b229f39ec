# sandyq — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
MINVENV ?= .venv-min
BIN    := $(VENV)/bin
DB     ?= sandyq.duckdb

.PHONY: demo test test-min lint typecheck unit install dev bench clean sdmx-schemas

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

## demo: create the store with the default content, print an overview, serve the dashboard
demo: install
	$(BIN)/sandyq --db $(DB) init
	$(BIN)/sandyq --db $(DB) overview
	@echo "Serving the dashboard on http://127.0.0.1:8000/ (Ctrl+C to stop)"
	$(BIN)/sandyq --db $(DB) serve --host 127.0.0.1 --port 8000

## test: ruff, mypy and pytest
test: lint typecheck unit

lint: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: dev
	$(BIN)/mypy

## unit: pytest (tests and doctests) on every core with pytest-xdist; --dist loadfile keeps a file's tests on one
## worker, so a module's fixtures (a browser, a server, a built store) are made once. PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= auto
PYTEST_XDIST = -n $(PYTEST_WORKERS) --dist loadfile
## Bytecode is kept even where PYTHONDONTWRITEBYTECODE is set: otherwise each worker compiles sandyq and the tests
## again, and pytest rewrites its plugins again (collecting took 16 s of CPU instead of 8), as does each
## `python -m sandyq` a test starts.

unit: dev sdmx-schemas
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -q $(PYTEST_XDIST)

## sdmx-schemas: the official SDMX-ML 2.1 schemas the SDMX tests validate against (fetched once, by sdmx1)
## (kept in .sdmx-schemas/, or already in sdmx1's cache ~/.cache/sdmx/2.1 from `sdmx.install_schemas()`)
SDMX_SCHEMAS ?= .sdmx-schemas
sdmx-schemas:
	@test -f $(SDMX_SCHEMAS)/SDMXMessage.xsd || test -f $${XDG_CACHE_HOME:-$$HOME/.cache}/sdmx/2.1/SDMXMessage.xsd || \
		$(BIN)/python -c "import pathlib, sdmx; sdmx.install_schemas(pathlib.Path('$(SDMX_SCHEMAS)'))" || \
		echo "sdmx-schemas: not fetched (no network to GitHub): the SDMX schema-validation tests will say they are skipped"

## test-min: the unit tests (no browser) with every dependency at its declared lower bound (constraints/min.txt)
$(MINVENV)/.installed: pyproject.toml constraints/min.txt
	rm -rf $(MINVENV)
	$(PYTHON) -m venv $(MINVENV)
	$(MINVENV)/bin/python -m pip install --quiet --upgrade pip
	$(MINVENV)/bin/python -m pip install --quiet -c constraints/min.txt -e ".[dev]"
	@touch $@

test-min: $(MINVENV)/.installed
	$(MINVENV)/bin/python -m pip check
	$(MAKE) sdmx-schemas BIN=$(MINVENV)/bin
	$(MINVENV)/bin/pytest -q $(PYTEST_XDIST) -m "not browser"

## bench: speed targets (composite UA runs/s, projections/s on the default store, API latency, first render, load)
bench: dev
	$(BIN)/sandyq --db $(DB) init
	$(BIN)/python benchmarks/bench_composite.py
	$(BIN)/python benchmarks/bench_projection.py --db $(DB)
	$(BIN)/python benchmarks/bench_evaluate.py --db $(DB)
	$(BIN)/python benchmarks/bench_forecast.py --db $(DB) --select sandyq,naive,drift --origins 3
	$(BIN)/python benchmarks/bench_web.py --db $(DB)
	$(BIN)/python benchmarks/bench_load_web.py --db $(DB)

clean:
	rm -rf $(VENV) $(MINVENV) .mypy_cache .pytest_cache .ruff_cache $(DB) $(DB).wal
