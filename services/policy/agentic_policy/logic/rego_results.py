"""The shape of one Rego ``deny`` result, checked on the way out of the interpreter."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from agentic_policy.logic.rego_text import from_rego


class BundleError(RuntimeError):
    """The bundle does not compile or its output is not the expected shape."""


class RegoResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    severity: str
    category: str
    description: str
    remediation: str
    message: str
    file: str | None = None
    line: int | None = None
    resource: str | None = None


def parse_results(packages: dict[str, Any]) -> list[RegoResult]:
    """``packages`` maps a package name to its ``deny`` set (a list in JSON)."""
    results: list[RegoResult] = []
    for name, denied in sorted(packages.items()):
        if not isinstance(denied, list):
            raise BundleError(f"package agentic.{name} has no deny set (got {type(denied).__name__})")
        for raw in denied:
            try:
                result = RegoResult.model_validate(raw)
            except ValidationError as exc:
                raise BundleError(f"package agentic.{name} returned a malformed result: {exc}") from exc
            restored = {k: from_rego(getattr(result, k)) for k in ("message", "file", "resource")}
            results.append(result.model_copy(update=restored))
    return results
