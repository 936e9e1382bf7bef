"""Each planner entry point imports only what it uses: a cold start of the API loads no Slack SDK, no
Powertools batch utilities, no jsonschema; the sweep not even the HTTP resolver.

Each case runs a fresh interpreter that imports the handler module and builds its entry point's part
(what a first invocation does before its work), then lists the modules loaded. The build makes no AWS
call: the endpoint is a closed local port, so a call would fail the build.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from agentic_planner.logic.catalogue import Catalogue
from agentic_planner.logic.catalogue_models import Template
from jsonschema.exceptions import SchemaError

# used by one entry point only, or by a request (jsonschema: a POST naming a template), or never
# with the default configuration (the SDK's metrics, botocore instrumentation without an exporter)
NOT_FOR_THE_API = (
    "slack_sdk",
    "aws_lambda_powertools.utilities.batch",
    "agentic_common.consumer",
    "agentic_planner.adapters.notifiers",
    "jsonschema",
    "opentelemetry.sdk.metrics",
    "opentelemetry.instrumentation.botocore",
)
NOT_FOR_THE_SWEEP = (*NOT_FOR_THE_API, "aws_lambda_powertools.event_handler", "agentic_planner.api.app")
PROBE = """
import json, sys
import agentic_planner.handler
from agentic_planner.bootstrap import {builder}
{builder}()
print(json.dumps(sorted(sys.modules)))
"""


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def loaded_after(builder: str, home: Path) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "SLACK_", "ANTHROPIC_"))}
    env |= {
        "AGENTIC_HOME": str(home),
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{closed_port()}",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(builder=builder)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return set(json.loads(done.stdout.splitlines()[-1]))


def among(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.startswith(tuple(f"{p}." for p in packages)) or m in packages)


def test_the_api_cold_start_imports_nothing_only_other_entry_points_or_requests_use(tmp_path: Path) -> None:
    # Given a fresh interpreter / When it imports the handler and builds the API's part
    modules = loaded_after("build_api", tmp_path)
    # Then the resolver is there, and nothing the API does not use at every start
    assert "aws_lambda_powertools.event_handler" in modules
    assert among(modules, NOT_FOR_THE_API) == []


def test_the_sweep_cold_start_imports_neither_the_api_nor_the_consumer(tmp_path: Path) -> None:
    modules = loaded_after("build_sweep", tmp_path)
    assert "agentic_planner.logic.workflows" in modules
    assert among(modules, NOT_FOR_THE_SWEEP) == []


def test_the_events_cold_start_has_its_consumer_and_channels_but_not_the_api(tmp_path: Path) -> None:
    modules = loaded_after("build_events", tmp_path)
    assert {"aws_lambda_powertools.utilities.batch", "agentic_planner.adapters.notifiers"} <= modules
    assert (
        among(modules, ("agentic_planner.api.app", "aws_lambda_powertools.event_handler.api_gateway")) == []
    )


def test_every_catalogue_template_has_a_valid_parameter_schema() -> None:
    # Given the shipped catalogue (schemas are checked on first use, not at load)
    catalogue = Catalogue.load()
    # When each template's validator is built / Then none raises
    for name in catalogue.names:
        assert catalogue.validator(name).schema == catalogue.get(name).parameters


def test_a_template_with_a_broken_schema_fails_its_first_validation_not_silently() -> None:
    broken = Template.model_validate(
        {
            "name": "broken",
            "version": "1",
            "title": "t",
            "description": "d",
            "parameters": {"type": "object", "properties": {"n": {"type": "no-such-type"}}},
            "tasks": [{"id": "a", "agent": "codegen", "action": "generate"}],
        }
    )
    with pytest.raises(SchemaError):
        Catalogue({"broken": broken}).validate("broken", {"n": 1})
