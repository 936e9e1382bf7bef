"""The generated Go README's commands work as written: each line of its ``sh`` blocks is run with ``sh -c``
in the rendered repository (Go on PATH, module and build caches in the project's tools cache).

The only change made to a line is the port: the README says 8080, the test uses a free loopback port.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

import httpx
import pytest
from agentic_checks.toolchain import go_cache, go_env
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import PORT, TemplateRenderer
from agentic_local.moto_server import free_port

from tests.local_servers import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
"""A first run on a machine compiles the standard library and the modules into the Go cache (minutes)."""


def _blocks(readme: str, heading: str) -> list[str]:
    """The command lines of the first ``sh`` block after ``heading``."""
    section = readme.split(f"## {heading}\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, f"no sh block under {heading}"
    return [line for line in block.group(1).splitlines() if line.strip()]


def _sh(line: str, repo: Path, port: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", line.replace(str(PORT), str(port))],
        cwd=repo,
        env=go_env(go_cache()),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_the_go_readme_commands_install_run_test_and_lint_the_service(tmp_path: Path) -> None:
    # Given a Go REST service rendered with its README
    params = parse_parameters({"serviceName": "orders-svc", "language": "go", "database": "none"})
    repo = tmp_path / "orders-svc"
    for path, content in TemplateRenderer().render(params).items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_bytes(content)
    readme = (repo / "README.md").read_text()
    install, run, probe = _blocks(readme, "Run locally")
    port = free_port()

    # When its install line runs, Then it succeeds
    installed = _sh(install, repo, port)
    assert installed.returncode == 0, installed.stderr[-3000:]

    # And its run line starts the server, which its curl line then reaches
    server = subprocess.Popen(
        ["sh", "-c", run.replace(str(PORT), str(port))],
        cwd=repo,
        env=go_env(go_cache()),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:

        def answered() -> bool | None:
            assert server.poll() is None, f"`{run}` exited with {server.returncode}"
            return _sh(probe, repo, port).returncode == 0 or None

        wait_until(answered, seconds=600)
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
        assert health.json() == {"status": "ok", "service": "orders-svc"}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    # And every line of its Test block succeeds (go test, then gofmt + go vet)
    for line in _blocks(readme, "Test"):
        result = _sh(line, repo, port)
        assert result.returncode == 0, f"{line}\n{result.stdout[-3000:]}{result.stderr[-2000:]}"
