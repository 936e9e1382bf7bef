"""Codegen re-checks its parameters with the catalogue's JSON Schema: invalid ones fail for good."""

from __future__ import annotations

import pytest
from agentic_codegen.logic.parameters import parse_parameters
from agentic_common.agent import TaskError


def test_defaults_fill_in_what_the_request_left_out() -> None:
    # Given only a service name
    # When the parameters are parsed
    params = parse_parameters({"serviceName": "orders"})

    # Then every other parameter has its documented default
    assert (params.language, params.database, params.pattern, params.strategy) == (
        "python",
        "none",
        "rest",
        "rolling",
    )
    assert params.environment == "dev"
    assert params.base_image == "python:3.11.10-slim"
    assert params.owner == "team-platform"
    assert [r.name for r in params.resources] == ["item"]


@pytest.mark.parametrize(("language", "image"), [("node", "node:"), ("go", "gcr.io/distroless/")])
def test_the_base_image_default_comes_from_the_languages_catalogue_entry(language: str, image: str) -> None:
    # When a non-python service is requested without a base image
    params = parse_parameters({"serviceName": "orders", "language": language})

    # Then its entry's runtime image is used
    assert params.base_image.startswith(image)


def test_unknown_parameters_are_ignored() -> None:
    # Given parameters meant for other agents too
    raw = {"serviceName": "orders", "database": "postgresql", "replicas": 3, "sloAvailability": 99.9}

    # When they are parsed
    params = parse_parameters(raw)

    # Then codegen keeps what it knows
    assert params.service_name == "orders"
    assert params.database == "postgresql"


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"serviceName": "Orders_Service"},
        {"serviceName": "-orders"},
        {"serviceName": "orders", "language": "rust"},
        {"serviceName": "orders", "database": "mongodb"},
        {"serviceName": "orders", "pattern": "batch"},
        {"serviceName": "orders", "strategy": "big-bang"},
        {"serviceName": "orders", "environment": "qa"},
        {"serviceName": "orders", "baseImage": "python 3.11; rm -rf /"},
        {"serviceName": "orders", "description": "two\nlines"},
        {
            "serviceName": "orders",
            "resources": [{"name": "order", "fields": [{"name": "id", "type": "string"}]}],
        },
        {
            "serviceName": "orders",
            "resources": [{"name": "order", "fields": [{"name": "x", "type": "date"}]}],
        },
        {
            "serviceName": "orders",
            "resources": [{"name": "class", "fields": [{"name": "x", "type": "string"}]}],
        },
    ],
)
def test_invalid_parameters_fail_the_task_without_retry(raw: dict[str, object]) -> None:
    # Given parameters that break the contract
    # When they are parsed
    with pytest.raises(TaskError) as failure:
        parse_parameters(raw)

    # Then the task fails for good, with a message that says what to fix
    assert failure.value.retryable is False
    assert "codegen parameters are invalid" in str(failure.value)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"serviceName": "orders", "database": "mongodb"}, "database"),
        ({"serviceName": "orders", "language": "rust"}, "language"),
        ({"database": "redis"}, "serviceName"),
        (
            {
                "serviceName": "orders",
                "resources": [{"name": "a_b", "fields": [{"name": "for", "type": "string"}]}],
            },
            "resources",
        ),
    ],
)
def test_the_failure_names_the_invalid_parameter(raw: dict[str, object], field: str) -> None:
    # When invalid parameters are parsed
    with pytest.raises(TaskError) as failure:
        parse_parameters(raw)

    # Then the message and the evidence name the parameter
    assert field in str(failure.value)
    assert failure.value.evidence == {"invalid": [field]}


def test_a_digest_pinned_base_image_with_a_registry_port_is_accepted() -> None:
    # Given a base image pinned by registry, tag and digest
    image = "registry.example.com:5000/base/python:3.11.10-slim@sha256:" + "a" * 64

    # When the parameters are parsed
    params = parse_parameters({"serviceName": "orders", "baseImage": image})

    # Then the image is kept as given
    assert params.base_image == image
