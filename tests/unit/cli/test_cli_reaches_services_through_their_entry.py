"""The CLI drives a service through its public entry (bootstrap), never through its logic package."""

from __future__ import annotations

import ast
from pathlib import Path

CLI = Path(__file__).resolve().parents[3] / "libs/cli/agentic_cli"
SERVICES = ("planner", "codegen", "deployment", "policy", "remediation", "observability")


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_cli_module_imports_the_logic_package_of_a_service():
    # Given every module of the CLI and what it imports (module level and inside functions)
    imports = {path.name: _imported_modules(path) for path in sorted(CLI.rglob("*.py"))}
    # Then none of them reaches into a service's use cases and rules
    logic = tuple(f"agentic_{service}.logic" for service in SERVICES)
    offending = {name: sorted(m for m in found if m.startswith(logic)) for name, found in imports.items()}
    assert {name: found for name, found in offending.items() if found} == {}
    # And the walk did see the CLI's own modules (an empty walk proves nothing)
    assert "policy.py" in imports
