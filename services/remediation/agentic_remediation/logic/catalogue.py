"""Load the playbooks (YAML) and the tier policy, validating each against its JSON Schema.

A broken file stops the service at start-up with a message naming the file, the field and the problem.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from agentic_remediation.logic.playbook_models import Playbook

PACKAGE = "agentic_remediation"


class CatalogueError(ValueError):
    """A playbook or policy file is invalid; the message names the file and the field."""


def package_dir(name: str) -> Path:
    return Path(str(resources.files(PACKAGE).joinpath(name)))


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((package_dir("policy") / name).read_text(encoding="utf-8"))
    return loaded


def validate_document(document: Any, schema_name: str, source: str) -> None:
    validator = jsonschema.Draft202012Validator(schema(schema_name))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(part) for part in first.absolute_path) or "(document)"
        raise CatalogueError(f"{source}: {where}: {first.message}")


def _check_consistency(playbook: Playbook, source: str) -> None:
    for index, action in enumerate(playbook.actions):
        unknown = sorted(set(action.uses) - set(playbook.parameters))
        if unknown:
            raise CatalogueError(f"{source}: actions/{index}/uses: unknown parameter(s) {', '.join(unknown)}")
    try:
        jsonschema.validate(playbook.defaults(), playbook.parameters_schema())
    except jsonschema.ValidationError as exc:
        problem = f"{source}: parameters: a default does not fit its own spec: {exc.message}"
        raise CatalogueError(problem) from exc


def parse_playbook(text: str, source: str) -> Playbook:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{source}: not valid YAML: {exc}") from exc
    validate_document(document, "playbook.schema.json", source)
    playbook = Playbook.model_validate(document)
    _check_consistency(playbook, source)
    return playbook


@dataclass(frozen=True)
class Catalogue:
    playbooks: tuple[Playbook, ...]

    def get(self, playbook_id: str) -> Playbook | None:
        return next((p for p in self.playbooks if p.id == playbook_id), None)

    def for_event(self, detail_type: str) -> tuple[Playbook, ...]:
        return tuple(p for p in self.playbooks if p.trigger.event == detail_type)


def catalogue_from(files: Iterable[Path]) -> Catalogue:
    playbooks = [parse_playbook(path.read_text(encoding="utf-8"), path.name) for path in sorted(files)]
    seen: set[str] = set()
    for playbook in playbooks:
        if playbook.id in seen:
            raise CatalogueError(f"playbook id {playbook.id!r} is defined twice")
        seen.add(playbook.id)
    return Catalogue(tuple(playbooks))


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """The playbooks shipped with the service (or those in ``directory``)."""
    return catalogue_from((directory or package_dir("playbooks")).glob("*.yaml"))
