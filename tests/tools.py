"""The machine tools the suite needs beyond the locked Python packages: where each is found, how to get it.

One table, two callers: the tests locate a binary here and fail with the install command when it is
missing (never skip), and ``scripts/ensure_tools.py`` (``make tools``, run by ``make test`` and
``make up``) installs what is missing. Standard library only: the install script runs this module with
the machine's python3, before the project's virtualenv exists.

Binaries that come with the locked Python packages (hadolint, helm, go, checkov) are located by
``agentic_checks.toolchain``; uv by ``agentic_deployment.adapters.local.python_env.find_uv``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

POSTGRESQL_BIN = Path("/usr/lib/postgresql/15/bin")
"""Where Debian 12's ``postgresql-15`` puts the server binaries (not on PATH)."""


class ToolNotFoundError(RuntimeError):
    """A tool the suite needs is not on this machine; the message says how to install it."""


@dataclass(frozen=True)
class Tool:
    name: str
    binaries: tuple[str, ...]
    package: str | None
    """The Debian 12 package that brings every binary; None when the project does not install it."""
    folders: tuple[Path, ...] = ()
    """Searched before PATH."""
    instructions: str = ""
    """How to get it when there is no package for the project to install."""

    def find(self, binary: str) -> Path | None:
        for folder in self.folders:
            candidate = folder / binary
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return candidate
        found = shutil.which(binary)
        return Path(found) if found else None

    def missing(self) -> list[str]:
        return [binary for binary in self.binaries if self.find(binary) is None]

    def install_command(self) -> str:
        if self.package is None:
            return self.instructions
        return f"apt-get update && apt-get install -y --no-install-recommends {self.package}"

    def not_found(self, binary: str) -> str:
        where = "".join(f"in {folder} or " for folder in self.folders) + "on PATH"
        if self.package is None:
            return f"{self.name} not found ({binary} {where}): {self.instructions}"
        return f"{self.name} not found ({binary} {where}): run `make tools` or `{self.install_command()}`"


TOOLS = (
    Tool("git", ("git",), "git"),
    Tool(
        "PostgreSQL 15 server binaries",
        ("postgres", "initdb", "psql"),
        "postgresql-15",
        folders=(POSTGRESQL_BIN,),
    ),
    Tool("Redis server", ("redis-server", "redis-cli"), "redis-server"),
    Tool("Chromium (the console's browser tests drive it)", ("chromium",), "chromium"),
    Tool(
        "Node.js 20 with npm",
        ("node", "npm"),
        None,
        instructions="install Node.js 20 with npm: https://nodejs.org/en/download (on Debian: NodeSource)",
    ),
)


def locate(binary: str) -> Path:
    """The binary's path, or ToolNotFoundError naming the command that installs it."""
    tool = next((tool for tool in TOOLS if binary in tool.binaries), None)
    if tool is None:
        raise KeyError(f"{binary} is not in tests/tools.py's table")
    found = tool.find(binary)
    if found is None:
        raise ToolNotFoundError(tool.not_found(binary))
    return found


def missing_tools() -> list[Tool]:
    return [tool for tool in TOOLS if tool.missing()]


NODE_PROJECTS = (
    Path(__file__).resolve().parents[1] / "backstage" / "validator",
    Path(__file__).resolve().parents[1] / "libs" / "localstack" / "agentic_local" / "swagger_ui",
    Path(__file__).resolve().parents[1] / "plugins" / "agentic-workflow",
)
"""Folders with a package.json and package-lock.json the suite runs (``npm ci`` installs them)."""
NODE_STAMP = ".agentic-lock-sha256"


def node_cache_root() -> Path:
    """Where installed node_modules trees are kept by lock digest: ``AGENTIC_NODE_CACHE`` or the XDG cache."""
    if configured := os.environ.get("AGENTIC_NODE_CACHE"):
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "agentic" / "node_modules"


def npm_cache_root() -> Path:
    """npm's download cache for the tests that install generated Node projects (``npm ci --prefer-offline``
    of their lock files): ``AGENTIC_NPM_CACHE`` or the XDG cache, like the Go cache, so a new clone starts
    warm. Only downloads are kept there; every install still builds a fresh node_modules from its lock."""
    if configured := os.environ.get("AGENTIC_NPM_CACHE"):
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "agentic" / "npm"


def ensure_node_packages(folder: Path, cache: Path | None = None) -> str | None:
    """``npm ci`` in ``folder`` unless its node_modules already holds exactly its package-lock.json.

    Idempotent: the lock's sha256 is stamped into node_modules after a successful install, and a
    second call with the same lock does nothing (returns None). A tree ``npm ci`` installed is also
    kept under ``cache`` (default ``node_cache_root()``) by folder name and lock digest, as a CI cache
    keyed on the lock file is: a new clone with the same lock copies it (seconds) instead of running
    ``npm ci`` again (minutes for the Backstage plugin's 2,000 packages). Raises ToolNotFoundError without
    node/npm, RuntimeError with npm's output when the install fails.
    """
    lock = hashlib.sha256((folder / "package-lock.json").read_bytes()).hexdigest()
    stamp = folder / "node_modules" / NODE_STAMP
    kept = (cache or node_cache_root()) / f"{folder.name}-{lock[:32]}" / "node_modules"
    if stamp.is_file() and stamp.read_text().strip() == lock:
        if not (kept / NODE_STAMP).is_file():  # installed before the cache existed: keep it now
            _copy_tree(stamp.parent, kept)
        return None
    if (kept / NODE_STAMP).is_file() and _copy_tree(kept, folder / "node_modules"):
        return f"copied the npm packages of {folder.name} from {kept.parent} (same package-lock.json)"
    npm = locate("npm")
    command = [
        str(npm),
        "ci",
        "--prefer-offline",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
    ]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"`npm ci` in {folder.name} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    stamp.parent.mkdir(exist_ok=True)  # a lock without dependencies makes no node_modules
    stamp.write_text(lock + "\n")
    _copy_tree(folder / "node_modules", kept)  # best effort: a failed copy only costs the next clone time
    return f"installed the npm packages of {folder.name} (package-lock.json)"


def _copy_tree(source: Path, target: Path) -> bool:
    """Copy ``source`` to ``target`` through a temporary sibling renamed into place (never half a tree)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    copied = subprocess.run(["cp", "-a", str(source), str(partial)], capture_output=True, check=False)
    if copied.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        return False
    shutil.rmtree(target, ignore_errors=True)
    try:
        partial.rename(target)
    except OSError:  # another process put its copy there first: theirs is the same tree
        shutil.rmtree(partial, ignore_errors=True)
    return (target / NODE_STAMP).is_file()
