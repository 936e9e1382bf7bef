"""The workflow engine as pure transitions: state + fact + now → records to commit + events to publish.

Nothing here does I/O. ``workflows.py`` loads state, applies one transition, commits it with
optimistic concurrency (a lost race reloads and re-applies) and then publishes the events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from agentic_common.environments import UnknownEnvironmentError, task_approval
from agentic_common.events import EventDetail
from agentic_common.events.planner import WorkflowCompleted, WorkflowFailed
from agentic_common.events.tasks import TaskCreated
from agentic_common.state import (
    RemediationRecord,
    TaskRecord,
    TaskStatus,
    WorkflowRecord,
    WorkflowState,
    WorkflowStatus,
)
from agentic_common.state.due import attempt_deadline, next_due

from agentic_planner.logic.catalogue_models import Template
from agentic_planner.logic.service_names import order_key, service_of

RETRY_BASE_SECONDS = 2.0
RETRY_CAP_SECONDS = 60.0


@dataclass
class Transition:
    """Changed records (each with its version bumped) and the events that follow from them."""

    records: dict[str, WorkflowRecord | TaskRecord] = field(default_factory=dict)
    events: list[EventDetail] = field(default_factory=list)

    def put(self, record: WorkflowRecord | TaskRecord, original_version: int) -> None:
        key = record.task_id if isinstance(record, TaskRecord) else "#workflow"
        self.records[key] = record.model_copy(update={"version": original_version + 1})

    @property
    def empty(self) -> bool:
        return not self.records


def backoff(attempt: int) -> timedelta:
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** (attempt - 1), RETRY_CAP_SECONDS))


class Engine:
    def __init__(self, state: WorkflowState, template: Template, now: datetime) -> None:
        self.workflow = state.workflow
        self.tasks = {t.task_id: t for t in state.tasks}
        self._original = {t.task_id: t.version for t in state.tasks} | {"#workflow": state.workflow.version}
        self.template = template
        self.now = now
        self.out = Transition()

    # -- helpers -----------------------------------------------------------------------------
    def _set_task(self, task: TaskRecord, **changes: Any) -> TaskRecord:
        updated = task.model_copy(update={**changes, "updated_at": self.now})
        self.tasks[task.task_id] = updated
        self.out.put(updated, self._original[task.task_id])
        return updated

    def _set_workflow(self, **changes: Any) -> None:
        self.workflow = self.workflow.model_copy(update={**changes, "updated_at": self.now})
        self.out.put(self.workflow, self._original["#workflow"])

    def _dispatch(self, task: TaskRecord) -> None:
        running = self._set_task(
            task,
            status=TaskStatus.RUNNING,
            attempt=task.attempt + 1,
            started_at=self.now,
            agent_started_at=None,
            not_before=None,
        )
        config = next(t.config for t in self.template.tasks if t.id == task.task_id)
        upstream = upstream_outputs(self.tasks, task.task_id)
        self.out.events.append(
            TaskCreated(
                workflow_id=task.workflow_id,
                task_id=task.task_id,
                agent=task.agent,
                action=task.action,
                attempt=running.attempt,
                timeout_seconds=task.timeout_seconds,
                template=self.workflow.template,
                parameters=self.workflow.parameters,
                config=config,
                upstream=upstream,
                order_key=order_key(self.workflow.parameters, task.workflow_id),
            )
        )

    def _dependents(self, task_id: str) -> set[str]:
        found: set[str] = set()
        frontier = {task_id}
        while frontier:
            frontier = {t.task_id for t in self.tasks.values() if set(t.depends_on) & frontier} - found
            found |= frontier
        return found

    # -- transitions -------------------------------------------------------------------------
    def dispatch_ready(self) -> None:
        """Start every pending task whose dependencies all succeeded, and due retries.

        A pending task that needs an approval in the workflow's environment (the environment table's
        row for a deploying task, made stricter by its template config) is not started: the workflow
        waits in ``awaiting_approval`` until ``approve`` (or ``abort``).
        """
        if self.workflow.status.terminal or self.workflow.status == WorkflowStatus.AWAITING_APPROVAL:
            return
        for task in list(self.tasks.values()):
            deps_done = all(self.tasks[d].status == TaskStatus.SUCCEEDED for d in task.depends_on)
            due_retry = task.status == TaskStatus.READY and (
                task.not_before is None or task.not_before <= self.now
            )
            if task.status == TaskStatus.PENDING and deps_done and self._needs_approval(task):
                self._set_workflow(status=WorkflowStatus.AWAITING_APPROVAL)
                return
            if (task.status == TaskStatus.PENDING and deps_done) or due_retry:
                self._dispatch(task)
        self._finish_if_done()

    def approve(self) -> None:
        """An approval was granted: start the tasks that were waiting for it."""
        if self.workflow.status != WorkflowStatus.AWAITING_APPROVAL:
            return
        self._set_workflow(status=WorkflowStatus.IN_PROGRESS)
        for task in list(self.tasks.values()):
            if task.status == TaskStatus.PENDING and all(
                self.tasks[d].status == TaskStatus.SUCCEEDED for d in task.depends_on
            ):
                self._dispatch(task)

    def _needs_approval(self, task: TaskRecord) -> bool:
        return needs_approval(self.template, task, self.workflow.parameters)

    def complete(self, task_id: str, attempt: int, outputs: dict[str, Any]) -> None:
        task = self.tasks.get(task_id)
        if task is None or task.status != TaskStatus.RUNNING or task.attempt != attempt:
            return  # duplicate, stale attempt or unknown task: nothing changes
        self._set_task(task, status=TaskStatus.SUCCEEDED, outputs=outputs, finished_at=self.now, error=None)
        self.dispatch_ready()

    def fail(self, task_id: str, attempt: int | None, error: str, retryable: bool) -> None:
        task = self.tasks.get(task_id)
        if (
            task is None
            or task.status != TaskStatus.RUNNING
            or (attempt is not None and task.attempt != attempt)
        ):
            return
        if retryable and task.attempt < task.max_attempts:
            self._set_task(
                task, status=TaskStatus.READY, error=error, not_before=self.now + backoff(task.attempt)
            )
            return
        self._set_task(task, status=TaskStatus.FAILED, error=error, finished_at=self.now)
        for dependent in sorted(self._dependents(task_id)):
            if not self.tasks[dependent].status.terminal:
                self._set_task(
                    self.tasks[dependent],
                    status=TaskStatus.SKIPPED,
                    finished_at=self.now,
                    error=f"skipped because {task_id} failed",
                )
        self._finish_if_done()

    def started(self, task_id: str, attempt: int, at: datetime) -> None:
        """The agent began this attempt at ``at`` (its clock, kept between the dispatch and now): the
        attempt's timeout counts from there. A start of another attempt, or a second one, changes nothing."""
        task = self.tasks.get(task_id)
        if task is None or task.status != TaskStatus.RUNNING or task.attempt != attempt:
            return
        if task.agent_started_at is not None or task.started_at is None:
            return
        moment = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
        self._set_task(task, agent_started_at=min(max(moment, task.started_at), self.now))

    def time_out(self) -> None:
        """Fail (for a retry) every running attempt past its deadline (``state.due.attempt_deadline``)."""
        for task in list(self.tasks.values()):
            deadline = attempt_deadline(task)
            if deadline is None or self.now <= deadline:
                continue
            error = (
                f"attempt {task.attempt} timed out after {task.timeout_seconds}s with no result"
                if task.agent_started_at
                else f"attempt {task.attempt} was not started by the {task.agent} agent within "
                f"{int((deadline - (task.started_at or deadline)).total_seconds())}s of its dispatch"
            )
            self.fail(task.task_id, task.attempt, error, retryable=True)

    def abort(self, reason: str) -> None:
        """Fail the workflow now (e.g. an event about it could not be processed)."""
        if self.workflow.status.terminal:
            return
        for task in list(self.tasks.values()):
            if not task.status.terminal:
                self._set_task(task, status=TaskStatus.CANCELLED, finished_at=self.now, error=reason)
        self._finish(WorkflowStatus.FAILED, reason)

    def seal(self) -> Transition:
        """Put the transition's events in the workflow's outbox, committed with the state change, and
        record when the sweep next has work for the workflow (``due_at``, ``state.due``)."""
        if self.out.events:
            outbox = tuple(
                {"detail_type": e.DETAIL_TYPE, "detail": e.model_dump(mode="json")} for e in self.out.events
            )
            self._set_workflow(outbox=self.workflow.outbox + outbox)
        due = next_due(self.workflow, self.tasks.values(), self.now)
        if due != self.workflow.due_at or (self.out.records and "#workflow" not in self.out.records):
            # every change moves the workflow's version: a commit conditional on it proves the whole
            # state it was decided on was current (``known_states``)
            self._set_workflow(due_at=due)
        return self.out

    def state(self, remediations: tuple[RemediationRecord, ...] = ()) -> WorkflowState:
        """The workflow as it is once the sealed transition is committed (versions included)."""
        tasks = tuple(
            record if isinstance(record := self.out.records.get(t.task_id, t), TaskRecord) else t
            for t in self.tasks.values()
        )
        workflow = self.out.records.get("#workflow", self.workflow)
        assert isinstance(workflow, WorkflowRecord)
        return WorkflowState(workflow=workflow, tasks=tasks, remediations=remediations)

    def _finish_if_done(self) -> None:
        if self.workflow.status.terminal or any(not t.status.terminal for t in self.tasks.values()):
            return
        failed = [t for t in self.tasks.values() if t.status == TaskStatus.FAILED]
        if not failed:
            self._finish(WorkflowStatus.COMPLETED, None)
            return
        skipped = sorted(t.task_id for t in self.tasks.values() if t.status == TaskStatus.SKIPPED)
        reason = "; ".join(f"task {t.task_id} ({t.agent}) failed: {t.error}" for t in failed)
        if skipped:
            reason += f". Skipped: {', '.join(skipped)}"
        self._finish(WorkflowStatus.FAILED, reason)

    def _finish(self, status: WorkflowStatus, reason: str | None) -> None:
        links = collect_links(self.tasks)
        self._set_workflow(status=status, reason=reason, completed_at=self.now, links=links)
        duration = (self.now - self.workflow.created_at).total_seconds()
        if status == WorkflowStatus.COMPLETED:
            service = service_of(self.workflow.parameters) or self.workflow.workflow_id
            summary = f"{service} is deployed and verified"
            self.out.events.append(
                WorkflowCompleted(
                    workflow_id=self.workflow.workflow_id,
                    summary=summary,
                    links=links,
                    duration_seconds=duration,
                )
            )
        else:
            by_status = {
                s: sorted(t.task_id for t in self.tasks.values() if t.status == s) for s in TaskStatus
            }
            self.out.events.append(
                WorkflowFailed(
                    workflow_id=self.workflow.workflow_id,
                    reason=reason or "failed",
                    failed_tasks=tuple(by_status[TaskStatus.FAILED] + by_status[TaskStatus.CANCELLED]),
                    skipped_tasks=tuple(by_status[TaskStatus.SKIPPED]),
                    duration_seconds=duration,
                )
            )


def upstream_outputs(tasks: dict[str, TaskRecord], task_id: str) -> dict[str, dict[str, Any]]:
    """The outputs of every task ``task_id`` depends on, directly or not (``TaskCreated.upstream``)."""
    found: set[str] = set()
    frontier = set(tasks[task_id].depends_on)
    while frontier:
        found |= frontier
        frontier = {d for t in frontier for d in tasks[t].depends_on} - found
    return {dep: tasks[dep].outputs for dep in sorted(found)}


def needs_approval(template: Template, task: TaskRecord, parameters: dict[str, Any]) -> bool:
    """A deploying task always gets its environment's row (fail closed: an environment the table does
    not declare counts as needing a person); other tasks only what their template config adds."""
    config = next((t.config for t in template.tasks if t.id == task.task_id), {})
    environment = str(parameters.get("environment", ""))
    try:
        return task_approval(task.agent, config, environment).required
    except UnknownEnvironmentError:
        return True


def collect_links(tasks: dict[str, TaskRecord]) -> dict[str, str]:
    """Links people want in the notification: repository, commit, deployed URL."""
    links: dict[str, str] = {}
    for task in tasks.values():
        for name, key in (("repository", "repo_url"), ("commit", "commit"), ("service", "url")):
            value = task.outputs.get(key)
            if isinstance(value, str) and value:
                links[name] = value
    return links
