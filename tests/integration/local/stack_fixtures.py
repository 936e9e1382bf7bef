"""A local stack started in this process (``LocalStack``, as `agentic up` runs it), supervised in a thread."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from agentic_local.auth import issue_token
from agentic_local.moto_server import free_port
from agentic_local.settings import LocalSettings
from agentic_local.stack import LocalStack

PATIENCE = 120.0  # seconds before a wait gives up (a hang guard, not a measurement)


def local_settings(home: Path, **overrides: Any) -> LocalSettings:
    values: dict[str, Any] = {
        "agentic_home": home,
        "agentic_env": "sup",
        "agentic_api_port": free_port(),
        "agentic_aws_port": free_port(),
        "agentic_aws_snapshot_seconds": 0.5,
    }
    return LocalSettings(**(values | overrides))


class Console(io.StringIO):
    """What the stack prints, readable while it runs."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            return super().write(text)

    def text(self) -> str:
        with self._lock:
            return self.getvalue()


@dataclass
class Supervised:
    stack: LocalStack
    console: Console
    stop: threading.Event = field(default_factory=threading.Event)
    failure: list[BaseException] = field(default_factory=list)
    thread: threading.Thread | None = None

    @classmethod
    def start(cls, settings: LocalSettings, services: tuple[str, ...]) -> Supervised:
        console = Console()
        stack = LocalStack(settings, console=console, services=services)
        try:
            stack.start()
        except BaseException:
            stack.stop()  # whatever it started before it failed
            raise
        running = cls(stack, console)
        running.thread = threading.Thread(target=running._supervise, name="supervise", daemon=True)
        running.thread.start()
        return running

    def _supervise(self) -> None:
        try:
            self.stack.wait(self.stop)
        except BaseException as exc:  # noqa: BLE001 - handed to the test, which asserts on it
            self.failure.append(exc)

    def close(self) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=PATIENCE)
        self.stack.stop()

    def client(self) -> httpx.Client:
        token = issue_token(self.stack.home)
        return httpx.Client(
            base_url=self.stack.api_url, timeout=30, headers={"Authorization": f"Bearer {token}"}
        )


def eventually(probe: Callable[[], Any], what: str, seconds: float = PATIENCE) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {seconds:.0f} s")


def healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
