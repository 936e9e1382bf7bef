"""Quality gate for the Go (Gin) templates: every catalogue combination, checked with the real Go toolchain.

What runs here (no Go module proxy is reachable, so Gin, pgx, go-redis, the AWS SDK and OpenTelemetry
cannot be downloaded, and nothing below pretends otherwise):
- ``gofmt -l`` is clean for every generated ``.go`` file;
- ``go.mod`` parses (``go mod edit -json``) and requires exactly the modules the code imports;
- the packages that import only the standard library (config, logging, resources, the repository
  interface and its in-memory implementation, and the consumer's message handling and poll loop) are
  ``go vet``-clean and their own ``go test`` passes, offline (``GOPROXY=off``);
- the Dockerfile has no hadolint finding.
The Gin router, the database and SQS adapters, telemetry and ``cmd/server`` are gofmt-checked and
import-checked only: building them needs the modules from the network.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from agentic_checks.hadolint import run_hadolint
from agentic_checks.toolchain import go_binary, gofmt_binary
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer

DATABASES = ("none", "postgresql", "dynamodb", "redis")
PATTERNS = ("rest", "event")
SERVICE = "orders-svc"
STDLIB_ONLY = {"internal/config", "internal/logging", "internal/resources", "internal/store"}
FIELD_TYPES = (("sku", "string"), ("quantity", "integer"), ("unit_price", "number"), ("gift", "boolean"))
TWO_RESOURCES = [
    {
        "name": "order_line",
        "fields": [{"name": name, "type": kind, "required": kind != "boolean"} for name, kind in FIELD_TYPES],
    },
    {"name": "customer", "fields": [{"name": "email", "type": "string", "required": True}]},
]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def go_env(pytestconfig: pytest.Config) -> dict[str, str]:
    cache = Path(pytestconfig.cache.mkdir("codegen-go"))
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cache),
        "GOCACHE": str(cache / "build"),
        "GOPATH": str(cache / "gopath"),
        "GOTOOLCHAIN": "local",
        "GOPROXY": "off",
        "GOFLAGS": "-mod=mod",
        "GONOSUMDB": "*",
        "CGO_ENABLED": "0",
    }


def _render(tmp_path: Path, **parameters: Any) -> tuple[dict[str, bytes], Path]:
    params = parse_parameters({"serviceName": SERVICE, "language": "go", **parameters})
    files = TemplateRenderer().render(params)
    repo = tmp_path / SERVICE
    for path, content in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_bytes(content)
    return files, repo


def _go(args: list[str], repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(go_binary()), *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _imports(repo: Path, env: dict[str, str]) -> dict[str, list[str]]:
    """Package (relative to the module) → its imports, read offline (`go list -e`)."""
    listed = _go(["list", "-e", "-f", '{{.ImportPath}} {{join .Imports " "}}', "./..."], repo, env)
    assert listed.returncode == 0, listed.stderr
    packages = {}
    for line in listed.stdout.splitlines():
        path, *imports = line.split()
        packages[path.removeprefix(SERVICE + "/")] = imports
    return packages


def _third_party(path: str) -> bool:
    return "." in path.split("/", maxsplit=1)[0]


def _offline_buildable(packages: dict[str, list[str]]) -> set[str]:
    """The packages whose imports, followed inside the module, reach only the standard library."""

    def buildable(package: str, seen: frozenset[str] = frozenset()) -> bool:
        for imported in packages[package]:
            if _third_party(imported):
                return False
            if not imported.startswith(SERVICE + "/"):
                continue
            local = imported.removeprefix(SERVICE + "/")
            if local in seen or not buildable(local, seen | {package}):
                return False
        return True

    return {package for package in packages if buildable(package)}


def _module_of(path: str, required: list[str]) -> str | None:
    owners = [module for module in required if path == module or path.startswith(module + "/")]
    return max(owners, key=len) if owners else None


def _check(files: dict[str, bytes], repo: Path, env: dict[str, str], pattern: str) -> set[str]:
    # gofmt -l lists no file
    go_files = sorted(path for path in files if path.endswith(".go"))
    formatted = subprocess.run(
        [str(gofmt_binary()), "-l", *go_files], cwd=repo, capture_output=True, text=True, check=False
    )
    assert formatted.returncode == 0, formatted.stderr
    assert formatted.stdout == "", f"gofmt would change: {formatted.stdout}"

    # go.mod parses, names the service, and requires exactly the modules the code imports
    parsed = _go(["mod", "edit", "-json"], repo, env)
    assert parsed.returncode == 0, parsed.stderr
    module = json.loads(parsed.stdout)
    assert module["Module"]["Path"] == SERVICE
    required = [r["Path"] for r in module["Require"]]
    packages = _imports(repo, env)
    imported = {path for imports in packages.values() for path in imports if _third_party(path)}
    owners = {path: _module_of(path, required) for path in imported}
    unowned = sorted(path for path, owner in owners.items() if owner is None)
    assert not unowned, f"imports without a require in go.mod: {unowned}"
    assert set(owners.values()) == set(required), f"unused requires: {set(required) - set(owners.values())}"

    # the standard-library-only packages are vet-clean and their tests pass, offline
    offline = _offline_buildable(packages)
    expected = STDLIB_ONLY | ({"internal/consumer"} if pattern == "event" else set())
    assert expected <= offline, f"packages that should need only the standard library: {expected - offline}"
    targets = ["./" + package for package in sorted(offline)]
    vetted = _go(["vet", *targets], repo, env)
    assert vetted.returncode == 0, vetted.stderr
    tested = _go(["test", "-count=1", *targets], repo, env)
    assert tested.returncode == 0, tested.stdout + tested.stderr

    # the Dockerfile has no hadolint finding
    assert run_hadolint(files["Dockerfile"]) == []
    return offline


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("database", DATABASES)
def test_a_generated_go_service_is_gofmt_clean_its_modules_are_consistent_and_its_core_tests_pass(
    tmp_path: Path, go_env: dict[str, str], database: str, pattern: str
) -> None:
    # Given a Go service rendered for this database and pattern
    files, repo = _render(tmp_path, database=database, pattern=pattern)
    assert ("internal/consumer/consumer.go" in files) == (pattern == "event")
    assert ("internal/httpapi/crud.go" in files) == (pattern == "rest")

    # When the Go toolchain checks it, Then every check passes
    offline = _check(files, repo, go_env, pattern)

    # And the packages that need Gin, a driver or the AWS SDK are the ones left unbuilt here
    assert "cmd/server" not in offline
    assert "internal/httpapi" not in offline


def test_a_go_service_with_several_typed_resources_validates_each_of_them(
    tmp_path: Path, go_env: dict[str, str]
) -> None:
    # Given an event consumer on DynamoDB with two resources, snake_case names and every field type
    files, repo = _render(tmp_path, database="dynamodb", pattern="event", resources=TWO_RESOURCES)
    assert b'Plural: "order_lines"' in files["internal/resources/resources.go"]

    # When it is checked, Then gofmt, go.mod, vet and the resource and consumer tests pass
    _check(files, repo, go_env, "event")
