"""A task reads the outputs of a task it depends on through one helper (``agentic_common.upstream``)."""

from __future__ import annotations

import pytest
from agentic_common.agent import TaskError
from agentic_common.events.codegen import CodegenOutputs
from agentic_common.events.tasks import TaskCreated
from agentic_common.upstream import optional_upstream, upstream

from tests.helpers import task_created

CODEGEN = {
    "service_name": "orders",
    "repo_url": "https://git.example.com/orders.git",
    "commit": "a" * 40,
    "branch": "main",
    "artifact": {"bucket": "artifacts", "key": "wf-1/codegen.tar.gz", "sha256": "b" * 64, "size_bytes": 10},
    "files": 3,
}


def task(up: dict[str, dict[str, object]]) -> TaskCreated:
    return task_created("policy", upstream=up)


def test_the_producer_outputs_are_parsed_into_the_model() -> None:
    # Given a task whose upstream holds codegen's outputs
    # When they are read as CodegenOutputs
    outputs = upstream(task({"codegen": CODEGEN}), "codegen", CodegenOutputs)

    # Then the model carries them
    assert (outputs.service_name, outputs.commit) == ("orders", "a" * 40)


def test_a_missing_producer_is_a_non_retryable_error_naming_it_and_what_upstream_has() -> None:
    # Given a task that depends on no codegen task
    with pytest.raises(
        TaskError, match=r"needs the outputs of the 'codegen' task.*outputs of: deploy"
    ) as raised:
        upstream(task({"deploy": {}}), "codegen", CodegenOutputs)

    # Then retrying cannot help
    assert raised.value.retryable is False


def test_outputs_that_do_not_fit_the_model_are_a_non_retryable_error_naming_the_field() -> None:
    # Given codegen outputs without a commit
    broken = {k: v for k, v in CODEGEN.items() if k != "commit"}
    with pytest.raises(TaskError, match=r"not CodegenOutputs \(commit: Field required") as raised:
        optional_upstream(task({"codegen": broken}), "codegen", CodegenOutputs)

    # Then retrying cannot help
    assert raised.value.retryable is False


def test_an_optional_producer_that_is_absent_reads_as_none() -> None:
    assert optional_upstream(task({}), "codegen", CodegenOutputs) is None
