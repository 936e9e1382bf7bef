"""`agentic logs WORKFLOW_ID`: that workflow's lines from every service's log, in time order.

The local stack writes one JSON object per line to ``AGENTIC_HOME/logs/<service>.log``; a line belongs to
a workflow when its ``workflow_id`` (or ``correlation_id``) is that workflow's id.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from agentic_cli.config import CliError, home
from agentic_cli.output import add_output_option, wants_json


def _entries(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if not line.startswith("{"):
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict):
                yield entry


def workflow_lines(folder: Path, workflow_id: str) -> list[dict[str, Any]]:
    """Every JSON line of every ``*.log`` under ``folder`` that carries ``workflow_id``, oldest first."""
    found = [
        entry | {"log": path.stem}
        for path in sorted(folder.glob("*.log"))
        for entry in _entries(path)
        if workflow_id in (entry.get("workflow_id"), entry.get("correlation_id"))
    ]
    return sorted(found, key=lambda e: str(e.get("timestamp", "")))


def _text(entry: dict[str, Any]) -> str:
    task = f" [{entry['task_id']}]" if entry.get("task_id") else ""
    error = f" | {entry['error']}" if entry.get("error") else ""
    return (
        f"{entry.get('timestamp', '-')} {entry['log']:<13} {entry.get('level', '-'):<7}{task} "
        f"{entry.get('message', '')}{error}"
    )


def cmd_logs(args: argparse.Namespace) -> int:
    folder = home() / "logs"
    if not folder.is_dir():
        raise CliError(f"no logs at {folder}; point AGENTIC_HOME at the folder `make up` used")
    entries = workflow_lines(folder, args.workflow_id)
    if args.service:
        entries = [e for e in entries if e["log"] == args.service]
    for entry in entries:
        print(json.dumps(entry) if wants_json(args) else _text(entry))
    if not entries:
        raise CliError(f"no log line in {folder} carries {args.workflow_id}", exit_code=1)
    return 0


def register(sub: Any) -> None:
    logs = sub.add_parser(
        "logs", help="a workflow's log lines from every service (AGENTIC_HOME/logs/*.log), oldest first"
    )
    logs.add_argument("workflow_id")
    logs.add_argument("--service", default=None, help="only this service's log (e.g. codegen, planner-api)")
    add_output_option(logs)
    logs.set_defaults(func=cmd_logs)
