"""Which files the local gateway serves under /console/, from a built console folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from agentic_local.console_assets import console_file, is_console, missing_detail


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "dist" / "assets").mkdir(parents=True)
    (tmp_path / "dist" / "index.html").write_text("<html>console</html>")
    (tmp_path / "dist" / "assets" / "index-abc.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("not served")
    return tmp_path / "dist"


def test_the_console_root_is_its_index_page_never_cached(dist: Path) -> None:
    found = console_file("/console/", dist)
    assert found is not None
    assert found[0] == b"<html>console</html>"
    assert found[1] == {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache"}


def test_a_hashed_bundle_is_served_with_its_type_and_cached(dist: Path) -> None:
    found = console_file("/console/assets/index-abc.js", dist)
    assert found is not None
    assert found[1]["Content-Type"] == "text/javascript; charset=utf-8"
    assert found[1]["Cache-Control"] == "max-age=86400"


@pytest.mark.parametrize(
    "path", ["/console/../secret.txt", "/console/assets/../../secret.txt", "/console/nope.js"]
)
def test_nothing_outside_the_built_folder_or_missing_is_served(dist: Path, path: str) -> None:
    assert console_file(path, dist) is None


def test_an_unbuilt_console_says_which_command_builds_it(tmp_path: Path) -> None:
    assert "run `make console`" in missing_detail("/console/", tmp_path / "dist")


def test_only_the_console_prefix_is_the_console() -> None:
    assert [is_console(p) for p in ("/console", "/console/x", "/consoles", "/workflows")] == [
        True,
        True,
        False,
        False,
    ]
