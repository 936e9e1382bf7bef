# Agentic DevOps — `make up` runs the platform locally; `make test` runs the whole suite.
UV_VERSION := 0.13.8
UV := $(shell command -v uv >/dev/null 2>&1 && echo uv || echo python3 -m uv)
export UV_PYTHON := python3.11

.PHONY: help setup up test test-fast lint schemas bench clean synth

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## install uv (pinned) if missing, then the locked dependencies into .venv
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	@$(UV) sync --frozen --quiet

up: setup ## start the whole platform on loopback, in the foreground (Ctrl-C stops it)
	@$(UV) run --frozen agentic up

test: setup ## the whole test suite (unit, integration, contract, e2e)
	@$(UV) run --frozen pytest

test-fast: setup ## everything but the slow end-to-end tests
	@$(UV) run --frozen pytest -m "not slow"

lint: setup ## ruff (lint + format check) and mypy --strict on libs/common
	@$(UV) run --frozen ruff check .
	@$(UV) run --frozen ruff format --check .
	@$(UV) run --frozen mypy

synth: setup ## synthesize the CDK app offline (cdk-nag on), print where the templates are: make synth ENV=prod
	@$(UV) run --frozen python infra/app.py env=$(or $(ENV),dev)

schemas: setup ## regenerate docs/events/ from the event models
	@$(UV) run --frozen python -m agentic_common.events.schemas docs/events

BENCHES := core codegen policy synth deploy observe

bench: setup ## every benchmark under bench/ (or one: make bench-codegen, bench-policy, ...)
	@for b in $(BENCHES); do if [ -f bench/$$b.py ]; then echo "== bench/$$b.py"; \
	  $(UV) run --frozen python bench/$$b.py || exit 1; fi; done

bench-%: setup ## one benchmark: bench/<name>.py
	@$(UV) run --frozen python bench/$*.py

clean: ## remove local state (.agentic) and caches
	rm -rf .agentic .pytest_cache .mypy_cache .ruff_cache
