# shipmate developer commands. Each target installs what it needs: uv from PyPI
# (into .uv-bootstrap/ unless uv is already on PATH), then the locked environment.
PYTHON ?= python3
UV_BOOTSTRAP := .uv-bootstrap
UV ?= $(shell command -v uv 2>/dev/null || echo $(UV_BOOTSTRAP)/bin/uv)
VENV := .venv
RUN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
# A local Terraform provider mirror (hashicorp/aws) lets the tests run the real `terraform validate`
# on the AWS blueprints without the network; without one those tests are skipped.
export SHIPMATE_TF_PLUGIN_DIR ?= $(wildcard /opt/tf-plugins)

.PHONY: demo test lint typecheck unit evals bench setup clean

setup: $(VENV)/.synced

$(UV_BOOTSTRAP)/bin/uv:
	$(PYTHON) -m venv $(UV_BOOTSTRAP)
	$(UV_BOOTSTRAP)/bin/pip install --quiet uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet --compile-bytecode
	@touch $@

## demo: diagnose a bundled example and list the others
demo: setup
	@$(RUN)/python examples/demo.py

## test: lint, type-check, the test suite and the diagnosis eval with its thresholds
test: lint typecheck unit

lint: setup
	$(RUN)/ruff check assistant tools tests evals examples/demo.py
	$(RUN)/ruff format --check assistant tools tests evals examples/demo.py

typecheck: setup
	$(RUN)/mypy

unit: setup
	$(RUN)/pytest -q -n 2

## evals: the diagnosis accuracy suite (gated in `make test`), the held-out suite, and the generation asks
evals: setup
	$(RUN)/python -m evals.diagnosis.run
	$(RUN)/python -m evals.diagnosis.run evals/diagnosis-holdout --min-accuracy 0 --min-evidence 0
	$(RUN)/python -m evals.generation.run

## bench: every benchmark under evals/perf/, one table of figures
bench: setup
	$(RUN)/python -m evals.perf.run_all --out .bench

clean:
	rm -rf $(VENV) $(UV_BOOTSTRAP) .mypy_cache .ruff_cache .pytest_cache dist
