"""Codegen re-checks its parameters at the edge: invalid ones fail the task for good."""

from __future__ import annotations

import pytest
from agentic_codegen.logic.parameters import parse_parameters
from agentic_common.agent import TaskError


def test_defaults_fill_in_what_the_request_left_out() -> None:
    # Given only a service name
    # When the parameters are parsed
    params = parse_parameters({"serviceName": "orders"})

    # Then every other parameter has its documented default
    assert params.language == "python"
    assert params.database == "none"
    assert params.environment == "dev"
    assert params.base_image == "python:3.11.10-slim"
    assert params.owner == "team-platform"
    assert params.description is None


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
        {"serviceName": "orders", "language": "go"},
        {"serviceName": "orders", "database": "mongodb"},
        {"serviceName": "orders", "environment": "qa"},
        {"serviceName": "orders", "baseImage": "python 3.11; rm -rf /"},
        {"serviceName": "orders", "description": "two\nlines"},
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


def test_the_failure_names_the_invalid_parameter() -> None:
    # Given an unsupported database
    # When the parameters are parsed
    with pytest.raises(TaskError) as failure:
        parse_parameters({"serviceName": "orders", "database": "mongodb"})

    # Then the message and the evidence name the parameter
    assert "database" in str(failure.value)
    assert failure.value.evidence == {"invalid": ["database"]}


def test_a_digest_pinned_base_image_is_accepted() -> None:
    # Given a base image pinned by registry, tag and digest
    image = "registry.example.com:5000/base/python:3.11.10-slim@sha256:" + "a" * 64

    # When the parameters are parsed
    params = parse_parameters({"serviceName": "orders", "baseImage": image})

    # Then the image is kept as given
    assert params.base_image == image
