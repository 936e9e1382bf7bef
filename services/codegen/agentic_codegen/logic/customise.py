"""Optional Claude customisation: extra resources (models + CRUD endpoints) from a free-text description.

The model only proposes. Its tool input is validated against ``PROPOSAL_SCHEMA`` (names, field types,
limits), then merged with the task's resources and parsed again through the catalogue's parameter
schema, so only validated resources reach the templates (the ``resources`` context variable). Without
a proposer (no ``ANTHROPIC_API_KEY``) the step is skipped and the report says so.
"""

from __future__ import annotations

from typing import Any

from agentic_common.agent import TaskError
from agentic_common.events.codegen import CustomisationReport
from jsonschema import Draft202012Validator

from agentic_codegen.logic.parameters import ServiceParameters, parse_parameters
from agentic_codegen.ports import ProposerError, ResourceProposer

PARAMETER = "customisation"
MAX_TEXT = 2000
NAME = "^[a-z][a-z0-9_]{1,30}$"
PROPOSAL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["resources"],
    "properties": {
        "resources": {
            "type": "array",
            "minItems": 1,
            "maxItems": 5,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "fields"],
                "properties": {
                    "name": {"type": "string", "pattern": NAME, "description": "singular, snake_case"},
                    "plural": {"type": "string", "pattern": "^[a-z][a-z0-9_]{1,31}$"},
                    "fields": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 20,
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["name", "type"],
                            "properties": {
                                "name": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,30}$"},
                                "type": {"enum": ["string", "integer", "number", "boolean"]},
                                "required": {"type": "boolean"},
                            },
                        },
                    },
                },
            },
        },
        "rationale": {"type": "string", "maxLength": 1000},
    },
}


def proposal_problems(proposal: object) -> list[str]:
    problems = []
    for error in Draft202012Validator(PROPOSAL_SCHEMA).iter_errors(proposal):
        where = ".".join(map(str, error.absolute_path)) or "proposal"
        short = (
            error.message
            if len(error.message) <= 160
            else f"fails {error.validator} {error.validator_value!r}"
        )
        problems.append(f"{where}: {short}")
    return problems[:10]


def _rejected(reason: str) -> CustomisationReport:
    return CustomisationReport(status="rejected", reason=f"Claude's proposal was rejected: {reason}")


def customise(
    raw: dict[str, Any], params: ServiceParameters, proposer: ResourceProposer | None
) -> tuple[ServiceParameters, CustomisationReport | None]:
    """``params`` with the validated extra resources, and a report (None when none was asked for).

    Proposed resources are added to the task's own ``resources``; when the task gave none they replace
    the placeholder default resource."""
    text = raw.get(PARAMETER)
    if text is None or text == "":
        return params, None
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise TaskError(f"{PARAMETER}: must be text of at most {MAX_TEXT} characters", retryable=False)
    if proposer is None:
        reason = "ANTHROPIC_API_KEY is not set, so the Claude customisation step was skipped"
        return params, CustomisationReport(status="skipped", reason=reason)
    existing = list(raw.get("resources") or [])  # the task's own; the default `item` is a placeholder
    try:
        proposal = proposer.propose(text, existing)
    except ProposerError as exc:
        raise TaskError(f"asking Claude for a customisation failed: {exc}", retryable=exc.retryable) from exc
    problems = proposal_problems(proposal)
    if problems:
        return params, _rejected("; ".join(problems))
    proposed = [{k: v for k, v in r.items()} for r in proposal["resources"]]  # type: ignore[index]
    clashes = sorted({r["name"] for r in proposed} & {r["name"] for r in existing})
    if clashes:
        return params, _rejected(f"resources {clashes} already exist")
    try:
        customised = parse_parameters({**raw, "resources": existing + proposed})
    except TaskError as exc:
        return params, _rejected(str(exc))
    names = [r["name"] for r in proposed]
    reason = f"Claude proposed {len(names)} resource(s); validated and rendered"
    return customised, CustomisationReport(status="applied", reason=reason, resources=names)
