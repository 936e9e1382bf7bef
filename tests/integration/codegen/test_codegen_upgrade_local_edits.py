"""codegen.upgrade on a real repository (local bare repo, real git) that the team has edited since it was
generated from an older template version: team files are kept, the rest is re-rendered, an MR opens."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from agentic_codegen.logic.generate import CodegenPorts, make_work
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_codegen.ports import Files, SecretFinding
from agentic_common.agent import TaskError
from agentic_common.artifact_store import InMemoryArtifactStore
from agentic_common.events.codegen import CodegenOutputs
from agentic_common.events.tasks import TaskCreated
from agentic_common.git.local import LocalGitHost

from tests.helpers import planner_state, task_created

PARAMS = {"serviceName": "orders", "language": "python", "database": "postgresql"}
MANIFEST = ".agentic/manifest.json"
TEAM_EDITED = "README.md"
TEAM_ADDED = "docs/runbook.md"


class NoSecrets:
    def scan(self, files: Files) -> list[SecretFinding]:
        return []


def _git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def _older_generation(current: dict[str, bytes]) -> tuple[dict[str, bytes], dict[str, Any]]:
    """What template 1.0.0 generated: one file differed, one did not exist yet, one was dropped since."""
    old = {p: c for p, c in current.items() if p not in (MANIFEST, ".editorconfig")}
    old["Dockerfile"] = b"# template 1.0.0 Dockerfile\n" + current["Dockerfile"]
    old["docs/legacy.md"] = b"# written by template 1.0.0\n"
    manifest = {
        "template": "python-fastapi",
        "version": "1.0.0",
        "files": {p: hashlib.sha256(c).hexdigest() for p, c in sorted(old.items())},
    }
    old[MANIFEST] = json.dumps(manifest, indent=2).encode()
    return old, manifest


def _task(action: str = "upgrade") -> TaskCreated:
    return task_created(
        "codegen",
        workflow_id="wf-up",
        action=action,
        timeout_seconds=600,
        template="service-upgrade",
        parameters=dict(PARAMS),
    )


@pytest.fixture
def host(tmp_path: Path) -> LocalGitHost:
    return LocalGitHost(tmp_path / "git", "services")


@pytest.fixture
def edited_repo(host: LocalGitHost, tmp_path: Path) -> dict[str, bytes]:
    """Publish the 1.0.0 generation, then a team member clones, edits, adds a file and pushes to main."""
    current: dict[str, bytes] = TemplateRenderer().render(parse_parameters(PARAMS))
    old, _ = _older_generation(current)
    repo = host.publish("orders", old, "Generate orders from template 1.0.0")
    clone = tmp_path / "clone"
    _git("clone", "--quiet", repo.repo_url, str(clone))
    (clone / TEAM_EDITED).write_text("# orders\n\nOur own README, edited by the team.\n")
    (clone / "docs").mkdir(exist_ok=True)
    (clone / TEAM_ADDED).write_text("# Runbook\n")
    _git("add", "-A", cwd=clone)
    _git("-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-qm", "Team edits", cwd=clone)
    _git("push", "--quiet", "origin", "HEAD:main", cwd=clone)
    return current


def _ports(host: LocalGitHost) -> CodegenPorts:
    return CodegenPorts(
        renderer=TemplateRenderer(),
        artifacts=InMemoryArtifactStore("artifacts"),
        git=host,
        scanner=NoSecrets(),
        tasks=planner_state("wf-up"),
    )


def test_an_upgrade_keeps_team_files_rerenders_the_rest_and_opens_a_merge_request(
    host: LocalGitHost, edited_repo: dict[str, bytes]
) -> None:
    # Given a repository generated from template 1.0.0 and then edited by the team
    main_before = _git("--git-dir", str(host.repo_path("orders")), "rev-parse", "main")

    # When the upgrade task runs with the current (newer) templates
    outputs = make_work(_ports(host))(_task()).outputs
    assert isinstance(outputs, CodegenOutputs)

    # Then the report says what happened to each file
    report = outputs.upgrade
    assert report is not None
    assert (report.from_version, report.to_version) == ("1.0.0", json.loads(edited_repo[MANIFEST])["version"])
    assert report.kept == [TEAM_EDITED]
    assert report.updated == ["Dockerfile"]
    assert report.added == [".editorconfig"]
    assert report.removed == ["docs/legacy.md"]
    # And the merge request's branch holds the team's files, the new template files and the new manifest
    assert outputs.merge_request_iid == 1
    branch_files = host.read_tree("orders", outputs.branch)
    assert branch_files[TEAM_EDITED] == b"# orders\n\nOur own README, edited by the team.\n"
    assert branch_files[TEAM_ADDED] == b"# Runbook\n"
    assert branch_files["Dockerfile"] == edited_repo["Dockerfile"]
    assert branch_files[".editorconfig"] == edited_repo[".editorconfig"]
    assert "docs/legacy.md" not in branch_files
    assert branch_files[MANIFEST] == edited_repo[MANIFEST]
    # And main is untouched; the merge request describes the difference
    assert _git("--git-dir", str(host.repo_path("orders")), "rev-parse", "main") == main_before
    record = host.merge_request("orders", 1)
    assert record["title"].startswith("Upgrade orders to template")
    assert "Kept (changed by the team) (1):\n- `README.md`" in record["description"]


def test_running_the_upgrade_twice_opens_one_merge_request(
    host: LocalGitHost, edited_repo: dict[str, bytes]
) -> None:
    # Given an upgrade already proposed
    work = make_work(_ports(host))
    first = work(_task()).outputs

    # When the task is redelivered
    second = work(_task()).outputs

    # Then the same branch, commit and merge request come back
    assert second == first
    assert [r["iid"] for r in host.records("orders").all()] == [1]


def test_upgrading_a_service_that_was_never_generated_fails_clearly(host: LocalGitHost) -> None:
    with pytest.raises(TaskError) as failure:
        make_work(_ports(host))(_task())
    assert "run generate first" in str(failure.value)
    assert failure.value.retryable is False


def test_upgrading_a_repository_without_a_manifest_fails_clearly(host: LocalGitHost) -> None:
    host.publish("orders", {"README.md": b"# hand-made\n"}, "Hand-made service")
    with pytest.raises(TaskError, match=r"has no \.agentic/manifest\.json") as failure:
        make_work(_ports(host))(_task())
    assert failure.value.retryable is False


def test_a_repository_on_a_newer_template_is_not_downgraded(host: LocalGitHost) -> None:
    current = TemplateRenderer().render(parse_parameters(PARAMS))
    manifest = json.loads(current[MANIFEST]) | {"version": "99.0.0"}
    host.publish("orders", {**current, MANIFEST: json.dumps(manifest).encode()}, "Generate orders")
    with pytest.raises(TaskError, match="refusing to downgrade"):
        make_work(_ports(host))(_task())


def test_a_service_already_on_the_current_templates_gets_no_merge_request(host: LocalGitHost) -> None:
    # Given a service generated with the current templates and not edited since
    current = TemplateRenderer().render(parse_parameters(PARAMS))
    generated = host.publish("orders", current, "Generate orders")

    # When the upgrade runs
    outputs = make_work(_ports(host))(_task()).outputs
    assert isinstance(outputs, CodegenOutputs)

    # Then nothing changes: main's head, no merge request, an empty report
    assert (outputs.branch, outputs.commit, outputs.merge_request_iid) == ("main", generated.commit, None)
    assert outputs.upgrade is not None
    assert (
        outputs.upgrade.kept,
        outputs.upgrade.updated,
        outputs.upgrade.added,
        outputs.upgrade.removed,
    ) == ([], [], [], [])
    assert host.records("orders").all() == []
