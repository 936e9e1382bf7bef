"""`agentic policy test` and `agentic policy validate PATH`, offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from agentic_cli.main import main
from policy_unit_fixtures import clean_files


def test_policy_test_runs_every_fixture_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "test"]) == 0
    out = capsys.readouterr().out
    assert "ok   DOCKER-001   fail base image python:latest is not pinned" in out
    assert out.strip().endswith("0 failed")


def test_policy_validate_blocks_a_directory_with_an_unpinned_base_image(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a clean repository on disk, except that its base image is python:latest (and a .git folder)
    for path, content in clean_files().items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        unpinned = content.replace(b"FROM python:3.11.10-slim\nRUN", b"FROM python:latest\nRUN")
        (tmp_path / path).write_bytes(unpinned)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("password = hunter2hunter2\n")

    # When validated for staging / Then it exits 1 and names DOCKER-001 as blocking; .git was not read
    assert main(["policy", "validate", str(tmp_path), "--environment", "staging"]) == 1
    out = capsys.readouterr().out
    assert "BLOCKS high     DOCKER-001" in out
    assert ".git/config" not in out

    # And the clean repository passes prod
    (tmp_path / "Dockerfile").write_bytes(clean_files()["Dockerfile"])
    assert main(["policy", "validate", str(tmp_path), "--json"]) == 0


def test_policy_validate_reports_a_bad_path_or_environment_as_an_error(tmp_path: Path) -> None:
    assert main(["policy", "validate", str(tmp_path / "missing")]) == 2
    assert main(["policy", "validate", str(tmp_path), "--environment", "production"]) == 2
