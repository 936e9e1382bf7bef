"""Start and stop moto's server mode on loopback as a child process (the local AWS).

It runs through ``agentic_local.moto_launcher``, which serves DynamoDB requests one at a time so a
cancelled transaction can never undo another request's committed write, and, given a ``state_file``,
reads its state back at start and writes it while it runs and when it stops.
"""

from __future__ import annotations

import ctypes
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

# moto accepts any credentials; these name no real account and are the only ones the local stack uses
MOTO_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> Callable[[], None]:
    """A ``preexec_fn`` for a child of the stack: SIGTERM it when the thread that started it exits (Linux
    ``PR_SET_PDEATHSIG``), so a stack killed with ``kill -9`` leaves no service or local AWS behind; the
    SIGTERM lets the local AWS write its state and the deployment worker stop its services. libc is
    looked up here, in the parent: between fork and exec the child only makes the one call."""
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    term = int(signal.SIGTERM)

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, term)

    return preexec


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            if isinstance(exc, urllib.error.HTTPError):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer within {timeout:.0f}s") from exc
            time.sleep(0.1)


class MotoServer:
    def __init__(
        self,
        port: int | None = None,
        log_file: Path | None = None,
        state_file: Path | None = None,
        snapshot_seconds: float = 5.0,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.state_file = state_file
        self._log_file = log_file
        self._snapshot_seconds = snapshot_seconds
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        return self._process

    def start(self, timeout: float = 60.0) -> MotoServer:
        """Start it (again, after it died: same port, same state file) and wait until it answers."""
        command = [
            sys.executable,
            "-m",
            "agentic_local.moto_launcher",
            "-H",
            "127.0.0.1",
            "-p",
            str(self.port),
        ]
        if self.state_file is not None:
            command += ["--state", str(self.state_file), "--snapshot-seconds", str(self._snapshot_seconds)]
        out = self._log_file.open("ab") if self._log_file else subprocess.DEVNULL
        # its own session: a Ctrl-C in the terminal reaches the stack and its services, not the local
        # AWS, which the stack stops last (SIGTERM) so that the state it writes is the final one
        self._process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent(),  # noqa: PLW1509
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                wait_for_http(f"{self.url}/moto-api/", timeout=1)
                return self
            except TimeoutError:
                code = self._process.poll()
                if code is not None:
                    raise TimeoutError(
                        f"the local AWS exited with code {code} before it answered on {self.url}; "
                        f"see {self._log_file}"
                    ) from None
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"the local AWS did not answer on {self.url} within {timeout:.0f}s"
                    ) from None

    def stop(self, timeout: float = 120.0) -> None:
        """SIGTERM: it stops serving and writes its state (which takes longer as the state grows)."""
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
