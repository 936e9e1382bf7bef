"""Backstage's own packages, run with Node: validate entities and render ``${{ }}`` as the scaffolder does.

``backstage/validator`` pins @backstage/plugin-scaffolder-common (the official v1beta3 Template
schema and validator), @backstage/catalog-model and nunjucks; ``ensure_node_packages`` installs them
(``npm ci``) when node_modules does not hold that lock yet. No Node or npm fails with the install
command (tests/tools.py), never a skip.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.tools import NODE_PROJECTS, ensure_node_packages, locate

VALIDATOR = NODE_PROJECTS[0]


@dataclass(frozen=True)
class Verdict:
    valid: bool
    error: str


@dataclass(frozen=True)
class Scaffolder:
    node: Path

    def _run(self, command: str, payload: Any) -> Any:
        done = subprocess.run(
            [str(self.node), "scaffolder.cjs", command],
            cwd=VALIDATOR,
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def validate_template(self, entity: dict[str, Any]) -> Verdict:
        return Verdict(**self._run("validate", entity))

    def validate_entity(self, entity: dict[str, Any]) -> Verdict:
        return Verdict(**self._run("entity", entity))

    def render(self, value: Any, context: dict[str, Any]) -> Any:
        return self._run("render", {"value": value, "context": context})


def scaffolder() -> Scaffolder:
    ensure_node_packages(VALIDATOR)
    return Scaffolder(node=locate("node"))
