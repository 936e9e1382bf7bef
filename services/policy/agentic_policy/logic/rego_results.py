"""The shape of one Rego ``deny`` result, checked on the way out of the interpreter."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError


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
    results: list[RegoResult] = []
    for name, package in sorted(packages.items()):
        if not isinstance(package, dict):
            continue
        for raw in package.get("deny", []):
            try:
                results.append(RegoResult.model_validate(raw))
            except ValidationError as exc:
                raise BundleError(f"package agentic.{name} returned a malformed result: {exc}") from exc
    return results
