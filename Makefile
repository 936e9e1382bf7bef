# Agentic DevOps — `make up` runs the platform locally; `make test` runs the whole suite.
UV := uv
export UV_PYTHON := python3.11
# `make tools` puts uv in ~/.local/bin when it is not run as root
export PATH := $(PATH):$(HOME)/.local/bin

.PHONY: help bootstrap tools setup console up test test-fast lint schemas bench clean synth gate relock docs

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

bootstrap: ## install uv (the version pyproject.toml pins) if no uv is on PATH
	@python3 scripts/ensure_tools.py --uv-only

tools: bootstrap ## install what the suite needs and the machine lacks: PostgreSQL 15, Redis (apt-get, as root)
	@python3 scripts/ensure_tools.py

# Compiled to bytecode once here: with PYTHONDONTWRITEBYTECODE set (as on CI's machines) or with a fresh
# .venv (uv does not compile on install), every process of the suite compiled its imports from source
# again: ~0.8 s of CPU per Python process that imports boto3 and pydantic (bench/cold_start.py).
setup: bootstrap ## the locked dependencies into .venv, and the project's sources, compiled to bytecode
	@$(UV) sync --frozen --quiet --compile-bytecode
	@$(UV) run --frozen python -m compileall -q -j 0 libs services tools bench > /dev/null

up: tools setup console ## start the whole platform on loopback, in the foreground (Ctrl-C stops it)
	@$(UV) run --frozen agentic up

console: tools ## build the web console (console/dist, served at /console) when its sources changed
	@python3 scripts/build_console.py

# three pytest-xdist workers on two cores: the e2e worker mostly waits on its stack (tests/conftest.py groups)
PYTEST_WORKERS ?= 3

test: tools setup ## the whole test suite (unit, integration, contract, e2e), on PYTEST_WORKERS workers
	@$(UV) run --frozen pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=30

test-fast: tools setup ## everything but the slow end-to-end tests
	@$(UV) run --frozen pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "not slow"

lint: setup ## ruff (lint + format check) and mypy --strict on libs/common
	@$(UV) run --frozen ruff check .
	@$(UV) run --frozen ruff format --check .
	@$(UV) run --frozen mypy

synth: setup console ## synthesize the CDK app offline (cdk-nag on; the console build is its asset), print where the templates are: make synth ENV=prod
	@$(UV) run --frozen python infra/app.py env=$(or $(ENV),dev)

schemas: setup ## regenerate docs/events/ from the event models
	@$(UV) run --frozen python -m agentic_common.events.schemas docs/events

gate: setup ## the codegen quality gate (tools/gate): every catalogue combination x every check, as a matrix
	@$(UV) run --frozen python -m agentic_gate --matrix

relock: setup ## regenerate the Node lock files codegen ships (real npm; after changing a pin in package.json.j2)
	@$(UV) run --frozen python -m agentic_gate.node_locks

docs: setup ## regenerate docs/architecture.md (one Mermaid picture) from the topology and the service profiles
	@$(UV) run --frozen python tools/architecture.py

BENCHES := core codegen policy synth deploy observe remediation recovery golden_path console

bench: setup console ## every benchmark under bench/ (or one: make bench-codegen, bench-policy, ...)
	@for b in $(BENCHES); do if [ -f bench/$$b.py ]; then echo "== bench/$$b.py"; \
	  $(UV) run --frozen python bench/$$b.py || exit 1; fi; done

bench-%: setup console ## one benchmark: bench/<name>.py
	@$(UV) run --frozen python bench/$*.py

clean: ## remove local state (.agentic) and caches
	rm -rf .agentic .pytest_cache .mypy_cache .ruff_cache
