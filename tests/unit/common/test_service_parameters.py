"""The service parameter schema is declared once and taken by name (``x-properties-from``)."""

from __future__ import annotations

import pytest
from agentic_common.parameters import (
    SHARED_KEY,
    UnknownParametersSourceError,
    service_parameters,
    with_shared_properties,
)
from jsonschema import Draft202012Validator


def test_a_schema_naming_the_shared_parameters_gets_their_properties_and_keeps_its_own_rules() -> None:
    # Given a template's schema that names the shared parameters and requires its own fields
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["serviceName"],
        SHARED_KEY: "service-parameters",
    }

    # When it is expanded
    expanded = with_shared_properties(schema)

    # Then it holds the shared properties, its own rules, and no extension key
    assert expanded["properties"] == service_parameters()["properties"]
    assert (expanded["required"], expanded["additionalProperties"]) == (["serviceName"], False)
    assert SHARED_KEY not in expanded
    Draft202012Validator.check_schema(expanded)


def test_a_schema_naming_an_unknown_source_is_refused_with_the_known_ones() -> None:
    with pytest.raises(
        UnknownParametersSourceError, match=r"'services' is not one of \['service-parameters'\]"
    ):
        with_shared_properties({SHARED_KEY: "services"})


def test_callers_get_a_copy_they_may_narrow() -> None:
    # Given a caller that narrows the language choices of its copy
    service_parameters()["properties"]["language"]["enum"] = ["go"]

    # Then the declaration is unchanged for the next caller
    assert service_parameters()["properties"]["language"]["enum"] == ["python", "node", "go"]
