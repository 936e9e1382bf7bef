"""Regenerate the Node lock files codegen ships (``make relock``): real npm, one per dependency set.

For every pattern x database it renders ``package.json`` for a placeholder service, runs
``npm install --package-lock-only`` (real resolution against the npm registry) and stores npm's lock as
it is, as data: ``agentic_codegen/locks/node/<pattern>-<database>.json``. Codegen sets the service's
name at render time (``agentic_codegen.logic.node_lock``). Run it after changing a pin in
``templates/node/package.json.j2``; ``tests/integration/codegen/test_codegen_gate_node_locks.py`` fails
while a stored lock no longer matches its package.json. ``NPM_CACHE`` names npm's cache (default ~/.npm).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from agentic_codegen.logic.node_lock import lock_path
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer

PATTERNS = ("rest", "event")
DATABASES = ("none", "postgresql", "dynamodb", "redis")
PLACEHOLDER = "service-name-placeholder"
TIMEOUT_SECONDS = 600


def package_json(pattern: str, database: str) -> dict[str, object]:
    """The package.json codegen renders for a Node service with this pattern and database."""
    parameters = {
        "serviceName": PLACEHOLDER,
        "language": "node",
        "database": database,
        "pattern": pattern,
        "owner": "team-relock",
        "environment": "dev",
    }
    files = TemplateRenderer().render(parse_parameters(parameters))
    manifest: dict[str, object] = json.loads(files["package.json"])
    return manifest


def regenerate(pattern: str, database: str, cache: Path) -> Path:
    """npm's lock for the dependency set, stored as data; returns where."""
    with tempfile.TemporaryDirectory() as work:
        Path(work, "package.json").write_text(json.dumps(package_json(pattern, database), indent=2) + "\n")
        subprocess.run(
            [
                "npm",
                "install",
                "--package-lock-only",
                "--omit-lockfile-registry-resolved",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--cache",
                str(cache),
            ],
            cwd=work,
            check=True,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
        )
        lock = Path(work, "package-lock.json").read_text(encoding="utf-8")
    parsed = json.loads(lock)
    if parsed["name"] != PLACEHOLDER or parsed["packages"][""]["name"] != PLACEHOLDER:
        raise RuntimeError(f"npm named the {pattern}-{database} lock other than {PLACEHOLDER!r}")
    target = lock_path(pattern, database)
    target.write_text(lock, encoding="utf-8")
    return target


def main() -> int:
    cache = Path(os.environ.get("NPM_CACHE", Path.home() / ".npm"))
    for pattern in PATTERNS:
        for database in DATABASES:
            print("regenerated", regenerate(pattern, database, cache).name, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
