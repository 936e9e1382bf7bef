"""Reading .agentic/service.json: Python default, Node and Go argv, bad files named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from agentic_deployment.adapters.local.service_manifest import read_manifest
from agentic_deployment.ports import DeployError


def write(src: Path, data: object) -> None:
    (src / ".agentic").mkdir(parents=True)
    (src / ".agentic" / "service.json").write_text(json.dumps(data))


def test_without_the_file_the_service_runs_as_python_with_uvicorn(tmp_path: Path) -> None:
    manifest = read_manifest(tmp_path)
    assert manifest.language == "python"
    argv = manifest.start_argv(8123, Path("/venv/bin/python"))
    assert argv == [
        "/venv/bin/python",
        "-m",
        "uvicorn",
        "app.main:app",
        "--host",
        "127.0.0.1",
        "--port",
        "8123",
    ]


def test_a_node_service_installs_and_starts_with_its_own_argv(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "language": "node",
            "install": ["npm", "ci"],
            "start": ["node", "src/server.js"],
            "health": "/healthz",
            "port_env": "PORT",
        },
    )
    manifest = read_manifest(tmp_path)
    assert manifest.install == ("npm", "ci")
    assert manifest.start_argv(9000, Path("/unused")) == ["node", "src/server.js"]
    assert manifest.health == "/healthz"


def test_a_go_service_builds_and_starts_with_its_own_argv(tmp_path: Path) -> None:
    # Given the service file codegen writes for a Go service
    write(
        tmp_path,
        {
            "language": "go",
            "install": ["go", "build", "-o", "bin/server", "./cmd/server"],
            "start": ["bin/server"],
        },
    )
    # When it is read
    manifest = read_manifest(tmp_path)
    # Then the local target builds it with go and starts the binary it built
    assert manifest.language == "go"
    assert manifest.install == ("go", "build", "-o", "bin/server", "./cmd/server")
    assert manifest.start_argv(9000, Path("/unused")) == ["bin/server"]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"language": "node", "install": [], "start": ["node"]}, "'install' must be a non-empty list"),
        (
            {"language": "python", "install": ["pip"], "start": ["python"], "health": "health"},
            "'health' must be a path",
        ),
        ({"language": "cobol", "install": ["x"], "start": ["y"]}, "language 'cobol'"),
    ],
)
def test_a_bad_service_file_is_named_with_its_problem(tmp_path: Path, data: dict, problem: str) -> None:
    write(tmp_path, data)
    with pytest.raises(DeployError, match=problem):
        read_manifest(tmp_path)


NODE = {"language": "node", "install": ["npm", "ci"], "start": ["node", "src/server.js"]}


def test_the_declared_store_its_variable_and_the_probe_are_read(tmp_path: Path) -> None:
    # Given a service.json as codegen writes it for a PostgreSQL consumer of EventBridge events
    probe = {"path": "/v1/items", "record": {"name": "probe"}, "event": "item.upserted"}
    write(
        tmp_path,
        NODE
        | {
            "database": "postgresql",
            "database_env": "DATABASE_URL",
            "pattern": "event",
            "event_source": "eventbridge",
            "event_types": ["item.upserted", "item.deleted"],
            "probe": probe,
        },
    )
    # When / Then
    manifest = read_manifest(tmp_path)
    assert (manifest.database, manifest.database_env, manifest.pattern) == (
        "postgresql",
        "DATABASE_URL",
        "event",
    )
    assert manifest.event_types == ("item.upserted", "item.deleted")
    assert manifest.probe is not None
    assert (manifest.probe.path, manifest.probe.event) == ("/v1/items", "item.upserted")


def test_a_declared_database_without_its_variable_is_refused_naming_the_field(tmp_path: Path) -> None:
    write(tmp_path, NODE | {"database": "redis"})
    with pytest.raises(DeployError, match="database_env") as failure:
        read_manifest(tmp_path)
    assert failure.value.retryable is False


def test_a_store_the_local_target_cannot_provision_is_refused_naming_it(tmp_path: Path) -> None:
    write(tmp_path, NODE | {"database": "mongodb", "database_env": "MONGO_URL"})
    with pytest.raises(DeployError, match="'mongodb' is not one the local target provisions"):
        read_manifest(tmp_path)


def test_a_malformed_probe_is_refused_naming_what_it_must_hold(tmp_path: Path) -> None:
    write(tmp_path, NODE | {"probe": {"path": "items", "record": {}, "event": "item.upserted"}})
    with pytest.raises(DeployError, match="'probe' must be an object with 'path'"):
        read_manifest(tmp_path)


def test_a_service_with_no_store_no_queue_and_no_probe_has_nothing_to_verify_beyond_health(
    tmp_path: Path,
) -> None:
    # Given a hand-written service (no service.json) and a generated one with a probe record
    write(
        tmp_path / "generated",
        NODE | {"probe": {"path": "/v1/items", "record": {}, "event": "item.upserted"}},
    )
    # When / Then only the generated one is checked beyond /health
    assert read_manifest(tmp_path / "hand-written").declares_store is False
    assert read_manifest(tmp_path / "generated").declares_store is True
