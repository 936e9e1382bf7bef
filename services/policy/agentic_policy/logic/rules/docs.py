"""Documentation and catalogue rules: a README, and a Backstage catalog-info.yaml with name and owner."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from agentic_policy.logic.repo import Repo
from agentic_policy.logic.rules.base import Finding, Rule

CATALOG_FILE = "catalog-info.yaml"
KINDS_WITHOUT_OWNER = frozenset({"location"})


def _missing_readme(repo: Repo) -> Iterator[Finding]:
    if repo.root_file("README.md") is None:
        yield Finding("the repository has no README.md at its root")


def _catalog_problems(repo: Repo) -> Iterator[Finding]:
    """One finding for the file (its violation id is per rule, file and line), naming every problem."""
    if not repo.has(CATALOG_FILE):
        yield Finding(f"the repository has no {CATALOG_FILE} at its root")
        return
    try:
        documents = [doc for doc in yaml.safe_load_all(repo.text(CATALOG_FILE)) if doc is not None]
    except yaml.YAMLError as exc:
        mark = exc.problem_mark if isinstance(exc, yaml.MarkedYAMLError) else None
        yield Finding(f"{CATALOG_FILE} is not valid YAML", CATALOG_FILE, mark.line + 1 if mark else None)
        return
    problems = [
        problem for index, doc in enumerate(documents, start=1) for problem in _entity_problems(doc, index)
    ]
    if not documents:
        problems.append(f"{CATALOG_FILE} holds no catalog entity")
    if problems:
        yield Finding("; ".join(problems), CATALOG_FILE)


def _entity_problems(document: Any, index: int) -> list[str]:
    where = f"entity {index}"
    if not isinstance(document, dict):
        return [f"{where} is not a mapping"]
    problems = []
    if not _field(document, "metadata", "name"):
        problems.append(f"{where} has no metadata.name")
    needs_owner = str(document.get("kind", "")).lower() not in KINDS_WITHOUT_OWNER
    if needs_owner and not _field(document, "spec", "owner"):
        problems.append(f"{where} has no spec.owner")
    return problems


def _field(document: dict[str, Any], section: str, key: str) -> bool:
    value = document.get(section)
    return isinstance(value, dict) and isinstance(value.get(key), str) and bool(value[key].strip())


README_PRESENT = Rule(
    id="DOC-001",
    name="readme-present",
    severity="low",
    category="documentation",
    description="The repository has a README.md at its root.",
    remediation="add a README.md saying what the service does, how to run it locally and who owns it",
    check=_missing_readme,
)

CATALOG_ENTITY_VALID = Rule(
    id="CAT-001",
    name="catalog-info-valid",
    severity="medium",
    category="catalog",
    description="catalog-info.yaml exists at the root and every entity has metadata.name and spec.owner.",
    remediation="add catalog-info.yaml with 'metadata: {name: <service>}' and 'spec: {owner: <team>}'",
    check=_catalog_problems,
)

RULES = (README_PRESENT, CATALOG_ENTITY_VALID)
