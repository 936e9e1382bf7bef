"""The Node lock files the templates ship: produced by real npm, one per dependency set.

Regenerate them after changing a pin in ``templates/node/package.json.j2``::

    .venv/bin/python tests/integration/codegen/test_codegen_gate_node_locks.py

For every pattern x database it renders ``package.json`` for a placeholder service, runs
``npm install --package-lock-only`` (real resolution against the npm registry) and stores the lock as
``templates/node/_package-lock-<pattern>-<database>.json.j2`` with the service name as a template
variable. The test below checks each stored lock still matches the package.json it was made from.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES = Path(__file__).resolve().parents[3] / "services/codegen/agentic_codegen/templates"
PATTERNS = ("rest", "event")
DATABASES = ("none", "postgresql", "dynamodb", "redis")
PLACEHOLDER = "service-name-placeholder"
NAME_LINE = f'"name": "{PLACEHOLDER}"'
TEMPLATED_NAME = '"name": {{ service_name | quote }}'


def lock_template(pattern: str, database: str) -> Path:
    return TEMPLATES / "node" / f"_package-lock-{pattern}-{database}.json.j2"


def package_json(pattern: str, database: str, service_name: str = PLACEHOLDER) -> dict[str, object]:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701
    )
    env.filters["quote"] = json.dumps
    text = env.get_template("node/package.json.j2").render(
        service_name=service_name, description="placeholder", pattern=pattern, database=database
    )
    return json.loads(text)


def regenerate(pattern: str, database: str, cache: Path) -> None:
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
            timeout=600,
        )
        lock = Path(work, "package-lock.json").read_text()
    if lock.count(NAME_LINE) != 2:
        raise RuntimeError(f"expected the service name twice in the {pattern}-{database} lock")
    lock_template(pattern, database).write_text(lock.replace(NAME_LINE, TEMPLATED_NAME))


def test_every_stored_lock_records_exactly_the_pins_of_its_package_json() -> None:
    for pattern in PATTERNS:
        for database in DATABASES:
            # Given the package.json a service with this pattern and database gets
            manifest = package_json(pattern, database)
            # When the stored lock is read
            lock = json.loads(lock_template(pattern, database).read_text().replace(TEMPLATED_NAME, NAME_LINE))
            root = lock["packages"][""]
            # Then its root entry pins the same dependencies, and each resolved version is that pin
            assert root["dependencies"] == manifest["dependencies"], f"{pattern}-{database}"
            assert root["devDependencies"] == manifest["devDependencies"], f"{pattern}-{database}"
            for name, version in {**manifest["dependencies"], **manifest["devDependencies"]}.items():
                assert lock["packages"][f"node_modules/{name}"]["version"] == version


@pytest.mark.parametrize("pattern", PATTERNS)
def test_no_lock_is_stored_for_a_combination_the_catalogue_does_not_offer(pattern: str) -> None:
    stored = {p.name for p in (TEMPLATES / "node").glob(f"_package-lock-{pattern}-*.json.j2")}
    assert stored == {lock_template(pattern, db).name for db in DATABASES}


if __name__ == "__main__":
    npm_cache = Path(os.environ.get("NPM_CACHE", Path.home() / ".npm"))
    for combination in [(p, d) for p in PATTERNS for d in DATABASES]:
        regenerate(*combination, npm_cache)
        print("regenerated", lock_template(*combination).name, file=sys.stderr)
