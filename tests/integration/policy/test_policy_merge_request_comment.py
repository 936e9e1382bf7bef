"""Findings are commented on the merge request through the Git host port (the local bare-repo adapter,
real git): once per content, even when the task is delivered twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from agentic_common.agent import TaskError
from agentic_common.artifact_store import InMemoryArtifactStore
from agentic_common.git.local import LocalGitHost
from agentic_policy.adapters.memory.recorder import InMemoryViolationRecorder
from agentic_policy.adapters.memory.stores import InMemoryDecisionStore, InMemoryWaiverStore
from agentic_policy.logic.evaluate import PolicyEngine
from agentic_policy.logic.scan_task import RepositoryScan
from agentic_policy.logic.service import PolicyService
from policy_harness import CLEAN_REPO, tarball

from tests.helpers import task_created


def test_the_report_is_commented_once_on_the_merge_request_codegen_opened(tmp_path: Path) -> None:
    # Given payments-api exists on the local Git host and a change (python:latest) arrives as a merge request
    host = LocalGitHost(tmp_path / "git", "services")
    host.publish("payments-api", dict(CLEAN_REPO), "initial")
    changed = dict(CLEAN_REPO) | {"Dockerfile": CLEAN_REPO["Dockerfile"].replace(b"3.11.10-slim", b"latest")}
    published = host.publish("payments-api", changed, "use the latest python")
    assert published.merge_request is not None

    # And a policy task for that change in staging
    artifacts = InMemoryArtifactStore(bucket="artifacts")
    ref = artifacts.put("wf-mr/repo.tar.gz", tarball(changed))
    codegen = {
        "service_name": "payments-api",
        "repo_url": published.repo_url,
        "commit": published.commit,
        "branch": published.branch,
        "artifact": ref.model_dump(mode="json"),
        "files": len(changed),
        "merge_request_iid": published.merge_request.iid,
        "merge_request_url": published.merge_request.url,
    }
    task = task_created(
        "policy",
        workflow_id="wf-mr",
        template="t",
        parameters={"environment": "staging"},
        upstream={"codegen": codegen},
    )
    service = PolicyService(PolicyEngine(), InMemoryWaiverStore(), InMemoryDecisionStore())
    scan = RepositoryScan(artifacts, InMemoryViolationRecorder(), service, commenter=host)

    # When the scan runs twice (a redelivery); it blocks staging both times
    for _ in range(2):
        with pytest.raises(TaskError, match="DOCKER-001"):
            scan(task)

    # Then the merge request holds exactly one note: the Markdown report naming DOCKER-001
    notes = host.merge_request("payments-api", published.merge_request.iid)["notes"]
    assert len(notes) == 1
    assert "DOCKER-001" in notes[0]["body"]
    assert "blocked by" in notes[0]["body"]
