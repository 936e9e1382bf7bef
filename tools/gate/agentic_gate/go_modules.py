"""The Go module files the templates ship: ``go.mod`` and ``go.sum`` produced by real ``go mod tidy``.

``templates/go/_modules/_requires.mod.j2`` pins the direct requirements (versions known to work with
the project's Go). For every pattern x database, ``regenerate`` renders the whole repository for the
gate's service, writes that go.mod, runs ``go mod tidy`` against the Go module proxy (checksums
verified against the checksum database) and stores the result as ``_<pattern>-<database>.mod.j2`` (the
module line templated) and ``_<pattern>-<database>.sum.j2``. Regenerate after changing a pin::

    uv run --frozen python -m agentic_gate.go_modules

Modules and builds are cached under ``go_cache()`` (the project's tools cache, never ``~/go``), so
the gate, the tests and the local deploy target download each module once.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from agentic_checks.toolchain import go_binary, go_cache, go_env
from agentic_codegen.logic.render import TEMPLATES
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from agentic_gate.combinations import Combination, render_to

PATTERNS = ("rest", "event")
DATABASES = ("none", "postgresql", "dynamodb", "redis")
MODULES = TEMPLATES / "go" / "_modules"
TIMEOUT_SECONDS = 900


def stored(pattern: str, database: str, kind: str) -> Path:
    """The stored ``mod`` or ``sum`` template of a combination."""
    return MODULES / f"_{pattern}-{database}.{kind}.j2"


def requires(pattern: str, database: str, service_name: str) -> str:
    """The go.mod with only the pinned direct requirements, before ``go mod tidy``."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # noqa: S701 - renders a go.mod
    )
    return env.get_template("go/_modules/_requires.mod.j2").render(
        service_name=service_name, pattern=pattern, database=database
    )


def regenerate(pattern: str, database: str, cache: Path) -> None:
    combination = Combination("go", database, pattern, "rolling", "sqs")
    with tempfile.TemporaryDirectory(prefix=f"go-modules-{pattern}-{database}-") as work:
        repo = render_to(combination, Path(work) / "repo")
        (repo / "go.sum").unlink(missing_ok=True)
        service_name = combination.parameters()["serviceName"]
        (repo / "go.mod").write_text(requires(pattern, database, service_name))
        module_line = f"module {service_name}\n"
        subprocess.run(
            [str(go_binary()), "mod", "tidy"],
            cwd=repo,
            env=go_env(cache) | {"GOFLAGS": "-mod=mod"},
            check=True,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
        )
        tidied = (repo / "go.mod").read_text()
        if not tidied.startswith(module_line):
            raise RuntimeError(f"go mod tidy moved the module line of {pattern}-{database}")
        stored(pattern, database, "mod").write_text(
            tidied.replace(module_line, "module {{ service_name }}\n", 1)
        )
        stored(pattern, database, "sum").write_text((repo / "go.sum").read_text())


if __name__ == "__main__":
    for pattern in PATTERNS:
        for database in DATABASES:
            regenerate(pattern, database, go_cache())
            print("regenerated", stored(pattern, database, "mod").name, file=sys.stderr)
