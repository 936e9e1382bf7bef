"""The customisation step inside generate: skipped without a key, errors mapped, outputs say what happened."""

from __future__ import annotations

from typing import Any

import pytest
from agentic_codegen.logic.generate import CodegenPorts, generate
from agentic_codegen.logic.render import TemplateRenderer
from agentic_codegen.ports import Files, ProposerError, SecretFinding
from agentic_common.agent import TaskError
from agentic_common.artifact_store import InMemoryArtifactStore
from agentic_common.events.codegen import CodegenOutputs
from agentic_common.events.tasks import TaskCreated
from agentic_common.git.local import LocalGitHost

from tests.helpers import planner_state, task_created


class NoSecrets:
    def scan(self, files: Files) -> list[SecretFinding]:
        return []


class FailingProposer:
    def __init__(self, retryable: bool) -> None:
        self.retryable = retryable

    def propose(self, description: str, existing: list[dict[str, Any]]) -> object:
        raise ProposerError("the Claude API answered 503", retryable=self.retryable)


def _task(**parameters: Any) -> TaskCreated:
    return task_created(
        "codegen",
        workflow_id="wf-c",
        timeout_seconds=600,
        template="microservice",
        parameters={"serviceName": "shop", **parameters},
    )


def _ports(tmp_path: Any, proposer: Any = None) -> CodegenPorts:
    return CodegenPorts(
        renderer=TemplateRenderer(),
        artifacts=InMemoryArtifactStore("a"),
        git=LocalGitHost(tmp_path / "git", "services"),
        scanner=NoSecrets(),
        tasks=planner_state("wf-c"),
        proposer=proposer,
    )


def test_without_an_api_key_the_outputs_say_customisation_was_skipped(tmp_path: Any) -> None:
    # When a task asks for customisation but no proposer is configured
    outputs = generate(_task(customisation="Customers and orders"), _ports(tmp_path)).outputs

    # Then the service is generated and the outputs say the step was skipped and why
    assert isinstance(outputs, CodegenOutputs)
    assert outputs.customisation is not None
    assert outputs.customisation.status == "skipped"
    assert "ANTHROPIC_API_KEY" in outputs.customisation.reason


def test_without_a_customisation_request_the_outputs_carry_none(tmp_path: Any) -> None:
    outputs = generate(_task(), _ports(tmp_path)).outputs
    assert isinstance(outputs, CodegenOutputs)
    assert outputs.customisation is None


@pytest.mark.parametrize("retryable", [True, False])
def test_a_failing_claude_api_fails_the_task_saying_whether_to_retry(tmp_path: Any, retryable: bool) -> None:
    with pytest.raises(TaskError) as failure:
        generate(_task(customisation="Customers"), _ports(tmp_path, FailingProposer(retryable)))
    assert failure.value.retryable is retryable
    assert "503" in str(failure.value)


def test_an_overlong_description_is_refused_by_name(tmp_path: Any) -> None:
    with pytest.raises(TaskError, match="customisation: must be text of at most 2000 characters"):
        generate(_task(customisation="x" * 2001), _ports(tmp_path, FailingProposer(True)))
