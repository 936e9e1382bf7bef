"""Lambda code without Docker: our own source as the function code, third-party wheels as a layer.

* Function code: the first-party packages a function's entry points reach (see ``imports``) plus the
  entry shim, copied fresh into a staging directory on every synth, so the asset is always today's code.
* Dependencies: ``python infra/package.py`` installs each service's requirement list, pinned by
  ``uv.lock``, as manylinux aarch64 / CPython 3.11 wheels (``uv pip install --python-platform``) into
  ``infra/build/layers/<service>/python``; synth turns that directory into a Lambda layer.
* Both carry their bytecode (``compiled``): Lambda's code directories are read-only, so a function
  without it compiles every module it imports from source at every cold start (the planner API's cold
  start: ~1.3 s from source, ~0.4 s from bytecode, bench/cold_start.py). Unchecked-hash pycs, as the
  files in a zip carry no trustworthy timestamps and never change once deployed; compiled by this
  CPython 3.11, the functions' runtime.
"""

from __future__ import annotations

import compileall
import json
import py_compile
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from agentic_infra.imports import REPO_ROOT, first_party_roots, import_closure

LAMBDA_PLATFORM = "aarch64-manylinux2014"
LAMBDA_PYTHON = "3.11"
BUILD_ROOT = REPO_ROOT / "infra" / "build"
ENTRY_SHIM = REPO_ROOT / "infra" / "lambda_entry" / "agentic_lambda_entry.py"
REQUIREMENTS = REPO_ROOT / "infra" / "requirements"
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", ".pytest_cache")


class PackagingError(RuntimeError):
    """A bundle cannot be built or is missing; the message says what to run."""


def compiled(root: Path, *, strict: bool = True) -> Path:
    """Write the bytecode of every module under ``root`` next to it (``__pycache__``); returns root.
    ``strict=False`` for third-party wheels, some of which ship files no Python 3 imports (left as is)."""
    if sys.version_info[:2] != tuple(int(n) for n in LAMBDA_PYTHON.split(".")):
        raise PackagingError(
            f"bytecode for Lambda's Python {LAMBDA_PYTHON} needs that Python, not {sys.version}"
        )
    done = compileall.compile_dir(
        root, quiet=2, workers=0, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH
    )
    if strict and not done:
        raise PackagingError(f"could not compile the modules under {root} to bytecode")
    return root


def layer_dir(service: str) -> Path:
    return BUILD_ROOT / "layers" / service


def stage_source(service: str, entry_modules: Iterable[str], dest: Path) -> list[str]:
    """Copy the packages the entry modules reach, and the entry shim, into ``dest`` (emptied first)."""
    roots = first_party_roots()
    packages = sorted(import_closure(entry_modules).packages)
    if f"agentic_{service}" not in packages:
        raise PackagingError(f"{service}: no entry module of agentic_{service} was found")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for package in packages:
        shutil.copytree(roots[package], dest / package, ignore=_IGNORED)
    shutil.copy2(ENTRY_SHIM, dest / ENTRY_SHIM.name)
    compiled(dest)
    return packages


def locked_constraints(target: Path) -> Path:
    """``uv export`` of the lock (runtime dependencies only) as a constraints file."""
    command = [
        sys.executable,
        "-m",
        "uv",
        "export",
        "--frozen",
        "--no-default-groups",
        "--no-hashes",
        "--no-emit-project",
        "--format",
        "requirements-txt",
        "--output-file",
        str(target),
    ]
    _run(command, "export the locked versions")
    return target


def build_layer(service: str, dest: Path | None = None) -> Path:
    """Install the service's requirements for the Lambda platform into ``<dest>/python``; returns dest."""
    requirements = REQUIREMENTS / f"{service}.txt"
    if not requirements.is_file():
        raise PackagingError(f"{service}: no requirement list at {requirements.relative_to(REPO_ROOT)}")
    dest = dest or layer_dir(service)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "python").mkdir(parents=True)
    constraints = locked_constraints(dest / "constraints.txt")
    _run(
        [
            sys.executable,
            "-m",
            "uv",
            "pip",
            "install",
            "--quiet",
            "--python-platform",
            LAMBDA_PLATFORM,
            "--python-version",
            LAMBDA_PYTHON,
            "--only-binary",
            ":all:",
            "--target",
            str(dest / "python"),
            "--constraint",
            str(constraints),
            "--requirement",
            str(requirements),
        ],
        f"install {service}'s wheels",
    )
    constraints.unlink()
    compiled(dest / "python", strict=False)
    size = sum(f.stat().st_size for f in (dest / "python").rglob("*") if f.is_file())
    (dest / "LAYER.json").write_text(
        json.dumps(
            {"service": service, "platform": LAMBDA_PLATFORM, "python": LAMBDA_PYTHON, "unzipped_bytes": size}
        )
    )
    return dest


def built_layer(service: str) -> Path | None:
    """The prebuilt layer directory of ``service`` (its ``python/`` parent), if ``package.py`` made one."""
    root = layer_dir(service)
    return root if (root / "LAYER.json").is_file() else None


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PackagingError(f"could not {what}: {result.stderr.strip()[-2000:]}")


def zip_lambda_services() -> list[str]:
    """Services with zip-packaged Lambda functions: Lambda services, and workers the topology gives an API."""
    from agentic_common.topology import default_topology  # noqa: PLC0415

    from agentic_infra.profiles import PROFILES  # noqa: PLC0415

    with_api = {r.service for r in default_topology().api_routes}
    return [
        p.name
        for p in PROFILES.values()
        if p.packaging == "zip" and (p.runtime == "lambda" or p.name in with_api)
    ]
