"""The Go module files the templates ship match their pins (no network: ``go mod edit -json`` only).

They are produced by real ``go mod tidy`` (``python -m agentic_gate.go_modules``); the gate test
(``tests/integration/codegen/test_codegen_gate_go.py``) checks ``go mod tidy -diff`` finds nothing to change.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from agentic_checks.toolchain import go_binary
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_gate.go_modules import DATABASES, MODULES, PATTERNS, requires, stored

COMBINATIONS = [(pattern, database) for pattern in PATTERNS for database in DATABASES]


def _requirements(go_mod: str, tmp_path: Path) -> dict[str, tuple[str, bool]]:
    """Module → (version, indirect), as the go command parses the file."""
    (tmp_path / "go.mod").write_text(go_mod)
    parsed = subprocess.run(
        [str(go_binary()), "mod", "edit", "-json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={"GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod", "HOME": str(tmp_path)},
    )
    return {r["Path"]: (r["Version"], bool(r.get("Indirect"))) for r in json.loads(parsed.stdout)["Require"]}


@pytest.mark.parametrize(("pattern", "database"), COMBINATIONS)
def test_the_tidied_go_mod_keeps_exactly_the_pinned_direct_requirements(
    tmp_path: Path, pattern: str, database: str
) -> None:
    # Given the pins and the stored, tidied go.mod of a combination
    pins = _requirements(requires(pattern, database, "orders-svc"), tmp_path)
    tidied = _requirements(
        stored(pattern, database, "mod").read_text().replace("{{ service_name }}", "x"), tmp_path
    )

    # When the direct requirements of the tidied file are read
    direct = {module: version for module, (version, indirect) in tidied.items() if not indirect}

    # Then they are the pins, at the pinned versions
    assert direct == {module: version for module, (version, _) in pins.items()}


@pytest.mark.parametrize(("pattern", "database"), COMBINATIONS)
def test_a_rendered_go_service_carries_its_combinations_go_mod_and_go_sum(
    pattern: str, database: str
) -> None:
    # Given a Go service rendered for the combination
    parameters = {"serviceName": "orders-svc", "language": "go", "database": database, "pattern": pattern}
    files = TemplateRenderer().render(parse_parameters(parameters))

    # Then its go.mod names the service and its go.sum is the stored one, a checksum line per module file
    assert files["go.mod"].startswith(b"module orders-svc\n")
    assert files["go.sum"] == stored(pattern, database, "sum").read_bytes()
    assert all(line.count(" ") == 2 and " h1:" in line for line in files["go.sum"].decode().splitlines())


def test_no_module_file_is_stored_for_a_combination_the_catalogue_does_not_offer() -> None:
    expected = {stored(p, d, kind).name for p, d in COMBINATIONS for kind in ("mod", "sum")}
    assert {path.name for path in MODULES.glob("_*-*.j2")} == expected
