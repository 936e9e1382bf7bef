"""``make tools`` installs the suite's npm packages with ``npm ci``, once per package-lock.json (real npm).

The project under test depends only on a local folder (``file:./dep``), so npm needs no registry.
``npm ci`` empties node_modules before installing: a file left there shows whether it ran.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.tools import NODE_PROJECTS, NODE_STAMP, ensure_node_packages, locate, node_cache_root


@pytest.fixture(autouse=True)
def node_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path_factory.mktemp("node-cache")
    monkeypatch.setenv("AGENTIC_NODE_CACHE", str(cache))
    return cache


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "dep").mkdir()
    (tmp_path / "dep" / "package.json").write_text(json.dumps({"name": "dep", "version": "1.0.0"}))
    manifest = {"name": "probe", "version": "1.0.0", "private": True, "dependencies": {"dep": "file:./dep"}}
    (tmp_path / "package.json").write_text(json.dumps(manifest))
    npm = [str(locate("npm")), "install", "--package-lock-only", "--no-audit", "--no-fund"]
    subprocess.run(npm, cwd=tmp_path, check=True, capture_output=True)
    return tmp_path


def test_a_project_without_node_modules_is_installed_and_stamped_with_its_lock(project: Path) -> None:
    # When the packages are ensured for the first time
    said = ensure_node_packages(project)
    # Then npm ci installed the dependency and the stamp names the lock
    assert said == f"installed the npm packages of {project.name} (package-lock.json)"
    assert (project / "node_modules" / "dep" / "package.json").is_file()
    assert (project / "node_modules" / NODE_STAMP).is_file()


def test_a_second_run_with_the_same_lock_does_nothing(project: Path) -> None:
    # Given installed packages and a file npm ci would remove
    ensure_node_packages(project)
    sentinel = project / "node_modules" / "left-here"
    sentinel.write_text("x")
    # When ensured again
    said = ensure_node_packages(project)
    # Then nothing ran
    assert said is None
    assert sentinel.is_file()


def test_a_changed_lock_installs_again(project: Path) -> None:
    # Given installed packages, then a lock that changed
    ensure_node_packages(project)
    sentinel = project / "node_modules" / "left-here"
    sentinel.write_text("x")
    lock = json.loads((project / "package-lock.json").read_text())
    lock["name"] = "probe-renamed"
    (project / "package-lock.json").write_text(json.dumps(lock))
    # When ensured / Then npm ci ran again
    assert ensure_node_packages(project) is not None
    assert not sentinel.exists()


def test_a_new_clone_with_the_same_lock_copies_the_kept_tree_instead_of_running_npm(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Given packages installed once (npm ci), and a mark left in the tree kept by lock digest
    ensure_node_packages(project)
    (kept,) = (node_cache_root()).glob(f"{project.name}-*/node_modules")
    (kept / "kept-mark").write_text("x")
    # When a clone of the project in another folder (same name, same lock, no node_modules) is ensured
    clone = tmp_path_factory.mktemp("clone") / project.name
    shutil.copytree(project, clone, ignore=shutil.ignore_patterns("node_modules"))
    said = ensure_node_packages(clone)
    # Then the kept tree was copied (npm ci would have emptied node_modules), stamp and dependency included
    assert said is not None
    assert said.startswith(f"copied the npm packages of {project.name}")
    assert (clone / "node_modules" / "kept-mark").is_file()
    assert (clone / "node_modules" / "dep" / "package.json").is_file()
    assert (clone / "node_modules" / NODE_STAMP).is_file()


def test_a_failing_install_says_what_npm_answered(project: Path) -> None:
    # Given a lock that does not match its package.json
    (project / "package.json").write_text(json.dumps({"name": "probe", "dependencies": {"other": "1.0.0"}}))
    # When ensured / Then the error carries npm's answer and no stamp is written
    with pytest.raises(RuntimeError, match=r"`npm ci` in .* failed"):
        ensure_node_packages(project)
    assert not (project / "node_modules" / NODE_STAMP).exists()


def test_the_backstage_validator_swagger_ui_and_the_plugin_are_the_suites_node_projects() -> None:
    assert [p.name for p in NODE_PROJECTS] == ["validator", "swagger_ui", "agentic-workflow"]
    assert all((p / "package-lock.json").is_file() for p in NODE_PROJECTS)
