"""The README's CLI commands, run literally by a shell against the stack `make up` starts; the logs they find.

Only two things are substituted: the README's placeholder workflow id (``wf-...``) by the id the README's
own ``workflow create`` printed, and its ``localhost:8080`` by this stack's port (the test picks a free one).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[3]
HANDLERS = {"planner-api", "planner", "codegen", "policy", "deployment", "observability"}


def readme_commands() -> list[str]:
    """The quick-start block of the README, continuation lines joined."""
    text = (REPO / "README.md").read_text()
    block = text[text.index("In another terminal") :]
    block = block[block.index("```bash\n") + len("```bash\n") :]
    block = block[: block.index("\n```")]
    return [line.strip() for line in block.replace("\\\n", " ").splitlines() if line.strip()]


@dataclass
class Ran:
    command: str
    returncode: int
    stdout: str
    stderr: str


@dataclass
class ReadmeRun:
    workflow_id: str
    runs: list[Ran]

    def of(self, prefix: str) -> Ran:
        return next(r for r in self.runs if r.command.startswith(prefix))


@pytest.fixture(scope="module")
def readme(stack: RunningStack) -> ReadmeRun:
    env = {k: v for k, v in os.environ.items() if k not in {"AGENTIC_API_URL", "AGENTIC_TOKEN"}}
    env["AGENTIC_HOME"] = str(stack.home)
    port = stack.api_url.rsplit(":", 1)[1]
    workflow_id = ""
    runs = []
    for line in readme_commands():
        command = line.replace("wf-...", workflow_id).replace("localhost:8080", f"localhost:{port}")
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        runs.append(Ran(command, done.returncode, done.stdout, done.stderr))
        if found := re.search(r"workflow (wf-\S+)", done.stdout):
            workflow_id = workflow_id or found.group(1)
    assert workflow_id, f"the README's workflow create printed no workflow id: {runs}"
    return ReadmeRun(workflow_id, runs)


def test_every_readme_command_runs_literally_and_exits_0(readme: ReadmeRun) -> None:
    # Given / When the README's commands ran in a shell from the repository folder
    failed = [(r.command, r.returncode, r.stderr[-500:]) for r in readme.runs if r.returncode != 0]
    # Then each one exited 0, and none printed a traceback
    assert failed == []
    assert [r.command for r in readme.runs if "Traceback" in r.stderr + r.stdout] == []


def test_the_readme_token_is_accepted_by_the_running_stack(readme: ReadmeRun) -> None:
    # Given / When the README's curl used the README's token
    document = json.loads(readme.of("curl").stdout)
    # Then the API answered with its OpenAPI document (a refused token would be a 401 body)
    assert "openapi" in document


def test_the_readme_workflow_completed_and_is_listed_by_default(readme: ReadmeRun) -> None:
    # Given / When the README created a workflow with --wait and then listed workflows without --status
    listed = readme.of(".venv/bin/agentic workflow list").stdout
    # Then the workflow is in the default list as completed, and watch showed the elapsed time
    assert re.search(rf"{readme.workflow_id}\s+completed", listed)
    assert "elapsed " in readme.of(".venv/bin/agentic workflow watch").stdout


def _log_lines(home: Path) -> dict[str, list[dict[str, object]]]:
    lines: dict[str, list[dict[str, object]]] = {}
    for path in sorted((home / "logs").glob("*.log")):
        if path.stem in HANDLERS:
            text = path.read_text(errors="replace").splitlines()
            lines[path.stem] = [json.loads(line) for line in text if line.startswith("{")]
    return lines


def test_every_service_that_handled_the_workflow_logged_its_id(
    readme: ReadmeRun, stack: RunningStack
) -> None:
    # Given the logs of the stack after the README's golden path
    logs = _log_lines(stack.home)
    # When the lines carrying the workflow id are picked per service
    carrying = {
        name for name, lines in logs.items() if any(e.get("workflow_id") == readme.workflow_id for e in lines)
    }
    # Then every service that handled it has some
    assert carrying == HANDLERS


def test_every_line_of_the_services_logs_is_json(stack: RunningStack, readme: ReadmeRun) -> None:
    # Given the services' logs after the README's commands
    plain = {
        path.stem: [
            line for line in path.read_text(errors="replace").splitlines() if not line.startswith("{")
        ][:3]
        for path in sorted((stack.home / "logs").glob("*.log"))
        if path.stem in HANDLERS | {"remediation"}
    }
    # Then no line is plain text (a traceback, a print)
    assert {name: lines for name, lines in plain.items() if lines} == {}


def test_agentic_logs_prints_the_workflows_lines_from_every_service(readme: ReadmeRun) -> None:
    # Given / When the README's `agentic logs wf-...` ran
    printed = readme.of(".venv/bin/agentic logs").stdout.splitlines()
    # Then its lines come from every service that handled the workflow
    assert {line.split()[1] for line in printed} == HANDLERS
