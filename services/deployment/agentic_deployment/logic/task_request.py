"""Turn a deploy task into a DeployRequest: what to run (codegen's commit, or the requested version),
which strategy, and which gate (the environment table's, made stricter by the template's). A malformed
task fails for good (retrying cannot help)."""

from __future__ import annotations

from typing import Any

from agentic_common.agent import TaskError
from agentic_common.approvals.deployment import deployment_id_for
from agentic_common.environments import UnknownEnvironmentError
from agentic_common.environments.gates import GateConfigError, effective_gate
from agentic_common.events.codegen import CodegenOutputs
from agentic_common.events.tasks import TaskCreated
from agentic_common.upstream import optional_upstream

from agentic_deployment.ports import STRATEGIES, DeployRequest, Gate, Strategy

ACTION = "deploy"
UPSTREAM = "codegen"


def deployment_id(workflow_id: str, task_id: str) -> str:
    """Deterministic, so a redelivered or retried task finds what an earlier attempt deployed."""
    return deployment_id_for(workflow_id, task_id)


def _source(task: TaskCreated) -> tuple[str, str, str]:
    """(service, repo_url, commit): codegen's outputs upstream, else the requested service and version."""
    codegen = optional_upstream(task, UPSTREAM, CodegenOutputs)
    if codegen is not None:
        return codegen.service_name, codegen.repo_url, codegen.commit
    params = task.parameters
    service, repo, version = params.get("service"), params.get("repoUrl"), params.get("version")
    if not all(isinstance(v, str) and v for v in (service, repo, version)):
        raise TaskError(
            f"task {task.task_id} has no upstream {UPSTREAM!r} outputs and its parameters lack 'service', "
            "'repoUrl' and 'version': deploy what codegen produced, or name the service, repository and "
            "version",
            retryable=False,
        )
    return str(service), str(repo), str(version)


def _strategy(task: TaskCreated) -> Strategy:
    strategy = task.parameters.get("strategy", "rolling")
    if strategy not in STRATEGIES:
        raise TaskError(f"strategy {strategy!r} is not one of {', '.join(STRATEGIES)}", retryable=False)
    return strategy  # type: ignore[no-any-return]


def _gate(config: dict[str, Any], environment: str) -> Gate:
    """The environment table's gate, made stricter (never weaker) by the template's."""
    try:
        return effective_gate(config, environment)
    except UnknownEnvironmentError as exc:
        raise TaskError(f"cannot deploy: {exc}", retryable=False) from None
    except GateConfigError as exc:
        raise TaskError(f"the template's gate config is invalid: {exc}", retryable=False) from None


def deploy_request(task: TaskCreated) -> DeployRequest:
    if task.action != ACTION:
        raise TaskError(
            f"the deployment agent has no action {task.action!r}; the template must use {ACTION!r}",
            retryable=False,
        )
    service, repo_url, commit = _source(task)
    environment = task.parameters.get("environment")
    if not isinstance(environment, str) or not environment:
        raise TaskError(
            "the workflow parameters have no 'environment': add it to the request", retryable=False
        )
    return DeployRequest(
        deployment_id=deployment_id(task.workflow_id, task.task_id),
        workflow_id=task.workflow_id,
        service_name=service,
        environment=environment,
        repo_url=repo_url,
        commit=commit,
        timeout_seconds=task.timeout_seconds,
        strategy=_strategy(task),
        gate=_gate(task.config, environment),
    )
