"""``make tools``: install what the test suite needs and this machine lacks; a second run does nothing.

- uv, at the version pyproject.toml pins, when no ``uv`` is on PATH: pip installs it into
  ``/usr/local/lib/uv-<version>`` (root) or ``~/.local/lib/uv-<version>`` (anyone else) and links
  ``bin/uv`` beside it (the Makefile adds ``~/.local/bin`` to PATH).
- The Debian packages of the table in ``tests/tools.py`` (PostgreSQL 15, Redis, git) with apt-get, as
  root only; anyone else gets the exact command and a non-zero exit. Services are not started by the
  install: the tests start their own servers on loopback.
- The npm packages of the suite's Node projects (``tests.tools.NODE_PROJECTS``: the Backstage
  template validator, Swagger UI, the Backstage plugin) with ``npm ci --prefer-offline``, only when
  node_modules does not hold their lock already.
Prints one line per tool installed, nothing when everything is there. ``--uv-only`` stops after uv.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.tools import (  # noqa: E402 - after the repository is importable
    NODE_PROJECTS,
    Tool,
    ToolNotFoundError,
    ensure_node_packages,
    missing_tools,
)

POLICY_RC = Path("/usr/sbin/policy-rc.d")


class InstallError(RuntimeError):
    """Something is missing and cannot be installed from here; the message says what to run."""


def pinned_uv() -> str:
    pin = re.search(r'"uv==([0-9][^"]*)"', (REPO_ROOT / "pyproject.toml").read_text())
    if pin is None:
        raise InstallError('pyproject.toml pins no "uv==<version>" dependency')
    return pin.group(1)


def _run(command: list[str], what: str, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise InstallError(f"{what} failed (`{' '.join(command)}`):\n{(done.stdout + done.stderr)[-3000:]}")


def _has_pip() -> bool:
    probe = [sys.executable, "-m", "pip", "--version"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


def ensure_uv(root: bool, prefix: Path | None = None) -> str | None:
    """None when uv is there; else installs the pinned uv and says where."""
    prefix = prefix or (Path("/usr/local") if root else Path.home() / ".local")
    link = prefix / "bin" / "uv"
    if shutil.which("uv") or link.is_file():
        return None
    version = pinned_uv()
    if not _has_pip():
        if not root:
            raise InstallError(f"uv is missing and {sys.executable} has no pip: as root, run `make tools`")
        apt_install(["python3-pip"])
    target = prefix / "lib" / f"uv-{version}"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run([*pip, "--no-warn-script-location", "--target", str(target), f"uv=={version}"], "pip install uv")
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(target / "bin" / "uv")
    return f"installed uv {version}: {link}"


@contextmanager
def services_not_started() -> Iterator[None]:
    """Debian's maintainer scripts ask policy-rc.d before starting a service: 101 means "don't"."""
    if POLICY_RC.exists():
        yield
        return
    POLICY_RC.write_text("#!/bin/sh\n# written by scripts/ensure_tools.py during apt-get install\nexit 101\n")
    POLICY_RC.chmod(0o755)
    try:
        yield
    finally:
        POLICY_RC.unlink(missing_ok=True)


def apt_install(packages: list[str]) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with services_not_started():
        _run(["apt-get", "update", "-qq"], "apt-get update", env)
        install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]
        _run(install, "apt-get install", env)


def install_command(tools: list[Tool]) -> str:
    packages = " ".join(tool.package for tool in tools if tool.package)
    return f"apt-get update && apt-get install -y --no-install-recommends {packages}"


def ensure_packages(root: bool, missing: list[Tool]) -> list[str]:
    """One line per tool installed; InstallError with the exact command when this user cannot install."""
    if not missing:
        return []
    names = ", ".join(f"{tool.name} ({', '.join(tool.missing())})" for tool in missing)
    unpackaged = [tool for tool in missing if tool.package is None]
    if unpackaged:
        raise InstallError(f"missing {names}: " + "; ".join(tool.instructions for tool in unpackaged))
    if not root:
        raise InstallError(f"missing {names}. As root, run:\n  {install_command(missing)}")
    if shutil.which("apt-get") is None:
        packages = ", ".join(str(tool.package) for tool in missing)
        raise InstallError(f"missing {names}, and this machine has no apt-get: install {packages}")
    apt_install([str(tool.package) for tool in missing])
    still = [f"{tool.name} ({', '.join(tool.missing())})" for tool in missing if tool.missing()]
    if still:
        raise InstallError(
            f"apt-get installed {install_command(missing)} but these are still missing: {still}"
        )
    return [
        f"installed {tool.name} (Debian {tool.package}): {tool.find(tool.binaries[0])}" for tool in missing
    ]


def main(argv: list[str]) -> int:
    root = os.geteuid() == 0
    started = time.monotonic()
    try:
        lines = [line for line in [ensure_uv(root)] if line]
        if "--uv-only" not in argv:
            lines += ensure_packages(root, missing_tools())
            lines += [line for folder in NODE_PROJECTS if (line := ensure_node_packages(folder))]
    except (InstallError, ToolNotFoundError, RuntimeError) as exc:
        print(f"make tools: {exc}", file=sys.stderr)
        return 1
    for line in lines:
        print(f"make tools: {line}")
    if lines:
        print(f"make tools: done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
