"""A service stopped by Ctrl-C, while it starts or while it runs, leaves only JSON lines in its log."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from agentic_local.moto_server import MotoServer
from agentic_local.process_signals import ask_for_stacks

from tests.helpers import ignore_sigint


def _start(name: str, moto_server: MotoServer, home: Path) -> tuple[subprocess.Popen[bytes], Path]:
    log = home / f"{name}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTIC_")}
    env.update(
        AGENTIC_HOME=str(home),
        AGENTIC_ENV="test",
        AWS_ENDPOINT_URL=moto_server.url,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
    )
    with log.open("wb") as stderr:
        process = subprocess.Popen(  # SIGINT ignored, as a background job of a script (CI) inherits it
            [sys.executable, "-m", "agentic_local.serve", name],
            env=env,
            stderr=stderr,
            preexec_fn=ignore_sigint,  # noqa: PLW1509 - only sets a signal disposition
        )
    return process, log


def _wait_for(log: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while text not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"never logged {text!r}: {log.read_text()[-2000:]}")
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes], log: Path) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        ask_for_stacks([process.pid])  # it writes every thread's stack to its log
        process.kill()
        process.wait()
        pytest.fail(f"the service did not stop within 60 s of Ctrl-C; its log:\n{log.read_text()[-6000:]}")


def _lines(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text().splitlines()]  # a plain line fails here


def test_a_worker_stopped_by_ctrl_c_logs_only_json(
    moto_server: MotoServer, queue_urls: dict[str, str], tmp_path: Path
) -> None:
    # Given the remediation worker running on the local AWS
    process, log = _start("remediation", moto_server, tmp_path)
    _wait_for(log, "worker started", process)
    # When Ctrl-C stops it
    _stop(process, log)
    # Then every line of its log is JSON, the last one saying it stopped
    assert _lines(log)[-1]["message"] == "worker stopped"


def test_a_service_interrupted_while_it_starts_logs_the_interruption_as_json(
    moto_server: MotoServer, queue_urls: dict[str, str], tmp_path: Path
) -> None:
    # Given the codegen runner that has just begun to start (importing its handler)
    process, log = _start("codegen", moto_server, tmp_path)
    _wait_for(log, "starting codegen", process)
    # When Ctrl-C arrives before it is ready
    _stop(process, log)
    # Then its log is JSON lines only; an interruption, if it landed mid-import, is one of them
    lines = _lines(log)
    assert lines[0]["message"] == "starting codegen"
    assert all("stack" in line for line in lines if line["level"] == "CRITICAL")
