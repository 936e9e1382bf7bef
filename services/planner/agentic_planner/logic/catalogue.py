"""The template catalogue: data files validated at load, parameters validated with JSON Schema.

``jsonschema`` is imported by the first validation of parameters (a POST that names a template), not
with the catalogue: listing, reading and advancing workflows, which every entry point does, never needs
it. Each template's schema is checked against the metaschema before its first use, and by the tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from agentic_common.parameters import with_shared_properties

from agentic_planner.logic.catalogue_models import Template

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator


@dataclass(frozen=True)
class FieldProblem:
    field: str
    problem: str


class UnknownTemplateError(LookupError):
    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"unknown template {name!r}; known templates: {', '.join(known)}")
        self.name = name
        self.known = known


class InvalidParametersError(ValueError):
    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.problem}" for p in problems))
        self.problems = problems


def _field_of(error: ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return f"parameters.{missing}"
    if error.validator == "additionalProperties":
        return "parameters"
    return f"parameters.{path}" if path else "parameters"


def _problem_of(error: ValidationError) -> str:
    if error.validator == "pattern":
        hint = error.schema.get("description", f"must match {error.validator_value}")
        return f"{error.instance!r} is not valid: {hint}"
    if error.validator == "required":
        return "is required"
    return str(error.message)


def canonical(schema: dict[str, Any], parameters: dict[str, Any]) -> dict[str, Any]:
    """``parameters`` with every aliased value (``x-aliases`` of its property) made canonical."""
    result = dict(parameters)
    for name, prop in schema.get("properties", {}).items():
        aliases = prop.get("x-aliases") or {}
        value = result.get(name)
        if isinstance(value, str) and value in aliases:
            result[name] = aliases[value]
    return result


class Catalogue:
    def __init__(self, templates: dict[str, Template]) -> None:
        self._templates = templates
        self._validators: dict[str, Validator] = {}

    @classmethod
    def load(cls) -> Catalogue:
        folder = resources.files("agentic_planner") / "catalogue" / "templates"
        templates = {}
        for entry in folder.iterdir():
            if entry.name.endswith(".json"):
                raw = json.loads(entry.read_text())
                raw["parameters"] = with_shared_properties(raw["parameters"])
                template = Template.model_validate(raw)
                templates[template.name] = template
        return cls(templates)

    @property
    def names(self) -> list[str]:
        return sorted(self._templates)

    def get(self, name: str) -> Template:
        if name not in self._templates:
            raise UnknownTemplateError(name, self.names)
        return self._templates[name]

    def validator(self, name: str) -> Validator:
        """The template's JSON Schema validator, its schema checked first (built on first use)."""
        if name not in self._validators:
            from jsonschema import Draft202012Validator  # noqa: PLC0415 - see the module doc

            schema = self.get(name).parameters
            Draft202012Validator.check_schema(schema)
            self._validators[name] = Draft202012Validator(schema)
        return self._validators[name]

    def validate(self, name: str, parameters: dict[str, Any]) -> dict[str, Any]:
        """Validated parameters with schema defaults filled in, or InvalidParametersError.

        A value a property lists under ``x-aliases`` (``nodejs`` for ``node``) is replaced by its
        canonical value first, so only canonical values are validated, stored and sent on.
        """
        template = self.get(name)
        parameters = canonical(template.parameters, parameters)
        errors = sorted(self.validator(name).iter_errors(parameters), key=lambda e: list(e.absolute_path))
        if errors:
            raise InvalidParametersError([FieldProblem(_field_of(e), _problem_of(e)) for e in errors])
        defaults = {
            k: v["default"] for k, v in template.parameters.get("properties", {}).items() if "default" in v
        }
        return defaults | parameters
