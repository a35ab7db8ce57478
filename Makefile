# The two commands a newcomer needs: `make serve` and `make test`.
# Each creates .venv on first use and installs the pinned dependencies.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build test bench fixtures clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

build: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# Lint, types and the layer contract first: any finding fails the target before the suite starts.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m pytest tests/test_layers.py -q -p no:cacheprovider
	scripts/ensure-chromium.sh
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m pytest -n 2 --dist loadscope -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_core.py

# Regenerate the conformance fixtures from the reference implementation (needs node and npm).
fixtures: $(STAMP)
	$(BIN)/python tests/conformance/regenerate.py

clean:
	rm -rf $(VENV) site .pytest_cache
