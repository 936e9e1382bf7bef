"""Each Lambda entry point imports only what it uses: a cold start of the planner API loads no Slack SDK,
no Powertools batch utilities, no jsonschema; the sweep not even the HTTP resolver; the planner events not
the resolver, nor Slack's SDK before a first notification; the policy API not the queue consumer, nor the
policy consumer the API.

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

CONSUMER = ("aws_lambda_powertools.utilities.batch", "agentic_common.consumer")
RESOLVER = ("aws_lambda_powertools.event_handler.api_gateway",)
# what the default configuration never needs: the SDK's metrics, botocore spans with no exporter
NEVER = ("opentelemetry.sdk.metrics", "opentelemetry.instrumentation.botocore")
PLANNER_API_NEVER = (*NEVER, *CONSUMER, "slack_sdk", "agentic_planner.adapters.notifiers", "jsonschema")
# (handler module, bootstrap builder) -> (a module it must load, modules it must not)
CASES = {
    ("agentic_planner.handler", "agentic_planner.bootstrap:build_api"): (RESOLVER[0], PLANNER_API_NEVER),
    ("agentic_planner.handler", "agentic_planner.bootstrap:build_sweep"): (
        "agentic_planner.logic.workflows",
        (*PLANNER_API_NEVER, *RESOLVER, "agentic_planner.api.app"),
    ),
    ("agentic_planner.handler", "agentic_planner.bootstrap:build_events"): (
        "agentic_planner.adapters.notifiers",
        (*NEVER, *RESOLVER, "agentic_planner.api.app", "slack_sdk"),  # Slack's SDK: by a first notification
    ),
    ("agentic_policy.handler", "agentic_policy.bootstrap:build_api"): (
        RESOLVER[0],
        (*NEVER, *CONSUMER, "agentic_policy.logic.scan_task", "agentic_common.git.factory"),
    ),
    ("agentic_policy.handler", "agentic_policy.bootstrap:build"): (
        CONSUMER[0],
        (*NEVER, *RESOLVER, "agentic_policy.api.app"),
    ),
}
PROBE = """
import json, sys
import {module}
from {builder_module} import {builder}
{builder}()
print(json.dumps(sorted(sys.modules)))
"""


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def loaded_after(module: str, target: str, home: Path) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "SLACK_", "ANTHROPIC_"))}
    env |= {
        "AGENTIC_HOME": str(home),
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{closed_port()}",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    }
    builder_module, builder = target.split(":")
    probe = PROBE.format(module=module, builder_module=builder_module, builder=builder)
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return set(json.loads(done.stdout.splitlines()[-1]))


def among(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m in packages or m.startswith(tuple(f"{p}." for p in packages)))


@pytest.mark.parametrize(
    ("module", "builder"), list(CASES), ids=[b.split(":")[1] + "@" + m for m, b in CASES]
)
def test_an_entry_point_cold_start_imports_only_what_it_uses(
    module: str, builder: str, tmp_path: Path
) -> None:
    # Given a fresh interpreter / When it imports the handler and builds this entry point's part
    modules = loaded_after(module, builder, tmp_path)
    # Then what it uses is there, and nothing only another entry point or a request uses
    needed, unused = CASES[(module, builder)]
    assert needed in modules
    assert among(modules, unused) == []
