"""Quality gate for the Node.js (Express) templates: every catalogue combination, rendered and built for real.

For each database x pattern the repository is rendered to a temporary directory, ``npm ci`` installs
exactly the generated ``package-lock.json`` (from the npm registry, through an npm cache shared by the
runs and kept in the pytest cache), and the service's own ``npm test`` (Node's test runner) and
``npm run lint`` (ESLint) must pass. The Dockerfile must be hadolint-clean.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from agentic_checks.hadolint import run_hadolint
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer

DATABASES = ("none", "postgresql", "dynamodb", "redis")
PATTERNS = ("rest", "event")
EXTRA_RESOURCES = [
    {"name": "order", "fields": [
        {"name": "customer", "type": "string", "required": True},
        {"name": "quantity", "type": "integer", "required": True},
        {"name": "total", "type": "number"},
        {"name": "paid", "type": "boolean"},
    ]},
    {"name": "customer", "plural": "customers",
     "fields": [{"name": "email", "type": "string", "required": True}]},
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed"),
]


@pytest.fixture(scope="module")
def npm_cache(pytestconfig: pytest.Config) -> Path:
    return Path(pytestconfig.cache.mkdir("codegen-node-npm-cache"))


def _write(files: dict[str, bytes], root: Path) -> None:
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _npm(args: list[str], cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd.parent),
        "npm_config_cache": str(cache),
        "npm_config_update_notifier": "false",
        "npm_config_audit": "false",
        "npm_config_fund": "false",
    }
    return subprocess.run(
        ["npm", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def _render(tmp_path: Path, **parameters: Any) -> tuple[dict[str, bytes], Path]:
    params = parse_parameters({"serviceName": "orders-svc", "language": "node", **parameters})
    files = TemplateRenderer().render(params)
    repo = tmp_path / "orders-svc"
    _write(files, repo)
    return files, repo


def _install_test_and_lint(repo: Path, cache: Path) -> None:
    installed = _npm(["ci", "--prefer-offline"], repo, cache)
    assert installed.returncode == 0, installed.stderr[-3000:]
    tested = _npm(["test"], repo, cache)
    assert tested.returncode == 0, (tested.stdout + tested.stderr)[-6000:]
    assert "# fail 0" in tested.stdout
    linted = _npm(["run", "lint"], repo, cache)
    assert linted.returncode == 0, (linted.stdout + linted.stderr)[-3000:]


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("database", DATABASES)
def test_a_generated_node_service_installs_from_its_lock_and_passes_its_tests_and_lint(
    tmp_path: Path, npm_cache: Path, database: str, pattern: str
) -> None:
    # Given a Node service rendered for this database and pattern
    files, repo = _render(tmp_path, database=database, pattern=pattern)
    assert ("src/consumer.js" in files) == (pattern == "event")
    assert ("src/routes/crud.js" in files) == (pattern == "rest")
    if database != "none":
        assert f"src/repositories/{ {'postgresql': 'postgres'}.get(database, database)}.js" in files

    # When npm ci installs exactly its lock file, then npm test and npm run lint run
    # Then all of them pass
    _install_test_and_lint(repo, npm_cache)

    # And its Dockerfile has no hadolint finding at all
    assert run_hadolint(files["Dockerfile"]) == []


def test_a_node_service_with_several_typed_resources_serves_and_tests_each_of_them(
    tmp_path: Path, npm_cache: Path
) -> None:
    # Given a REST service on PostgreSQL with two resources and every field type
    files, repo = _render(tmp_path, database="postgresql", pattern="rest", resources=EXTRA_RESOURCES)
    resources = files["src/resources.js"].decode()
    assert 'plural: "orders"' in resources
    assert 'plural: "customers"' in resources

    # When it is installed, tested and linted
    # Then its own tests (CRUD and validation per resource) pass
    _install_test_and_lint(repo, npm_cache)
