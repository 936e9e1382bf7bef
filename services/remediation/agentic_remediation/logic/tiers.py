"""The tier of an action, decided by policy data (environment and blast radius), never by the model.

The tier table is held to the one environment table (``agentic_common.environments``): it has a row for
exactly the environments that table declares, and in an environment whose row requires an approval
nothing is automated (every action there, restart included, is assisted or advisory). A table that
breaks either rule stops the worker at start, naming the environment and the cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from agentic_common.environments import RulesTable, load_rules

from agentic_remediation.logic.catalogue import CatalogueError, package_dir, validate_document
from agentic_remediation.logic.playbook_models import BlastRadius

Tier = Literal["automated", "assisted", "advisory"]
TIER_ORDER: dict[str, int] = {"automated": 0, "assisted": 1, "advisory": 2}


@dataclass(frozen=True)
class TierPolicy:
    version: int
    environments: dict[str, dict[str, Tier]]

    @property
    def ref(self) -> str:
        return f"tier-policy@v{self.version}"

    def tier_for(self, environment: str, blast_radius: BlastRadius) -> Tier | None:
        """None for an environment the environment table does not declare: nothing may act there."""
        row = self.environments.get(environment)
        return None if row is None else row[blast_radius]


def consistency_problems(environments: dict[str, dict[str, Tier]], rules: RulesTable) -> list[str]:
    """Every way the tier rows disagree with the environment table (empty: they agree)."""
    problems = [
        f"environment {name!r} of the environment table has no tier row"
        for name in rules.names
        if name not in environments
    ]
    problems += [
        f"tier row {name!r} names an environment the environment table does not declare"
        for name in environments
        if name not in rules.names
    ]
    for name, row in environments.items():
        if name in rules.names and rules.for_environment(name).approval.required:
            problems += [
                f"{name}/{blast}: automated, but {name} requires an approval: make it assisted or advisory"
                for blast, tier in row.items()
                if tier == "automated"
            ]
    return problems


def tier_policy_from(document: Any, source: str, rules: RulesTable | None = None) -> TierPolicy:
    validate_document(document, "tiers.schema.json", source)
    problems = consistency_problems(document["environments"], rules or load_rules())
    if problems:
        raise CatalogueError(f"{source}: " + "; ".join(problems))
    return TierPolicy(version=document["version"], environments=document["environments"])


def load_tier_policy(path: Path | None = None) -> TierPolicy:
    path = path or package_dir("policy") / "tiers.yaml"
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path.name}: not valid YAML: {exc}") from exc
    return tier_policy_from(document, path.name)
