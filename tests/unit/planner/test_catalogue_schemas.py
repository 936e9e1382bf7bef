"""Template parameter schemas are checked against the metaschema on first use (jsonschema is imported
by the first validation, not at load): every shipped one passes, a broken one fails loudly."""

from __future__ import annotations

import pytest
from agentic_planner.logic.catalogue import Catalogue
from agentic_planner.logic.catalogue_models import Template
from jsonschema.exceptions import SchemaError


def test_every_catalogue_template_has_a_valid_parameter_schema() -> None:
    # Given the shipped catalogue
    catalogue = Catalogue.load()
    # When each template's validator is built / Then none raises, each over its template's schema
    for name in catalogue.names:
        assert catalogue.validator(name).schema == catalogue.get(name).parameters


def test_a_template_with_a_broken_schema_fails_its_first_validation() -> None:
    # Given a template whose schema names a type JSON Schema does not have
    broken = Template.model_validate(
        {
            "name": "broken",
            "version": "1",
            "title": "t",
            "description": "d",
            "parameters": {"type": "object", "properties": {"n": {"type": "no-such-type"}}},
            "tasks": [{"id": "a", "agent": "codegen", "action": "generate"}],
        }
    )
    # When parameters are validated against it / Then the schema error is raised, not swallowed
    with pytest.raises(SchemaError):
        Catalogue({"broken": broken}).validate("broken", {"n": 1})
