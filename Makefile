# The front door. `make run` and `make test` work on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test check bench screenshots clean demo

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/netbalance

test: $(STAMP_TEST)
	$(BIN)/python -m pytest -q -n 2 -p no:cacheprovider

check: $(STAMP_TEST)
	$(BIN)/ruff check netbalance tests benchmarks
	$(BIN)/ruff format --check netbalance tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# Issue 14's table (command line, app frames and keys, import vs khard) for SIZES
# (small,medium,large,xl; default all four), then the store and health model details.
# Demo databases are built once into benchmarks/.cache/; khard into benchmarks/.venv-khard.
SIZES ?= small,medium,large,xl
bench: $(STAMP_TEST)
	$(BIN)/python benchmarks/table.py $(SIZES)
	$(BIN)/python benchmarks/bench_store.py $(SIZES)
	$(BIN)/python benchmarks/bench_health.py $(SIZES)

screenshots: $(STAMP_TEST)
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
