"""The codegen catalogue: one data file per language entry, each with its parameters as JSON Schema.

``catalogue/<id>.yaml`` declares id, version, language, framework, patterns, databases, strategies, image
defaults and how the local target installs and starts the service. The JSON Schema every entry shares
is the service's parameters, declared once in ``agentic_common`` (``service_parameters.yaml``, read by
the planner too); an entry narrows ``language`` and sets the ``baseImage`` default.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from agentic_common.parameters import service_parameters
from jsonschema import Draft202012Validator


@dataclass(frozen=True)
class CatalogueEntry:
    id: str
    version: str
    title: str
    description: str
    language: str
    framework: str
    patterns: tuple[str, ...]
    databases: tuple[str, ...]
    strategies: tuple[str, ...]
    base_image: str
    build_image: str | None
    install: tuple[str, ...]
    start: tuple[str, ...]
    parameters: dict[str, Any]

    def combinations(self) -> list[tuple[str, str, str]]:
        """Every (language, database, pattern) this entry renders."""
        return [(self.language, db, pattern) for db in self.databases for pattern in self.patterns]


def _read_yaml(name: str) -> dict[str, Any]:
    text = (resources.files("agentic_codegen") / "catalogue" / name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"catalogue file {name} is not a mapping")
    return data


def _entry_schema(base: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    schema = copy.deepcopy(base)
    props = schema["properties"]
    props["language"] = {**props["language"], "enum": [raw["language"]], "default": raw["language"]}
    props["database"] = {**props["database"], "enum": list(raw["databases"])}
    props["pattern"] = {**props["pattern"], "enum": list(raw["patterns"])}
    props["strategy"] = {**props["strategy"], "enum": list(raw["strategies"])}
    props["baseImage"] = {**props["baseImage"], "default": raw["base_image"]}
    Draft202012Validator.check_schema(schema)
    return schema


def _entry(base: dict[str, Any], raw: dict[str, Any]) -> CatalogueEntry:
    service = raw["service"]
    return CatalogueEntry(
        id=raw["id"],
        version=str(raw["version"]),
        title=raw["title"],
        description=raw["description"],
        language=raw["language"],
        framework=raw["framework"],
        patterns=tuple(raw["patterns"]),
        databases=tuple(raw["databases"]),
        strategies=tuple(raw["strategies"]),
        base_image=raw["base_image"],
        build_image=raw.get("build_image"),
        install=tuple(service["install"]),
        start=tuple(service["start"]),
        parameters=_entry_schema(base, raw),
    )


@cache
def load_catalogue() -> dict[str, CatalogueEntry]:
    """Entries by language (one entry per language), read once from the packaged data files."""
    base = service_parameters()
    folder = resources.files("agentic_codegen") / "catalogue"
    names = sorted(
        e.name for e in folder.iterdir() if e.name.endswith(".yaml") and not e.name.startswith("_")
    )
    entries = [_entry(base, _read_yaml(name)) for name in names]
    by_language = {entry.language: entry for entry in entries}
    if len(by_language) != len(entries):
        raise ValueError("the codegen catalogue has two entries for one language")
    return by_language


def entry_for(language: str) -> CatalogueEntry:
    catalogue = load_catalogue()
    if language not in catalogue:
        raise KeyError(f"no catalogue entry for language {language!r}; known: {', '.join(sorted(catalogue))}")
    return catalogue[language]


def request_schema() -> dict[str, Any]:
    """The schema an API request for a codegen workflow follows: every entry's choices together."""
    entries = list(load_catalogue().values())
    schema = service_parameters()
    props = schema["properties"]
    props["language"]["enum"] = [e.language for e in sorted(entries, key=_language_rank)]
    return schema


def _language_rank(entry: CatalogueEntry) -> int:
    order = ("python", "node", "go")
    return order.index(entry.language) if entry.language in order else len(order)


def all_combinations() -> list[tuple[str, str, str]]:
    """(language, database, pattern) for every combination the catalogue offers, in a stable order."""
    entries = sorted(load_catalogue().values(), key=_language_rank)
    return [combo for entry in entries for combo in entry.combinations()]
