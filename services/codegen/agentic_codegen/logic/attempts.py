"""Only the current attempt of a codegen task may change anything outside (artifact, push, MR).

The shared task agent (``agentic_common.agent``) checks the attempt when the message arrives; codegen
asks again just before its first side effect (the planner may have timed the attempt out while it
rendered). A stale attempt is dropped: logged and acknowledged, no result event, no dead letter.
A task the planner never created is refused: dead-lettered at once with the reason.
"""

from __future__ import annotations

from agentic_common.agent import StaleAttemptError, UnknownTaskError, ensure_current

__all__ = ["StaleAttemptError", "UnknownTaskError", "ensure_current"]
