"""The web console in a real browser (Debian's Chromium driven by playwright-core) against the whole stack.

One browser run (``console_flow.mjs``) walks the user's path and reports what each page showed: it
creates a workflow in the page and watches it complete, opens its deployment's rollout chart and its
policy findings, then a prod workflow waits for approval, an outsider's Approve is refused and an
approver's goes through. Each test below checks one of those against the API. Screenshots of every page
are written under the test's tmp dir (the path is printed); so is the first page load time.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from agentic_local.auth import issue_token

from scripts.build_console import build
from tests.e2e.conftest import RunningStack
from tests.tools import ToolNotFoundError, locate

pytestmark = pytest.mark.slow
FLOW = Path(__file__).with_name("console_flow.mjs")


def run_browser(stack: RunningStack, artifacts: Path, mode: str, **extra: str) -> dict[str, Any]:
    """Runs console_flow.mjs in ``mode``; its report, or the test fails with its error and the screenshots."""
    try:
        chromium, node = locate("chromium"), locate("node")
    except ToolNotFoundError as exc:
        pytest.fail(str(exc))
    env = os.environ | {
        "CONSOLE_URL": f"{stack.api_url}/console/",
        "CHROMIUM": str(chromium),
        "ARTIFACTS": str(artifacts),
        "TOKEN_DEVELOPER": issue_token(stack.home),
        "TOKEN_REVIEWER": issue_token(
            stack.home, subject="reviewer@agentic.local", groups=["deploy-approvers"]
        ),
        "TOKEN_OUTSIDER": issue_token(stack.home, subject="outsider@agentic.local"),
        "MODE": mode,
        **extra,
    }
    done = subprocess.run(
        [str(node), str(FLOW)], env=env, capture_output=True, text=True, timeout=1800, check=False
    )
    lines = done.stdout.strip().splitlines()
    result: dict[str, Any] = json.loads(lines[-1]) if lines else {"error": done.stderr[-3000:]}
    print(f"\nconsole screenshots ({mode}): {artifacts}")
    if done.returncode != 0:
        pytest.fail(
            f"the browser run failed: {result.get('error')}\nscreenshots: {artifacts}\n{done.stderr[-2000:]}"
        )
    return result


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build()  # `make console`: npm ci from the lock, then the Vite build, only when stale
    return tmp_path_factory.mktemp("console-screenshots")


@pytest.fixture(scope="module")
def seen(stack: RunningStack, artifacts: Path) -> dict[str, Any]:
    service = f"console-{uuid.uuid4().hex[:6]}"
    result = run_browser(stack, artifacts, "flow", SERVICE=service)
    print(f"first page load: {result['firstLoadMs']} ms (load event {result['loadEventMs']:.0f} ms)")
    return result | {"service": service}


@pytest.fixture(scope="module")
def canary(stack: RunningStack, artifacts: Path, seen: dict[str, Any]) -> dict[str, Any]:
    """The service of the flow deployed again with a canary (a previous version now shares the traffic)."""
    first = stack.client.get(f"/workflows/{seen['workflowId']}").json()
    body = {
        "service": seen["service"],
        "version": first["links"]["commit"],
        "environment": "dev",
        "strategy": "canary",
    }
    accepted = stack.client.post("/deploy", json=body)
    assert accepted.status_code == 202, accepted.text
    ended = stack.wait_for_end(accepted.json()["workflowId"])
    assert ended["status"] == "completed", ended.get("reason")
    deployment = accepted.json()["deploymentId"]
    steps = next(t for t in ended["tasks"] if t["outputs"].get("deployment_id") == deployment)["outputs"][
        "steps"
    ]
    return run_browser(stack, artifacts, "chart", DEPLOYMENT=deployment) | {"recorded": steps}


def test_a_workflow_created_in_the_page_is_watched_until_it_completes(seen: dict[str, Any]) -> None:
    assert seen["finalStatus"] == "completed", seen["failureReason"]
    assert seen["taskStatuses"] == {t: "succeeded" for t in ("codegen", "policy", "deploy", "verify")}


def test_the_workflow_page_shows_the_workflows_trace_id(seen: dict[str, Any], stack: RunningStack) -> None:
    trace_id = stack.client.get(f"/workflows/{seen['workflowId']}").json()["traceId"]
    assert len(trace_id) == 32
    assert seen["traceId"] == trace_id


def test_the_list_filtered_by_service_in_the_page_shows_only_that_service(seen: dict[str, Any]) -> None:
    assert seen["filteredServices"]
    assert all(seen["service"] in service for service in seen["filteredServices"])


def test_the_dora_page_draws_weekly_trends_of_the_services_deployed(seen: dict[str, Any]) -> None:
    assert seen["doraError"] == []
    assert {seen["service"], f"{seen['service']}-prod"} <= set(seen["doraGroups"])


def test_the_deployment_page_draws_each_rollout_step_with_its_slo_checks(
    seen: dict[str, Any], stack: RunningStack
) -> None:
    workflow = stack.client.get(f"/workflows/{seen['workflowId']}").json()
    steps = next(t for t in workflow["tasks"] if t["taskId"] == "deploy")["outputs"]["steps"]
    assert seen["rolloutSteps"] == ["passed" if s["passed"] else "failed" for s in steps]
    assert seen["sloRows"] == sum(len(s["evidence"]) for s in steps)


def test_the_policy_page_shows_the_decisions_findings_and_the_bundles_rules(
    seen: dict[str, Any], stack: RunningStack
) -> None:
    workflow = stack.client.get(f"/workflows/{seen['workflowId']}").json()
    outputs = next(t for t in workflow["tasks"] if t["taskId"] == "policy")["outputs"]
    expected = sorted(f["rule"] for f in outputs["violations"] + outputs["waived"])
    assert sorted(seen["findingRules"]) == expected
    assert seen["ruleRows"] == len(stack.client.get("/policy/rules").json()["rules"])


def test_a_non_approver_is_refused_in_the_page(seen: dict[str, Any]) -> None:
    assert seen["prodWaiting"] == "awaiting_approval"
    assert seen["outsiderMessage"].startswith("refused:")
    assert "outsider@agentic.local" in seen["outsiderMessage"]


def test_an_approver_approves_the_prod_deployment_in_the_page_and_it_deploys(
    seen: dict[str, Any], stack: RunningStack
) -> None:
    assert seen["reviewerMessage"] == "approved by reviewer@agentic.local"
    approval = stack.client.get(f"/approvals/apr-{seen['prodWorkflowId']}").json()
    assert [(e["action"], e["actor"]) for e in approval["audit"]][-1] == (
        "approved",
        "reviewer@agentic.local",
    )
    assert seen["prodFinal"] == "completed"


def test_a_canary_is_drawn_step_by_step_with_each_steps_share_and_verdict(canary: dict[str, Any]) -> None:
    # Given a canary of a service that already runs (the deploy task's recorded steps)
    recorded = canary["recorded"]
    assert len(recorded) > 1, recorded
    # Then the page draws one bar per step with the new version's share and the step's verdict
    assert canary["steps"] == [
        {"share": f"{s['weight']}%", "verdict": "passed" if s["passed"] else "failed"} for s in recorded
    ]
    assert canary["sloRows"] == sum(len(s["evidence"]) for s in recorded)


def test_a_canary_is_drawn_on_a_time_axis_each_step_where_its_recorded_start_falls(
    canary: dict[str, Any],
) -> None:
    # Given the canary's steps with their recorded start and end times
    recorded = canary["recorded"]
    starts = [datetime.fromisoformat(s["started_at"]) for s in recorded]
    total = max(datetime.fromisoformat(s["ended_at"]) for s in recorded) - starts[0]

    # Then the chart's x axis is time and each bar starts at its step's share of the rollout's duration
    assert canary["chartAxis"] == "traffic share over time"
    expected = [round(40 + (at - starts[0]) / total * 600) for at in starts]
    assert all(abs(x - e) <= 1 for x, e in zip(canary["stepX"], expected, strict=True)), (
        canary["stepX"],
        expected,
    )


def test_every_page_is_kept_as_a_screenshot(seen: dict[str, Any]) -> None:
    names = [Path(p).stem.split("-", 1)[1] for p in seen["screenshots"]]
    assert names == [
        "workflows",
        "workflow",
        "workflows-filtered",
        "deployment",
        "policy",
        "prod-deployment-pending",
        "refused-non-approver",
        "approved-by-approver",
        "prod-workflow",
        "dora",
    ]
    assert all(Path(p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in seen["screenshots"])
    assert seen["firstLoadMs"] > 0  # measured (and printed) by the browser; never asserted against a bound
