"""The `agentic` process as a shell sees it: help, version, exit codes, unknown names, pipes, log lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from agentic_cli.main import main


def _agentic(*args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTIC_")}
    if home:
        env["AGENTIC_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "agentic_cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_help_documents_every_exit_code_and_where_the_platform_is_found() -> None:
    # When help is asked for
    shown = _agentic("--help")
    # Then it lists the exit codes and the variables that name the platform
    assert shown.returncode == 0
    for line in (
        "0    success",
        "1    what you asked about failed",
        "2    usage or input error",
        "3    the platform",
    ):
        assert line in shown.stdout
    assert "AGENTIC_HOME/stack.json" in shown.stdout
    assert "AGENTIC_TOKEN" in shown.stdout


def test_version_prints_the_package_version() -> None:
    # When the version is asked for / Then it is the installed package's
    shown = _agentic("--version")
    assert (shown.returncode, shown.stdout.split()[0]) == (0, "agentic")
    assert shown.stdout.split()[1][0].isdigit()


def test_redriving_an_unknown_queue_fails_naming_the_known_queues(tmp_path: Path) -> None:
    # Given no such queue / When it is redriven
    done = _agentic("dlq", "redrive", "--queue", "nope", home=tmp_path)
    # Then it exits 2 with one line that names the known queues, and no traceback
    assert done.returncode == 2
    assert done.stderr.startswith("error: --queue 'nope' is not a queue of the platform; known queues: ")
    assert "codegen-tasks" in done.stderr
    assert done.stderr.count("\n") == 1


def _write_logs(home: Path, workflow_id: str, lines: int) -> None:
    folder = home / "logs"
    folder.mkdir(parents=True)
    with (folder / "codegen.log").open("w") as out:
        for n in range(lines):
            entry = {"timestamp": f"2026-01-01T10:{n // 60 % 60:02d}:{n % 60:02d}.000+00:00", "level": "INFO"}
            out.write(
                json.dumps(entry | {"service": "codegen", "workflow_id": workflow_id, "message": f"{n}"})
                + "\n"
            )
    (folder / "planner.log").write_text(
        "plain text the stack's own process wrote\n"
        + json.dumps(
            {
                "timestamp": "2026-01-01T09:59:59.000+00:00",
                "level": "INFO",
                "service": "planner",
                "correlation_id": workflow_id,
                "message": "created",
            }
        )
        + "\n"
        + json.dumps(
            {
                "timestamp": "2026-01-01T09:59:59.500+00:00",
                "service": "planner",
                "workflow_id": "wf-other",
                "message": "another workflow",
            }
        )
        + "\n"
    )


def test_logs_prints_the_workflows_lines_from_every_service_oldest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given two services' logs with lines of this and another workflow, and a plain line
    _write_logs(tmp_path, "wf-1", 2)
    monkeypatch.setenv("AGENTIC_HOME", str(tmp_path))
    # When the workflow's logs are asked for
    code = main(["logs", "wf-1"])
    # Then its three lines are printed in time order, with their service, and nothing else
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert [line.split()[1] for line in lines] == ["planner", "codegen", "codegen"]
    assert lines[0].endswith("created")


def test_logs_of_a_workflow_no_line_carries_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given logs of another workflow / When an unknown workflow's logs are asked for
    _write_logs(tmp_path, "wf-1", 1)
    monkeypatch.setenv("AGENTIC_HOME", str(tmp_path))
    # Then it exits 1 saying nothing carries that id
    assert main(["logs", "wf-unknown"]) == 1
    assert "no log line" in capsys.readouterr().err


def test_piping_a_long_output_to_head_prints_no_traceback(tmp_path: Path) -> None:
    # Given a workflow with many log lines
    _write_logs(tmp_path, "wf-1", 20000)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTIC_")} | {
        "AGENTIC_HOME": str(tmp_path)
    }
    # When its logs are piped to head
    piped = subprocess.run(
        ["bash", "-c", f"'{sys.executable}' -m agentic_cli.main logs wf-1 | head -n 1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    # Then head got its line and nothing at all was written to stderr
    assert len(piped.stdout.splitlines()) == 1
    assert piped.stderr == ""


def test_a_bad_argument_is_one_line_pointing_at_the_commands_help() -> None:
    # When an environment that does not exist is given
    done = _agentic("deploy", "start", "orders", "abc123", "--env", "production")
    # Then it exits 2 with one line naming the argument, the choices and where help is
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "argument --env: invalid choice: 'production'" in done.stderr
    assert "see `agentic deploy start --help`" in done.stderr
