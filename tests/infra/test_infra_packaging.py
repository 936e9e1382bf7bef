"""Packaging: staged source, requirement lists covering every import, Dockerfiles, the wheels layer."""

from __future__ import annotations

import re
import subprocess
from importlib import metadata

import pytest
from agentic_common.topology import default_topology
from agentic_infra.constructs.functions import entry_modules
from agentic_infra.imports import REPO_ROOT, import_closure
from agentic_infra.packaging import REQUIREMENTS, build_layer, stage_source
from agentic_infra.profiles import PROFILES

TOPOLOGY = default_topology()
DOCKERFILES = {
    **{p.name: f"services/{p.name}/Dockerfile" for p in PROFILES.values() if p.runtime == "fargate"},
    "policy": "infra/images/policy-lambda/Dockerfile",
}


def _entries(service: str) -> list[str]:
    profile = PROFILES[service]
    entries = entry_modules(profile, TOPOLOGY)
    return [*entries, f"agentic_{service}.__main__"] if profile.runtime == "fargate" else entries


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_closure(service: str) -> set[str]:
    """Distributions the requirement list installs: its names and, transitively, their dependencies."""
    lines = [line.strip() for line in (REQUIREMENTS / f"{service}.txt").read_text().splitlines()]
    pending = [re.split(r"[\[<>=;\s]", line)[0] for line in lines if line and not line.startswith("#")]
    seen: set[str] = set()
    while pending:
        name = _normalise(pending.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        pending += [re.split(r"[\[<>=;!~\s(]", r)[0] for r in requires]
    return seen


def test_staged_source_holds_exactly_the_packages_the_entry_points_reach(tmp_path):
    # Given the planner's entry modules
    packages = stage_source("planner", _entries("planner"), tmp_path / "planner")
    # Then its own package and the shared contracts are there, no other service's, no bytecode caches
    assert {"agentic_common", "agentic_planner"} <= set(packages)
    assert "agentic_codegen" not in packages
    staged = {p.name for p in (tmp_path / "planner").iterdir()}
    assert staged == {*packages, "agentic_lambda_entry.py"}
    assert not list((tmp_path / "planner").rglob("__pycache__"))


@pytest.mark.parametrize("service", sorted(PROFILES))
def test_each_requirement_list_covers_every_third_party_import_of_the_service(service):
    # Given what the service's entry points import, statically, through our packages
    needed = import_closure(_entries(service)).third_party
    distributions = metadata.packages_distributions()
    # Then every import is installed by the service's requirement list (directly or as a dependency)
    provided = _requirement_closure(service)
    missing = {
        name for name in needed if not {_normalise(d) for d in distributions.get(name, [name])} & provided
    }
    assert not missing, f"add to infra/requirements/{service}.txt: {sorted(missing)}"


@pytest.mark.parametrize(("service", "dockerfile"), sorted(DOCKERFILES.items()))
def test_each_dockerfile_is_hadolint_clean(service, dockerfile):
    result = subprocess.run(
        [str(REPO_ROOT / ".venv/bin/hadolint"), str(REPO_ROOT / dockerfile)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("service", "dockerfile"), sorted(DOCKERFILES.items()))
def test_each_image_copies_every_package_the_service_reaches(service, dockerfile):
    text = (REPO_ROOT / dockerfile).read_text()
    copied = set(re.findall(r"^COPY (?:libs|services)/\w+/(agentic_\w+) ", text, flags=re.MULTILINE))
    assert import_closure(_entries(service)).packages <= copied
    assert f"infra/requirements/{service}.txt" in text


@pytest.mark.slow
def test_the_wheels_layer_holds_aarch64_binaries_for_the_lambda_platform(tmp_path):
    # Given the planner's requirement list / When its layer is built (uv, wheels only, from the lock)
    layer = build_layer("planner", tmp_path / "layer")
    # Then compiled extensions are aarch64 ELF objects (e_machine 183), ready for an arm64 function
    [core] = list((layer / "python" / "pydantic_core").glob("_pydantic_core*.so"))
    header = core.read_bytes()[:20]
    assert header[:4] == b"\x7fELF"
    assert int.from_bytes(header[18:20], "little") == 183
    assert (layer / "LAYER.json").is_file()
    assert sum(f.stat().st_size for f in layer.rglob("*") if f.is_file()) < 250 * 1024 * 1024
