"""The tier of an action, decided by policy data (environment and blast radius), never by the model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from agentic_remediation.logic.catalogue import CatalogueError, package_dir, validate_document
from agentic_remediation.logic.playbook_models import BlastRadius

Tier = Literal["automated", "assisted", "advisory"]
TIER_ORDER: dict[str, int] = {"automated": 0, "assisted": 1, "advisory": 2}


@dataclass(frozen=True)
class TierPolicy:
    version: int
    environments: dict[str, dict[str, Tier]]
    default: dict[str, Tier]

    @property
    def ref(self) -> str:
        return f"tier-policy@v{self.version}"

    def tier_for(self, environment: str, blast_radius: BlastRadius) -> Tier:
        row = self.environments.get(environment, self.default)
        return row[blast_radius]


def tier_policy_from(document: Any, source: str) -> TierPolicy:
    validate_document(document, "tiers.schema.json", source)
    return TierPolicy(
        version=document["version"], environments=document["environments"], default=document["default"]
    )


def load_tier_policy(path: Path | None = None) -> TierPolicy:
    path = path or package_dir("policy") / "tiers.yaml"
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path.name}: not valid YAML: {exc}") from exc
    return tier_policy_from(document, path.name)
