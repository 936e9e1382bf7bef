"""The combinations the gate covers and where each one is rendered."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from agentic_codegen.logic.catalogue import all_combinations
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer

STRATEGIES = ("rolling", "canary", "blue-green")
ENVIRONMENTS = ("dev", "staging", "prod")


@dataclass(frozen=True)
class Combination:
    language: str
    database: str
    pattern: str
    strategy: str
    event_source: str

    @property
    def id(self) -> str:
        return f"{self.language}-{self.database}-{self.pattern}"

    def parameters(self) -> dict[str, str]:
        return {
            "serviceName": f"gate-{self.database}-{self.pattern}",
            "language": self.language,
            "database": self.database,
            "pattern": self.pattern,
            "strategy": self.strategy,
            "eventSource": self.event_source,
            "environment": "staging",
            "owner": "team-gate",
        }


def combinations() -> list[Combination]:
    """Every (language, database, pattern) the catalogue offers; strategies and event sources rotate so each
    language exercises all three strategies and both event sources."""
    result = []
    for index, (language, database, pattern) in enumerate(all_combinations()):
        result.append(
            Combination(
                language,
                database,
                pattern,
                STRATEGIES[index % len(STRATEGIES)],
                "eventbridge" if index % 4 == 3 else "sqs",
            )
        )
    return result


def render_to(combination: Combination, target: Path, renderer: TemplateRenderer | None = None) -> Path:
    """Render the combination into ``target`` (created) and return it."""
    files = (renderer or TemplateRenderer()).render(parse_parameters(combination.parameters()))
    for relative, content in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return target
