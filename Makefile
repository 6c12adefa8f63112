# Two commands matter: `make repro` (set up, then run the DVC pipeline) and `make test` (set up,
# then lint and run every test). Both need only Python 3.11+ and git: uv is bootstrapped into
# .tools/ when it is not on PATH, and the environment is built from the committed uv.lock.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.8
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
VENV := $(CURDIR)/.venv
ALIBI_VENV := $(CURDIR)/.venv-alibi

# Never download a Python interpreter, never send DVC analytics; run the venv's tools first.
export UV_PYTHON_DOWNLOADS := never
export DVC_NO_ANALYTICS := 1
export PATH := $(VENV)/bin:$(PATH)

.PHONY: help setup repro test test-slow test-alibi lint docs format bench clean mermaid statistics-page

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(CURDIR)/.tools/bin/uv:
	@echo "uv not found on PATH: installing uv $(UV_VERSION) into .tools/"
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --python $(PYTHON)
	@touch $@

setup: $(VENV)/.synced ## Create .venv from uv.lock (bootstraps uv if needed)

# The gate's decision is printed even when no stage ran: on a fresh clone the committed evidence
# is current, `dvc repro` runs nothing, and a newcomer would see no verdict. Read-only: it prints
# reports/gate.json and recomputes nothing.
repro: setup ## Run the DVC pipeline (dvc repro), then print the gate's decision
	dvc repro
	mlgate gate --show

lint: setup ## ruff lint and format check; workflows against GitHub's schema and zizmor
	ruff check src tests tests_alibi benchmarks trials docs/hooks
	ruff format --check src tests tests_alibi benchmarks trials docs/hooks
	check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	zizmor --offline --no-progress --persona auditor .github/workflows

# The documentation site (mkdocs-material) into site/: strict, so a broken link, a missing anchor or a
# page left out of the nav fails the build. The reference pages are generated from the code.
docs: setup ## Build the documentation site into site/ (mkdocs build --strict)
	NO_MKDOCS_2_WARNING=1 mkdocs build --strict --quiet

format: setup ## Apply ruff fixes and formatting
	ruff check --fix src tests tests_alibi benchmarks trials docs/hooks
	ruff format src tests tests_alibi benchmarks trials docs/hooks

# mermaid's own parser, for the test that parses every chart of the PR report (pinned by
# tests/mermaid/package-lock.json; --ignore-scripts: no install script runs, nothing is fetched
# at test time). Without npm the test skips and says why.
NPM := $(shell command -v npm 2>/dev/null)
MERMAID := tests/mermaid/node_modules/.installed

$(MERMAID): tests/mermaid/package.json tests/mermaid/package-lock.json
	cd tests/mermaid && npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

mermaid: $(MERMAID) ## Install mermaid's parser (npm) for the report's chart test

# The runtime environment (no dev tools), built once so that its wheels are in uv's cache:
# tests/integration/test_runtime_environment.py builds it again offline, as a deployment would.
RUNTIME_VENV := $(CURDIR)/.venv-runtime

$(RUNTIME_VENV)/.synced: pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(RUNTIME_VENV) $(UV) sync --locked --python $(PYTHON) --no-default-groups
	@touch $@

# `make test` is the loop a developer runs (under 12 minutes on 2 cores): lint, every test not
# marked slow, the alibi parity tests. `make test-slow` runs the tests marked slow (real `dvc
# repro`, registry servers, workflow play-throughs, false-alarm and power measurements); CI runs
# both (`.ci/run`, and the `test-slow` job of ci.yml).
# The model suite (tests/model) judges the pipeline's evidence: it is reproduced first, here,
# never by a test while others read the checkout (a no-op when it is up to date).
test: lint docs $(if $(NPM),$(MERMAID)) ## Lint, build the docs, reproduce up to check, then every test not marked slow, then the alibi parity tests
	dvc repro --quiet check
	HYPOTHESIS_PROFILE=ci pytest -n 2 --dist loadfile -m "not slow" --junitxml=junit.xml
	$(MAKE) --no-print-directory test-alibi

test-slow: setup $(RUNTIME_VENV)/.synced ## The tests marked slow (real DVC, servers, workflows, statistics): CI runs them
	HYPOTHESIS_PROFILE=ci pytest -n 2 --dist loadfile -m slow --junitxml=junit-slow.xml

# The figures of tests/statistical, measured again, as docs/explanation/statistics.md (about 20
# minutes).
statistics-page: setup ## Measure every verdict's false alarms and power (tests/statistical) and render docs/explanation/statistics.md
	rm -f .statistics.jsonl
	MLGATE_FIGURES=$(CURDIR)/.statistics.jsonl HYPOTHESIS_PROFILE=ci pytest -n 2 --dist loadfile -m slow tests/statistical
	python -m tests.statistical.figures_page .statistics.jsonl > docs/explanation/statistics.md.tmp
	mv docs/explanation/statistics.md.tmp docs/explanation/statistics.md

$(ALIBI_VENV)/.synced: pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(ALIBI_VENV) $(UV) sync --locked --python $(PYTHON) \
		--extra alibi --no-default-groups --group alibi-test
	@touch $@

test-alibi: $(ALIBI_VENV)/.synced ## The alibi engine's tests, in its own environment (numpy<2, pandas<3)
	$(ALIBI_VENV)/bin/python -m pytest -p no:cacheprovider --junitxml=junit-alibi.xml tests_alibi

EVIDENTLY_VENV := $(CURDIR)/.venv-evidently

$(EVIDENTLY_VENV)/.synced: pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(EVIDENTLY_VENV) $(UV) sync --locked --python $(PYTHON) \
		--no-default-groups --group bench-evidently
	@touch $@

# NannyML, a peer of the monitor's label-free estimate: it does not resolve in uv.lock beside the
# project (a dependency's only wheel is for another platform), so its own pinned, hashed file.
NANNYML_VENV := $(CURDIR)/.venv-nannyml

$(NANNYML_VENV)/.synced: benchmarks/peers/nannyml-requirements.txt | $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(NANNYML_VENV)
	$(UV) pip install --quiet --python $(NANNYML_VENV)/bin/python --require-hashes \
		-r benchmarks/peers/nannyml-requirements.txt
	@touch $@

bench: setup $(ALIBI_VENV)/.synced $(EVIDENTLY_VENV)/.synced $(NANNYML_VENV)/.synced ## Speed and memory against named peers
	python benchmarks/drift_speed.py
	python benchmarks/bootstrap_speed.py
	python benchmarks/check_speed.py
	python benchmarks/fairness_speed.py
	python benchmarks/pipeline_share.py
	python benchmarks/predict_speed.py
	python benchmarks/serve_latency.py
	python benchmarks/monitor_speed.py
	python benchmarks/dask_speed.py
	python benchmarks/dask_checks_speed.py

clean: ## Remove environments and caches (not DVC outputs)
	rm -rf .venv .venv-alibi .venv-evidently .venv-nannyml .venv-runtime .tools .pytest_cache .ruff_cache .hypothesis site \
		tests/mermaid/node_modules
