"""The message for a workflow's end: header, the steps that ran, facts, buttons, public links only."""

from __future__ import annotations

import pytest
from agentic_common.state import TaskStatus
from agentic_planner.logic.public_links import commit_url, is_public, public_base
from agentic_planner.logic.workflow_notice import render_workflow_end

from tests.unit.planner.workflow_states import (
    ALL_DONE,
    COMMIT,
    MR,
    PUBLIC,
    REPO,
    SERVICE_URL,
    completed,
    failed,
    state,
)

DONE, FAILED, SKIPPED = TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.SKIPPED


def test_the_title_names_the_service_the_environment_and_the_outcome() -> None:
    note = render_workflow_end(state(ALL_DONE), completed(), PUBLIC)
    assert note.title == "orders-api in dev: completed"


def test_a_completed_workflow_says_the_steps_that_ran_and_how_long_it_took() -> None:
    note = render_workflow_end(state(ALL_DONE), completed(41), PUBLIC)
    assert note.text.startswith("Generated, policy-checked, deployed and verified in 0m41s.")
    assert "p95 41 ms" in note.text


def test_a_deploy_workflow_names_its_service_and_only_the_deploy_step() -> None:
    # Given a deploy template workflow (parameter 'service', one deploy task)
    deploy = state({"deploy": DONE}, "deploy", service="orders-api", environment="prod", version=COMMIT)
    # When its end is rendered
    note = render_workflow_end(deploy, completed(30), PUBLIC)
    # Then it names the service, not the workflow, and says only what ran
    assert note.title == "orders-api in prod: completed"
    assert note.text.startswith("Deployed in 0m30s.")
    assert "generated" not in note.text
    assert "wf-1" not in note.title


def test_a_failure_says_in_one_sentence_what_failed_and_what_to_do_then_the_reason() -> None:
    # Given a policy check that failed, its dependents skipped
    tasks = {"codegen": DONE, "policy": FAILED, "deploy": SKIPPED, "verify": SKIPPED}
    # When rendered
    note = render_workflow_end(state(tasks), failed(), PUBLIC)
    # Then
    first, reason = note.text.split("\n")[:2]
    assert first == (
        "The policy check (policy) failed after 1 attempt: fix the violations in the policy report "
        "(or ask for a waiver), then run it again."
    )
    assert reason == "Reason: DOCKER-001: base image python:latest is not pinned"
    assert note.title == "orders-api in dev: failed"


def test_the_facts_are_template_linked_version_requester_and_duration() -> None:
    note = render_workflow_end(state(ALL_DONE), completed(75), PUBLIC)
    assert note.facts == {
        "Template": "microservice-rest-api",
        "Requested by": "user:default/jane (via backstage)",
        "Duration": "1m15s",
        "Version": COMMIT[:8],
    }
    assert note.fact_links == {"Version": f"https://gitlab.example.com/acme/orders-api/-/commit/{COMMIT}"}


def test_the_buttons_open_workflow_repository_mr_policy_report_deployment_and_service() -> None:
    note = render_workflow_end(state(ALL_DONE), completed(), PUBLIC)
    assert note.actions == {
        "Workflow": f"{PUBLIC}/workflows/wf-1",
        "Repository": REPO,
        "Merge request": MR,
        "Policy report": f"{PUBLIC}/policy/decisions/dec-7",
        "Deployment": f"{PUBLIC}/deployments/dep-9",
        "Service": SERVICE_URL,
    }
    assert note.record_url == f"{PUBLIC}/workflows/wf-1"


def test_on_the_argocd_target_the_deployment_button_opens_the_argocd_application() -> None:
    # Given a deploy task that ran on the ArgoCD target (its url is the ArgoCD application)
    argocd = state(ALL_DONE)
    tasks = tuple(
        t.model_copy(
            update={
                "outputs": t.outputs
                | {"target": "argocd", "url": "https://argocd.example.com/applications/orders-api-dev"}
            }
        )
        if t.task_id == "deploy"
        else t
        for t in argocd.tasks
    )
    # When rendered / Then the button says so
    note = render_workflow_end(argocd.model_copy(update={"tasks": tasks}), completed(), PUBLIC)
    assert note.actions["ArgoCD app"] == "https://argocd.example.com/applications/orders-api-dev"
    assert "Service" not in note.actions


def test_a_loopback_platform_url_makes_no_platform_links() -> None:
    # Given the local stack's API URL (loopback)
    note = render_workflow_end(state(ALL_DONE), completed(), "http://127.0.0.1:8080")
    # Then no button or record link points at it; links to public hosts stay
    assert set(note.actions) == {"Repository", "Merge request", "Service"}
    assert note.record_url is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://localhost:3000/x",
        "http://[::1]:80",
        "http://127.9.9.9",
        "http://api.localhost",
        "file:///tmp/repo.git",
        "s3://bucket/key",
        "https://",
        None,
    ],
)
def test_loopback_and_non_http_urls_are_never_public(url: str | None) -> None:
    assert not is_public(url)
    assert public_base(url) is None


def test_a_public_url_keeps_its_host_and_loses_its_trailing_slash() -> None:
    assert public_base("https://agentic.example.com/") == "https://agentic.example.com"
    assert commit_url("file:///srv/git/orders-api.git", COMMIT) is None
