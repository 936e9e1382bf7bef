"""Tooling that is not part of a service's runtime (CI harnesses, generators) ships in no Lambda package."""

from __future__ import annotations

from agentic_common.topology import default_topology
from agentic_infra.constructs.functions import entry_modules
from agentic_infra.imports import REPO_ROOT
from agentic_infra.packaging import stage_source
from agentic_infra.profiles import PROFILES


def test_the_codegen_lambda_source_carries_no_quality_gate(tmp_path):
    # Given the staged Lambda source of codegen (its entry points and every package they reach)
    packages = stage_source("codegen", entry_modules(PROFILES["codegen"], default_topology()), tmp_path)
    # Then the quality gate (a CI harness, tools/gate) is neither one of its packages nor a folder of codegen
    assert "agentic_codegen" in packages
    assert "agentic_gate" not in packages
    assert not (tmp_path / "agentic_codegen" / "gate").exists()
    # And the gate is where the tests and `make gate` import it from
    assert (REPO_ROOT / "tools/gate/agentic_gate/__main__.py").is_file()
