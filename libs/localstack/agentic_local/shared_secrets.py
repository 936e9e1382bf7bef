"""The local stack's webhook secrets: one random value per shared-secret route, kept under AGENTIC_HOME.

Each route of the topology with ``shared_secret`` gets a value generated once into
``$AGENTIC_HOME/auth/<logical>-token`` (mode 0600, so it survives restarts and Alertmanager can read it
with ``credentials_file``), and ``agentic up`` puts it into the local AWS's Secrets Manager under the
same name as in AWS (``<prefix>/<logical>``, JSON ``{"token": ...}``), where the handler reads it.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from agentic_common.shared_secret import VALUE_KEY, secret_name
from agentic_common.topology import Topology

TOKEN_BYTES = 32


def token_path(home: Path, logical: str) -> Path:
    return home / "auth" / f"{logical}-token"


def ensure_token(home: Path, logical: str) -> str:
    """The route's secret value, generated on first use and then read from its file."""
    path = token_path(home, logical)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(TOKEN_BYTES))
    return path.read_text().strip()


def put_secret(client: Any, name: str, value: str) -> None:
    """Create or update a ``{"token": value}`` secret (idempotent)."""
    text = json.dumps({VALUE_KEY: value})
    try:
        client.create_secret(Name=name, SecretString=text, Description="webhook shared secret (local)")
    except client.exceptions.ResourceExistsException:
        client.put_secret_value(SecretId=name, SecretString=text)


def seed_shared_secrets(topology: Topology, prefix: str, home: Path, client: Any) -> list[str]:
    """Put every shared-secret route's value into Secrets Manager; returns the secret names."""
    names = []
    for logical in sorted({r.shared_secret for r in topology.api_routes if r.shared_secret}):
        name = secret_name(prefix, logical)
        put_secret(client, name, ensure_token(home, logical))
        names.append(name)
    return names
