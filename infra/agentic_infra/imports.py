"""Which of our packages and which third-party distributions a service's entry points reach.

A static walk over the import statements (module level and inside functions) of every module reachable
from the entry modules, following only our own ``agentic_*`` packages. Packaging uses it to copy exactly
the first-party packages a service needs; a test uses it to prove each service's requirement list
covers every third-party import.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {"templates", "__pycache__"}  # codegen's templates are data, not code we import


def first_party_roots(repo: Path = REPO_ROOT) -> dict[str, Path]:
    """Top-level package name → its directory, for every ``agentic_*`` package under libs/ and services/."""
    roots: dict[str, Path] = {}
    for pattern in ("libs/*/agentic_*", "services/*/agentic_*"):
        for path in sorted(repo.glob(pattern)):
            if (path / "__init__.py").is_file():
                roots[path.name] = path
    return roots


@dataclass
class ImportClosure:
    packages: set[str] = field(default_factory=set)  # our top-level packages
    third_party: set[str] = field(default_factory=set)  # top-level import names
    third_party_modules: set[str] = field(default_factory=set)  # full names (``from a.b import c``: a.b.c)


def _module_file(roots: dict[str, Path], module: str) -> Path | None:
    top, *rest = module.split(".")
    if top not in roots:
        return None
    base = roots[top].joinpath(*rest)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file() and not SKIPPED_DIRS.intersection(candidate.parts):
            return candidate
    return None


def _imported_names(path: Path, module: str) -> Iterable[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_closure(entry_modules: Iterable[str], repo: Path = REPO_ROOT) -> ImportClosure:
    roots = first_party_roots(repo)
    closure = ImportClosure()
    seen: set[str] = set()
    pending = list(entry_modules)
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        top = module.split(".")[0]
        path = _module_file(roots, module)
        if top in roots:
            closure.packages.add(top)
        if path is None:
            if top not in roots and top not in sys.stdlib_module_names and top != "__future__":
                closure.third_party.add(top)
                closure.third_party_modules.add(module)
            continue
        pending.extend(_imported_names(path, module))
    return closure
