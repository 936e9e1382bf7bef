"""A service that cannot start ends `agentic up`'s start with a message naming it and its log."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from agentic_local.settings import LocalSettings
from agentic_local.stack import LocalStack, ServiceExitedError

from tests.integration.local.stack_fixtures import Console, local_settings


def test_an_api_that_cannot_listen_ends_the_start_naming_it_and_its_log(tmp_path: Path) -> None:
    # Given the API's port already taken by another program, and one restart allowed
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        settings: LocalSettings = local_settings(
            tmp_path / "home", agentic_api_port=taken.getsockname()[1], agentic_max_restarts=1
        )
        stack = LocalStack(settings, console=Console(), services=("planner-api",))
        # When the stack starts
        try:
            with pytest.raises(ServiceExitedError) as failure:
                stack.start()
        finally:
            stack.stop()
    # Then the start ends with one message naming the service, the bound and its log
    message = str(failure.value)
    assert message.startswith("planner-api exited (exit code 1) after 1 restarts within 300 s")
    assert str(stack.logs / "planner-api.log") in message
    assert "Address already in use" in (stack.logs / "planner-api.log").read_text()
