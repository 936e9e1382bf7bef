"""``GET /workflows?status=a,b`` (or ``status=any``): several statuses in one answer, newest first.

The store pages one status at a time, so each status is read (a page of up to ``limit``), side by side
(one thread each: the store's client is thread-safe, so the call costs about one status's read); the
pages are merged newest first and the first ``limit`` items are the answer. The cursor is a composite:
for each status that may still hold items, the store cursor right after the last item of it that was
answered (re-read with exactly that many items, as ``workflow_listing`` does, so nothing is skipped).
A status whose items were all answered and whose store page ended is left out of the cursor: it is done.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from agentic_common.state import WorkflowPage, WorkflowRecord, WorkflowStatus

ANY = "any"
PREFIX = "m."  # a composite cursor; a store cursor never starts with it (base64 has no '.')
NOT_STARTED = ""  # in a composite cursor: this status is read from its start

ReadPage = Callable[[WorkflowStatus, int, str | None], WorkflowPage]


class InvalidStatusError(ValueError):
    """The ``status`` query is not ``any`` or a comma-separated list of known statuses."""


def parse_statuses(text: str) -> tuple[WorkflowStatus, ...]:
    """``any`` → every status; ``a,b`` → those (in the order given, once each); else the problem."""
    if text == ANY:
        return tuple(WorkflowStatus)
    known = {s.value: s for s in WorkflowStatus}
    chosen: list[WorkflowStatus] = []
    for part in text.split(","):
        if part not in known:
            allowed = ", ".join(known)
            raise InvalidStatusError(
                f"{part!r} is not a status; use 'any' or a comma-separated list of {allowed}"
            )
        if known[part] not in chosen:
            chosen.append(known[part])
    return tuple(chosen)


def list_statuses(
    read: ReadPage, statuses: tuple[WorkflowStatus, ...], limit: int, cursor: str | None
) -> WorkflowPage:
    """Raises ``ValueError`` for a cursor this listing did not hand out for these statuses."""
    starts = _decode(cursor, statuses) if cursor else dict.fromkeys(statuses, NOT_STARTED)
    with ThreadPoolExecutor(max_workers=len(starts), thread_name_prefix="list-status") as pool:
        pages = dict(zip(starts, pool.map(lambda s: read(s, limit, starts[s] or None), starts), strict=True))
    merged = sorted(
        ((w, status) for status, page in pages.items() for w in page.workflows),
        key=lambda pair: (pair[0].created_at, pair[0].workflow_id),
        reverse=True,
    )[:limit]
    taken = {status: sum(1 for _, s in merged if s == status) for status in pages}
    remaining: dict[WorkflowStatus, str] = {}
    for status, page in pages.items():
        count, start = taken[status], starts[status]
        if count == 0:
            if page.workflows:
                remaining[status] = start
        elif count < len(page.workflows):
            exact = read(status, count, start or None).next_cursor  # rare: only on a page that is cut
            if exact is not None:
                remaining[status] = exact
        elif page.next_cursor is not None:
            remaining[status] = page.next_cursor
    workflows: tuple[WorkflowRecord, ...] = tuple(w for w, _ in merged)
    return WorkflowPage(workflows=workflows, next_cursor=_encode(remaining) if remaining else None)


def _encode(remaining: dict[WorkflowStatus, str]) -> str:
    raw = json.dumps({status.value: start for status, start in remaining.items()})
    return PREFIX + base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(cursor: str, statuses: tuple[WorkflowStatus, ...]) -> dict[WorkflowStatus, str]:
    if not cursor.startswith(PREFIX):
        raise ValueError("the cursor is not one of a several-status listing")
    try:
        value: object = json.loads(base64.urlsafe_b64decode(cursor[len(PREFIX) :].encode("ascii", "strict")))
    except (binascii.Error, UnicodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError("the cursor is not base64 JSON") from exc
    names = {s.value: s for s in statuses}
    if not isinstance(value, dict) or not value or not set(value) <= set(names):
        raise ValueError("the cursor belongs to other statuses")
    if not all(isinstance(start, str) for start in value.values()):
        raise ValueError("the cursor's positions are not strings")
    return {names[name]: start for name, start in value.items()}
