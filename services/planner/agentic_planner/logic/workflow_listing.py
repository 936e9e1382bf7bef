"""``GET /workflows``: one status, newest first, optionally narrowed to a template, a service, a requester.

The store pages by status; the other filters are applied to its pages. A page of the answer never
skips a match: when a store page holds more matches than the answer still needs, the store is asked
again for exactly the items up to the last one needed, so the cursor resumes right after it. At most
``MAX_PAGES`` store pages are read per request; then the answer may hold fewer than ``limit`` items
and a cursor to continue from.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentic_common.state import WorkflowPage, WorkflowRecord, WorkflowStatus
from agentic_common.state.port import StateStore

from agentic_planner.logic.service_names import service_of

MAX_PAGES = 10


@dataclass(frozen=True)
class WorkflowFilter:
    template: str | None = None
    service: str | None = None  # the ``serviceName`` (new service) or ``service`` (deploy) parameter
    requester: str | None = None  # who the workflow was requested by

    @property
    def narrows(self) -> bool:
        return any((self.template, self.service, self.requester))

    def matches(self, workflow: WorkflowRecord) -> bool:
        service = service_of(workflow.parameters)
        return (
            (self.template is None or workflow.template == self.template)
            and (self.service is None or service == self.service)
            and (self.requester is None or workflow.requested_by == self.requester)
        )


def list_workflows(
    store: StateStore, status: WorkflowStatus, limit: int, cursor: str | None, where: WorkflowFilter
) -> WorkflowPage:
    """Raises ``ValueError`` for a cursor the store did not issue for ``status``."""
    if not where.narrows:
        return store.list_workflows(status, limit, cursor)
    found: list[WorkflowRecord] = []
    for _ in range(MAX_PAGES):
        page = store.list_workflows(status, limit, cursor)
        matches = [w for w in page.workflows if where.matches(w)]
        needed = limit - len(found)
        if len(matches) > needed:
            upto = page.workflows.index(matches[needed - 1]) + 1
            exact = store.list_workflows(status, upto, cursor)
            found.extend(w for w in exact.workflows if where.matches(w))
            return WorkflowPage(workflows=tuple(found[:limit]), next_cursor=exact.next_cursor)
        found.extend(matches)
        cursor = page.next_cursor
        if cursor is None or len(found) == limit:
            break
    return WorkflowPage(workflows=tuple(found), next_cursor=cursor)
