"""A service name belongs to one service: its language and pattern are fixed when it is created.

Creating a service whose name is held by one of another language or pattern is refused, naming the
one that holds it; the same request again (same language and pattern) is the idempotent path (it
opens a merge request, as before). A template marked ``names_service: reassign`` (the upgrade) or an
explicit ``replace: true`` in the request moves the name to the new language and pattern. The name is
recorded with a conditional write, so of two concurrent creations with different languages one wins.
"""

from __future__ import annotations

import re
from typing import Any

from agentic_common.state import ConflictError

from agentic_planner.logic.catalogue_models import Template
from agentic_planner.ports import ServiceClaim, ServiceNames

ATTEMPTS = 4
NOT_IN_A_GROUP_ID = re.compile(r"[^!-~]")  # an SQS FIFO message group id is printable ASCII, no space


def service_of(parameters: dict[str, Any]) -> str | None:
    """The service a workflow's parameters name: ``serviceName`` (the templates that make or change a
    service) or ``service`` (a deploy)."""
    name = parameters.get("serviceName") or parameters.get("service")
    return str(name) if name else None


def order_key(parameters: dict[str, Any], workflow_id: str) -> str:
    """``TaskCreated.order_key``: the service's name, so the tasks that change one service run one at a
    time and in order where the agent's queue is ordered (codegen's); the workflow id when no service is
    named. Fitted to what a FIFO message group id allows (one name always gives the same key)."""
    name = service_of(parameters)
    return NOT_IN_A_GROUP_ID.sub("_", name)[:128] if name else workflow_id


class ServiceNameTakenError(LookupError):
    def __init__(self, held: ServiceClaim) -> None:
        super().__init__(
            f"service {held.name!r} already exists as a {held.language} {held.pattern} service "
            f"(workflow {held.workflow_id}); choose another serviceName, run the 'service-upgrade' "
            'template, or send "replace": true to change its language or pattern'
        )
        self.held = held


def keep_name(
    names: ServiceNames | None,
    template: Template,
    parameters: dict[str, Any],
    workflow_id: str,
    *,
    replace: bool = False,
) -> None:
    """Record that ``parameters['serviceName']`` is this service, or raise ``ServiceNameTakenError``."""
    if names is None or template.names_service is None or "serviceName" not in parameters:
        return
    wanted = ServiceClaim(
        name=str(parameters["serviceName"]),
        language=str(parameters.get("language", "")),
        pattern=str(parameters.get("pattern", "")),
        workflow_id=workflow_id,
    )
    held: ServiceClaim | None = None  # first as if free: most names are new, and a refusal says who holds it
    for _ in range(ATTEMPTS):
        if held is not None and (held.language, held.pattern) == (wanted.language, wanted.pattern):
            return
        if held is not None and template.names_service == "claim" and not replace:
            raise ServiceNameTakenError(held)
        written, held = names.put(wanted, held)
        if written:
            return
    raise ConflictError(f"service name {wanted.name!r} changed concurrently {ATTEMPTS} times; retry")
