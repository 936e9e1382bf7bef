"""How to install and start a generated service: its ``.agentic/service.json``, or the Python default.

Repositories generated before codegen wrote the file (or written by hand) run the way the local target
always ran them: a ``requirements.txt`` installed with uv and ``uvicorn app.main:app``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from agentic_deployment.ports import DeployError

SERVICE_FILE = ".agentic/service.json"
PYTHON_DEFAULT_START = ("python", "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", "$PORT")
SUPPORTED = ("python", "node", "go")
STORES = ("none", "postgresql", "dynamodb", "redis")


@dataclass(frozen=True)
class StoreProbe:
    """One record the deploy writes and reads back (REST), or sends as ``event`` (event pattern)."""

    path: str
    record: dict[str, object]
    event: str


@dataclass(frozen=True)
class ServiceManifest:
    language: str
    install: tuple[str, ...]
    start: tuple[str, ...]
    health: str = "/health"
    port_env: str = "PORT"
    database: str = "none"
    database_env: str | None = None
    pattern: str = "rest"
    event_source: str | None = None
    event_types: tuple[str, ...] = ()
    probe: StoreProbe | None = None

    @property
    def declares_store(self) -> bool:
        """Something the deploy can check before "verified": a store, a queue or a probe record."""
        return self.database != "none" or self.pattern == "event" or self.probe is not None

    def start_argv(self, port: int, python: Path) -> list[str]:
        """The start command with ``$PORT`` filled in; ``python`` means the deployment's own venv."""
        argv = [
            part.replace(f"${self.port_env}", str(port)).replace("$PORT", str(port)) for part in self.start
        ]
        if self.language == "python" and argv and argv[0] in ("python", "python3"):
            argv[0] = str(python)
        return argv


def _argv(raw: object, field: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(part, str) and part for part in raw):
        raise DeployError(
            f"{SERVICE_FILE}: '{field}' must be a non-empty list of strings (an argv)", retryable=False
        )
    return tuple(raw)


def read_manifest(src: Path) -> ServiceManifest:
    path = src / SERVICE_FILE
    if not path.is_file():
        return ServiceManifest(language="python", install=(), start=PYTHON_DEFAULT_START)
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise DeployError(f"{SERVICE_FILE} is not readable JSON: {exc}", retryable=False) from None
    if not isinstance(data, dict):
        raise DeployError(f"{SERVICE_FILE} must hold a JSON object", retryable=False)
    language = data.get("language")
    if language not in SUPPORTED:
        raise DeployError(
            f"{SERVICE_FILE}: language {language!r} is not one the local target runs "
            f"({', '.join(SUPPORTED)})",
            retryable=False,
        )
    health = data.get("health", "/health")
    if not isinstance(health, str) or not health.startswith("/"):
        raise DeployError(f"{SERVICE_FILE}: 'health' must be a path starting with '/'", retryable=False)
    database, database_env = _store(data)
    return ServiceManifest(
        language=language,
        install=_argv(data.get("install"), "install"),
        start=_argv(data.get("start"), "start"),
        health=health,
        port_env=str(data.get("port_env") or "PORT"),
        database=database,
        database_env=database_env,
        pattern="event" if data.get("pattern") == "event" else "rest",
        event_source=str(data["event_source"]) if data.get("event_source") else None,
        event_types=tuple(str(t) for t in data.get("event_types") or ()),
        probe=_probe(data.get("probe")),
    )


def _store(data: dict[str, object]) -> tuple[str, str | None]:
    """The declared store and the variable the service reads it from (a store with no variable is an
    error: the target could provision it but not point the service at it)."""
    database = data.get("database") or "none"
    if database not in STORES:
        raise DeployError(
            f"{SERVICE_FILE}: database {database!r} is not one the local target provisions "
            f"({', '.join(STORES)})",
            retryable=False,
        )
    env = data.get("database_env")
    if database != "none" and not (isinstance(env, str) and env):
        raise DeployError(
            f"{SERVICE_FILE}: database {database!r} is declared without 'database_env' (the variable the "
            "service reads it from); regenerate .agentic/service.json with the current codegen",
            retryable=False,
        )
    return str(database), env if isinstance(env, str) and env else None


def _probe(raw: object) -> StoreProbe | None:
    if raw is None:
        return None
    if not (
        isinstance(raw, dict)
        and isinstance(raw.get("path"), str)
        and str(raw["path"]).startswith("/")
        and isinstance(raw.get("record"), dict)
        and isinstance(raw.get("event"), str)
    ):
        raise DeployError(
            f"{SERVICE_FILE}: 'probe' must be an object with 'path' (starting with '/'), 'record' (an "
            "object) and 'event' (a string)",
            retryable=False,
        )
    return StoreProbe(path=raw["path"], record=dict(raw["record"]), event=raw["event"])
