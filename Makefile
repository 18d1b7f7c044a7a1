# Báo cáo sơ kết Cuộc vận động ĐBDTTS — Kon Tum city.
# `make report` and `make test` are the two commands; both create .venv when it is missing
# and reinstall only when pyproject.toml or constraints.txt changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
EXTRAS ?= dev
LAB_ARGS ?=
FORCE  ?=
KERNEL := kontum-analysis

.DEFAULT_GOAL := help
.PHONY: help report check test test-fast corpus lab sample-data validate bench lock clean

help: ## show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	@# The notebooks' kernel, inside this .venv (never per user: each clone keeps its own).
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (báo cáo sơ kết)" >/dev/null
	@echo "$(EXTRAS)" > $(STAMP)

report: $(STAMP) ## regenerate the city report (HTML + PDF) from data/raw into reports/
	$(PY) -m analysis report

check: $(STAMP) ## the layers of the package, lint and types (configured in pyproject.toml); make test runs it first
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check src tests
	$(BIN)/mypy

test: check ## make check, then the whole test suite (one process per core; a test file stays in one)
	$(PY) -m pytest -n auto --dist loadfile

test-fast: $(STAMP) ## the fast tier: unit tests only (no report built, no notebook run), under a minute
	$(PY) -m pytest -n auto -q -m "not slow and not corpus"

corpus: $(STAMP) ## the large corpus test of the form reader: 500 generated data sets in generated layouts
	$(PY) -m pytest -m corpus tests/check/test_corpus.py

validate: $(STAMP) ## check the forms in data/raw and list the findings
	$(PY) -m analysis validate

sample-data: $(STAMP) ## write the bundled sample forms into data/raw (FORCE=1 replaces forms that differ)
	$(PY) -m analysis sample-data --out data/raw $(if $(FORCE),--force)

lab: ## open JupyterLab at the project root, notebooks/ in view (LAB_ARGS="--allow-root --no-browser" …)
	$(MAKE) $(STAMP) EXTRAS=dev,lab
	@$(PY) -c 'import jupyterlab' 2>/dev/null || $(PY) -m pip install --quiet -c constraints.txt -e ".[dev,lab]"
	@test -f $(VENV)/share/jupyter/kernels/$(KERNEL)/kernel.json || \
		$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (báo cáo sơ kết)"
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --ServerApp.default_url=/lab/tree/notebooks $(LAB_ARGS)

bench: $(STAMP) ## run the benchmarks (not part of the tests); appends to bench/RESULTS.md
	$(PY) -m bench

lock: | $(PY) ## re-pin constraints.txt from a fresh resolve of pyproject.toml
	$(PY) -m pip install --quiet -e ".[dev,lab]"
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean: ## remove generated files (reports/, data/processed/), keep .venv
	rm -rf reports data/processed
