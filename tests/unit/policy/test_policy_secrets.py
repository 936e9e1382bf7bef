"""SEC-001: detect-secrets finds AWS keys and GitLab tokens, and never reports their values."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from agentic_common.agent import TaskError
from agentic_common.artifact_store import InMemoryArtifactStore
from agentic_common.events.tasks import TaskCreated
from agentic_policy.adapters.memory_recorder import InMemoryViolationRecorder
from agentic_policy.logic.repo import Repo
from agentic_policy.logic.rules.security import NO_SECRETS_IN_CODE
from agentic_policy.logic.scan_task import RepositoryScan
from agentic_policy.logic.secrets import find_secrets

AWS_KEY = "AKIAZ7VQ3XK2MNB4TQ5R"
GITLAB_TOKEN = "glpat-xK9f2LmQ7rT3vB8nW1pZ"
LEAKY_FILES = {
    "app/settings.py": f'import os\n\nAWS_ACCESS_KEY_ID = "{AWS_KEY}"\n'.encode(),
    "deploy/values.yaml": f"image: payments-api\ngitlab_token: {GITLAB_TOKEN}\n".encode(),
}


def test_an_aws_access_key_and_a_gitlab_token_are_found_with_type_file_and_line() -> None:
    # Given two files that each hold a secret / When SEC-001 runs
    found = NO_SECRETS_IN_CODE.evaluate(Repo(LEAKY_FILES))

    # Then each is a critical security violation at the right place, naming the secret type
    assert [(v.rule, v.severity, v.category, v.file, v.line) for v in found] == [
        ("SEC-001 no-secrets-in-code", "critical", "security", "app/settings.py", 3),
        ("SEC-001 no-secrets-in-code", "critical", "security", "deploy/values.yaml", 2),
    ]
    assert "AWS Access Key" in found[0].message
    assert "GitLab Token" in found[1].message
    assert all(v.remediation for v in found)


def test_a_gitlab_token_is_reported_by_its_specific_type_not_as_a_generic_string() -> None:
    # Given a glpat token on a keyword line (generic plugins match it too) / When scanned
    findings = find_secrets({"ci.env.example": f"GITLAB_TOKEN={GITLAB_TOKEN}\n".encode()})

    # Then the one finding on that line is typed as a GitLab token only
    assert [(f.file, f.line, f.types) for f in findings] == [("ci.env.example", 1, ("GitLab Token",))]


def test_secret_values_appear_in_no_violation() -> None:
    # Given the leaky files / When SEC-001 runs / Then no serialized violation holds a value
    serialized = "".join(v.model_dump_json() for v in NO_SECRETS_IN_CODE.evaluate(Repo(LEAKY_FILES)))
    assert serialized
    assert AWS_KEY not in serialized
    assert GITLAB_TOKEN not in serialized


def test_secret_values_appear_in_neither_the_task_error_nor_its_evidence(
    make_task: Callable[..., TaskCreated],
    artifacts: InMemoryArtifactStore,
    recorder: InMemoryViolationRecorder,
) -> None:
    # Given a task in staging over the leaky files
    task = make_task(LEAKY_FILES, environment="staging")

    # When the scan runs, Then it blocks
    with pytest.raises(TaskError) as raised:
        RepositoryScan(artifacts=artifacts, recorder=recorder)(task)

    # And neither message, evidence nor recorded items hold a secret value
    text = (
        f"{raised.value} {raised.value.evidence} {[r.violation.model_dump_json() for r in recorder.records]}"
    )
    assert "SEC-001" in str(raised.value)
    assert AWS_KEY not in text
    assert GITLAB_TOKEN not in text


def test_a_clean_service_has_no_secrets(clean_repo: dict[str, bytes]) -> None:
    assert find_secrets(clean_repo) == []
