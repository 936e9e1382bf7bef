"""Where the store servers' binaries are, and the install command when one is missing.

PostgreSQL 15 and Redis come from Debian 12 packages (``make tools`` installs them); Debian puts the
PostgreSQL server binaries off PATH, in ``/usr/lib/postgresql/15/bin``.
"""

from __future__ import annotations

import os
import pwd
import shutil
from pathlib import Path
from typing import Any

from agentic_deployment.ports import DeployError

POSTGRESQL_BIN = Path("/usr/lib/postgresql/15/bin")
PACKAGES = {"postgresql": "postgresql-15", "redis": "redis-server"}


def install_command(store: str) -> str:
    return f"apt-get update && apt-get install -y --no-install-recommends {PACKAGES[store]}"


def locate(binary: str, store: str) -> str:
    """The binary's path, or a non-retryable DeployError naming it and how to install it."""
    folders = (POSTGRESQL_BIN,) if store == "postgresql" else ()
    for folder in folders:
        candidate = folder / binary
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(binary)
    if found:
        return found
    where = "".join(f"in {folder} or " for folder in folders) + "on PATH"
    raise DeployError(
        f"the service declares {store} but the {binary} binary is not {where}, so the local target "
        "cannot provision it (it never falls back to memory): "
        f"run `make tools` or `{install_command(store)}`",
        retryable=False,
    )


def postgres_user() -> dict[str, Any]:
    """PostgreSQL refuses to run as root: then it runs as the "postgres" user its package created."""
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise DeployError(
            "PostgreSQL refuses to run as root and this machine has no postgres user to run it as: "
            f"run `{install_command('postgresql')}` (it creates the user)",
            retryable=False,
        ) from None
    return {"user": "postgres", "group": "postgres", "extra_groups": []}
