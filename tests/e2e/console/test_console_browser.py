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
from pathlib import Path
from typing import Any

import pytest
from agentic_local.auth import issue_token

from scripts.build_console import build
from tests.e2e.conftest import RunningStack
from tests.tools import ToolNotFoundError, locate

pytestmark = pytest.mark.slow
FLOW = Path(__file__).with_name("console_flow.mjs")


@pytest.fixture(scope="module")
def seen(stack: RunningStack, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    try:
        chromium, node = locate("chromium"), locate("node")
    except ToolNotFoundError as exc:
        pytest.fail(str(exc))
    build()  # `make console`: npm ci from the lock, then the Vite build, only when stale
    artifacts = tmp_path_factory.mktemp("console-screenshots")
    env = os.environ | {
        "CONSOLE_URL": f"{stack.api_url}/console/",
        "CHROMIUM": str(chromium),
        "ARTIFACTS": str(artifacts),
        "TOKEN_DEVELOPER": issue_token(stack.home),
        "TOKEN_REVIEWER": issue_token(
            stack.home, subject="reviewer@agentic.local", groups=["deploy-approvers"]
        ),
        "TOKEN_OUTSIDER": issue_token(stack.home, subject="outsider@agentic.local"),
        "SERVICE": f"console-{uuid.uuid4().hex[:6]}",
        "MODE": "flow",
    }
    done = subprocess.run(
        [str(node), str(FLOW)], env=env, capture_output=True, text=True, timeout=1800, check=False
    )
    lines = done.stdout.strip().splitlines()
    result: dict[str, Any] = json.loads(lines[-1]) if lines else {"error": done.stderr[-3000:]}
    print(f"\nconsole screenshots: {artifacts}\nfirst page load: {result.get('firstLoadMs')} ms")
    if done.returncode != 0:
        pytest.fail(
            f"the browser run failed: {result.get('error')}\nscreenshots: {artifacts}\n{done.stderr[-2000:]}"
        )
    return result


def test_a_workflow_created_in_the_page_is_watched_until_it_completes(seen: dict[str, Any]) -> None:
    assert seen["finalStatus"] == "completed"
    assert seen["taskStatuses"] == {t: "succeeded" for t in ("codegen", "policy", "deploy", "verify")}


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


def test_every_page_is_kept_as_a_screenshot(seen: dict[str, Any]) -> None:
    names = [Path(p).stem.split("-", 1)[1] for p in seen["screenshots"]]
    assert names[:5] == ["workflows", "workflow", "deployment", "policy", "prod-deployment-pending"]
    assert all(Path(p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in seen["screenshots"])
    assert seen["firstLoadMs"] > 0  # measured (and printed) by the browser; never asserted against a bound
