"""Creating a workflow from a request: template or free text, validated, planned, stored, dispatched."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agentic_common.environments import deploys, load_rules
from agentic_common.events.planner import PlannedTask, WorkflowCreated
from agentic_common.state import AlreadyExistsError, WorkflowState

from agentic_planner.logic.catalogue import FieldProblem, InvalidParametersError, UnknownTemplateError
from agentic_planner.logic.catalogue_models import Template
from agentic_planner.logic.engine import Engine
from agentic_planner.logic.planning import new_workflow_id, plan, request_digest
from agentic_planner.logic.repositories import check_repository, resolve_version
from agentic_planner.logic.service_names import keep_name
from agentic_planner.logic.workflows import WorkflowService
from agentic_planner.ports import PlanProposer, ProposalError


class IdempotencyConflictError(ValueError):
    """The Idempotency-Key was used before with a different request body."""


class FreeTextUnavailableError(ValueError):
    """A free-text request arrived but no LLM is configured: we never guess."""


class UnplannableRequestError(InvalidParametersError):
    """The model's answer to a free-text request is not a workflow we would run (field ``request``)."""

    def __init__(self, why: str, templates: list[str]) -> None:
        super().__init__(
            [
                FieldProblem(
                    "request",
                    f"could not turn this request into a workflow: {why}; use a template "
                    f"(known: {', '.join(templates)})",
                )
            ]
        )


@dataclass(frozen=True)
class CreateRequest:
    """``requested_by`` is the token's subject, or the user a service principal (``via``) acts for."""

    requested_by: str
    template: str | None
    parameters: dict[str, Any]
    request: str | None = None
    via: str | None = None
    replace: bool = False  # the caller asks to move an existing service name to this language/pattern


def _check_environment(template: Template, parameters: dict[str, Any]) -> None:
    """A template with a deploying task reaches an environment: it must be one the table declares."""
    if not any(deploys(t.agent) for t in template.tasks):
        return
    table = load_rules()
    environment = parameters.get("environment")
    if environment not in table.environments:
        raise InvalidParametersError(
            [
                FieldProblem(
                    "parameters.environment",
                    f"{environment!r} has no environment rules; expected one of: {', '.join(table.names)}",
                )
            ]
        )


@dataclass(frozen=True)
class CreateResult:
    state: WorkflowState
    replayed: bool


def _admitted(service: WorkflowService, template: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """Parameters as the catalogue validates them, naming only the platform's own repositories, with
    a deploy's ``version`` resolved to its commit (``logic.repositories``)."""
    check_repository(None, parameters)  # credentials in a URL: refused before anything can echo it
    validated = service.catalogue.validate(template, parameters)
    project = check_repository(service.repositories, validated)
    if project is not None and "version" in validated and service.revisions is not None:
        return resolve_version(service.revisions, project, validated)
    return validated


def _resolve(
    service: WorkflowService, req: CreateRequest, proposer: PlanProposer | None
) -> tuple[str, dict[str, Any]]:
    if req.template is not None:
        return req.template, _admitted(service, req.template, req.parameters)
    if proposer is None:
        raise FreeTextUnavailableError(
            "free-text requests are planned by Claude, and no ANTHROPIC_API_KEY is configured; "
            f"send a 'template' instead (known: {', '.join(service.catalogue.names)})"
        )
    names = service.catalogue.names
    schemas = {name: service.catalogue.get(name).parameters for name in names}
    try:
        proposal = proposer.propose(req.request or "", schemas)
    except ProposalError as exc:  # ProposerUnavailableError goes up: the API answers 503
        raise UnplannableRequestError(str(exc), names) from None
    try:  # the model's plan meets every rule a request body meets (repository, version, name)
        return proposal.template, _admitted(service, proposal.template, proposal.parameters)
    except UnknownTemplateError:
        raise UnplannableRequestError(
            f"the model proposed an unknown template {proposal.template[:100]!r}", names
        ) from None
    except InvalidParametersError as exc:
        why = "; ".join(f"{p.field}: {p.problem}" for p in exc.problems)
        raise UnplannableRequestError(f"the proposed plan is invalid: {why}", names) from None


def create_workflow(
    service: WorkflowService,
    req: CreateRequest,
    body: dict[str, Any],
    idempotency_key: str | None = None,
    *,
    proposer: PlanProposer | None = None,
    traceparent: str | None = None,
) -> CreateResult:
    digest = request_digest(body)
    if idempotency_key:
        replay = _replay(service, idempotency_key, digest)
        if replay:
            return replay
    template_name, parameters = _resolve(service, req, proposer)
    template = service.catalogue.get(template_name)
    _check_environment(template, parameters)
    workflow_id = new_workflow_id()
    keep_name(service.names, template, parameters, workflow_id, replace=req.replace)
    workflow, tasks = plan(
        template,
        parameters,
        req.requested_by,
        service.clock(),
        workflow_id,
        digest=digest,
        traceparent=traceparent,
        via=req.via,
    )
    created = WorkflowCreated(
        workflow_id=workflow.workflow_id,
        requested_by=req.requested_by,
        via=req.via,
        template=template.name,
        parameters=parameters,
        tasks=tuple(
            PlannedTask(task_id=t.task_id, agent=t.agent, action=t.action, depends_on=t.depends_on)
            for t in tasks
        ),
    )
    workflow = workflow.model_copy(
        update={"outbox": ({"detail_type": created.DETAIL_TYPE, "detail": created.model_dump(mode="json")},)}
    )
    first = _dispatched(WorkflowState(workflow=workflow, tasks=tuple(tasks)), template, service)
    try:  # one transaction: the workflow, its tasks already dispatched, their events in the outbox
        service.store.create_workflow(first.workflow, first.tasks, idempotency_key)
    except AlreadyExistsError:
        replay = _replay(service, idempotency_key, digest) if idempotency_key else None
        if replay:
            return replay
        raise
    state = service.settle(first)
    assert state is not None
    return CreateResult(state=state, replayed=False)


def _dispatched(state: WorkflowState, template: Template, service: WorkflowService) -> WorkflowState:
    """The new workflow with its ready tasks started, as first stored (every record at version 1)."""
    engine = Engine(state, template, service.clock())
    engine.dispatch_ready()
    engine.seal()
    after = engine.state()
    return WorkflowState(
        workflow=after.workflow.model_copy(update={"version": 1}),
        tasks=tuple(t.model_copy(update={"version": 1}) for t in after.tasks),
    )


def _replay(service: WorkflowService, key: str, digest: str) -> CreateResult | None:
    existing_id = service.store.workflow_for_idempotency_key(key)
    if existing_id is None:
        return None
    state = service.store.load(existing_id)
    if state is None:
        return None
    if state.workflow.request_digest != digest:
        raise IdempotencyConflictError(
            f"Idempotency-Key {key!r} was already used for workflow {existing_id} with a different "
            "request body (or requester); use a new key for a new request"
        )
    return CreateResult(state=state, replayed=True)
