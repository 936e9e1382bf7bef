"""The observability worker is built to run several verify tasks at once (OBSERVABILITY_VERIFY_CONCURRENCY).

How a worker runs batches side by side is tested once, on the local AWS, in
tests/integration/common/test_concurrent_batches.py; here: the setting reaches the worker.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from agentic_common.settings import CommonSettings
from agentic_common.worker import Worker
from agentic_observability.bootstrap import assemble


def test_the_worker_runs_the_configured_number_of_verify_tasks_at_once(
    tmp_path: Path, aws_settings: CommonSettings, queue_urls: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given OBSERVABILITY_VERIFY_CONCURRENCY=3
    monkeypatch.setenv("OBSERVABILITY_VERIFY_CONCURRENCY", "3")
    monkeypatch.setenv("AGENTIC_ENV", aws_settings.agentic_env)
    monkeypatch.setenv("AWS_ENDPOINT_URL", str(aws_settings.aws_endpoint_url))
    monkeypatch.setenv("AGENTIC_HOME", str(tmp_path))

    # When the service and its worker are built as the worker's main builds them
    service = assemble(aws_settings)
    worker = Worker.for_consumer(service.runtime, service.consumer, concurrency=service.verify_concurrency)

    # Then the worker has room for 3 verify tasks on observability-tasks
    assert service.verify_concurrency == 3
    assert worker.poller.queue_name.endswith("observability-tasks")
    assert worker.concurrency == 3
