"""docs/architecture.md is generated from the topology and the service profiles, and cannot drift."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from agentic_common.topology import default_topology

REPO = Path(__file__).resolve().parents[2]
GENERATOR = REPO / "tools" / "architecture.py"
DOC = REPO / "docs" / "architecture.md"


def _check(target: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(GENERATOR), "--check", str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_committed_architecture_picture_is_what_the_declarations_give():
    # When the generator compares the committed file with what the topology and profiles give
    result = _check(DOC)
    # Then they are the same (run `make docs` after changing the topology or a profile)
    assert result.returncode == 0, result.stderr


def test_a_stale_architecture_picture_is_reported(tmp_path):
    # Given a copy of the picture with one queue's line missing, as after adding a queue without `make docs`
    lines = DOC.read_text().splitlines(keepends=True)
    stale = tmp_path / "architecture.md"
    stale.write_text("".join(line for line in lines if "q_codegen_tasks_fifo[/" not in line))
    # When it is checked
    result = _check(stale)
    # Then the check fails and says what to run
    assert result.returncode == 1
    assert "make docs" in result.stderr


def test_the_picture_shows_every_service_queue_and_table_of_the_topology():
    # Given the topology
    topology = default_topology()
    text = DOC.read_text()
    # Then each consumer, queue and table appears in the diagram
    assert "```mermaid\nflowchart LR\n" in text
    for queue in topology.queues:
        assert f'"{queue.name} ({"SQS FIFO" if queue.fifo else "SQS"})"' in text
        if queue.runtime != "pipe":
            assert f'["{queue.consumer} (' in text
    for pipe in topology.pipes:
        assert f'|"pipe {pipe.name}: FIFO group = ' in text
    for table in topology.tables:
        assert f'[("{table.name}")]' in text
