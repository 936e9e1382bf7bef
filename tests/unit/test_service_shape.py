"""Every service has the same shape (docs/CONVENTIONS: "The shape every service shares").

services/<name>/agentic_<name>/ holds an entry point (handler.py or worker.py), bootstrap.py with a
``build()``, settings.py with one settings class inheriting the shared ones, ports.py with every
Protocol of the service, logic/ that imports nothing from api/, adapters/ or the entry points,
adapters/, and optionally api/ (which reaches adapters only through bootstrap). Any other top-level
entry is a data directory (no Python in it). A deviation fails the test unless ALLOWED names it,
with the reason, so each exception is visible and can be removed when its service is reshaped.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SERVICES = Path(__file__).resolve().parents[2] / "services"
ENTRIES = {"handler.py", "worker.py"}
REQUIRED = {"bootstrap.py", "settings.py", "ports.py", "logic", "adapters"}
STANDARD = ENTRIES | REQUIRED | {"__init__.py", "__main__.py", "api", "__pycache__"}
OUTSIDE_LOGIC = ("api", "adapters", "handler", "worker", "bootstrap")
SERVICE_PACKAGES = {p.name for p in SERVICES.glob("*/agentic_*")}

# (package, deviation) -> why it is still there. Each entry is a known, reported deviation; remove it
# when the service is reshaped (the test then fails if the deviation comes back). Empty: all six
# services have the shape.
ALLOWED: dict[tuple[str, str], str] = {}


def packages() -> list[Path]:
    return sorted(p for p in SERVICES.glob("*/agentic_*") if p.is_dir())


def modules(root: Path) -> Iterator[Path]:
    yield from (p for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts)


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported(module: ast.Module) -> Iterator[str]:
    """Every module name an import statement names, at any depth (lazy imports included)."""
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def protocols(module: ast.Module) -> Iterator[str]:
    for node in ast.walk(module):
        if isinstance(node, ast.ClassDef) and any(
            (isinstance(b, ast.Name) and b.id == "Protocol")
            or (isinstance(b, ast.Attribute) and b.attr == "Protocol")
            for b in node.bases
        ):
            yield node.name


def outside_logic(target: str, own: str) -> bool:
    """``agentic_<this or any service>.api|adapters|handler|worker|bootstrap``: what logic must not import."""
    parts = target.split(".")
    return len(parts) > 1 and parts[0] in SERVICE_PACKAGES | {own} and parts[1] in OUTSIDE_LOGIC


def is_data_dir(path: Path) -> bool:
    return path.is_dir() and not any(modules(path))


def settings_deviations(module: ast.Module) -> list[str]:
    """One class, inheriting at least one settings class of ``agentic_common``."""
    shared = {
        alias.asname or alias.name
        for node in module.body
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("agentic_common")
        for alias in node.names
    }
    classes = [n for n in module.body if isinstance(n, ast.ClassDef)]
    if len(classes) != 1:
        return [f"settings.py declares {len(classes)} classes, not one"]
    bases = {b.id for b in classes[0].bases if isinstance(b, ast.Name)}
    return [] if bases & shared else [f"settings.py: {classes[0].name} inherits no shared settings"]


def deviations(package: Path) -> list[str]:
    """What in ``package`` departs from the shape, one readable line each."""
    name, found = package.name, []
    entries = {p.name for p in package.iterdir()}
    if not entries & ENTRIES:
        found.append("no entry point (handler.py or worker.py)")
    found += [f"no {missing}" for missing in sorted(REQUIRED - entries)]
    found += [
        f"top-level {extra} is neither a standard part nor a data directory"
        for extra in sorted(entries - STANDARD)
        if not is_data_dir(package / extra)
    ]
    if "bootstrap.py" in entries:
        bootstrap = tree(package / "bootstrap.py")
        if not any(isinstance(n, ast.FunctionDef) and n.name == "build" for n in bootstrap.body):
            found.append("bootstrap.py has no build()")
    if "settings.py" in entries:
        found += settings_deviations(tree(package / "settings.py"))
    for path in modules(package):
        relative = path.relative_to(package).as_posix()
        module = tree(path)
        if relative != "ports.py":
            found += [f"Protocol {p} in {relative}, not in ports.py" for p in protocols(module)]
        if relative.startswith("logic/"):
            found += [
                f"logic/ imports {target} ({relative})"
                for target in sorted(set(imported(module)))
                if outside_logic(target, name)
            ]
        if relative.startswith("api/"):
            found += [
                f"api/ imports {target} ({relative})"
                for target in sorted(set(imported(module)))
                if target.split(".")[:2] == [name, "adapters"]
            ]
    return found


@pytest.mark.parametrize("package", packages(), ids=lambda p: p.name)
def test_the_service_has_the_shared_shape(package: Path) -> None:
    # Given the service's package / When its shape is read
    found = deviations(package)

    # Then every deviation is one the allow-list names, with its reason
    unexplained = [d for d in found if (package.name, d) not in ALLOWED]
    assert unexplained == [], "\n".join(unexplained)


def test_every_allowed_deviation_is_still_there() -> None:
    # Given the allow-list / When the services are read
    present = {(p.name, d) for p in packages() for d in deviations(p)}

    # Then no entry outlives its deviation (a fixed service leaves the list)
    assert sorted(set(ALLOWED) - present) == []


def test_the_rule_finds_a_logic_module_that_imports_an_adapter(tmp_path: Path) -> None:
    # Given a service whose logic imports its adapters and declares a Protocol
    package = tmp_path / "agentic_demo"
    for folder in ("logic", "adapters"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    for file in ("worker.py", "ports.py"):
        (package / file).write_text("")
    (package / "bootstrap.py").write_text("def build() -> None: ...\n")
    (package / "settings.py").write_text(
        "from agentic_common.settings import CommonSettings\n\nclass DemoSettings(CommonSettings): ...\n"
    )
    (package / "logic" / "use.py").write_text(
        "from typing import Protocol\n\n"
        "def run() -> None:\n    from agentic_demo.adapters.db import Db\n\n"
        "class Store(Protocol): ...\n"
    )

    # When its shape is read
    found = deviations(package)

    # Then both deviations are named
    assert found == [
        "Protocol Store in logic/use.py, not in ports.py",
        "logic/ imports agentic_demo.adapters.db (logic/use.py)",
        "logic/ imports agentic_demo.adapters.db.Db (logic/use.py)",
    ]
