"""A service name belongs to one service: its language and pattern are fixed when it is created.

Creating a service whose name is held by one of another language or pattern is refused, naming the
one that holds it; the same request again (same language and pattern) is the idempotent path (it
opens a merge request, as before). A template marked ``names_service: reassign`` (the upgrade) or an
explicit ``replace: true`` in the request moves the name to the new language and pattern. The name is
recorded with a conditional write, so of two concurrent creations with different languages one wins.
"""

from __future__ import annotations

from typing import Any

from agentic_common.state import ConflictError

from agentic_planner.logic.catalogue_models import Template
from agentic_planner.ports import ServiceClaim, ServiceNames

ATTEMPTS = 4


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
