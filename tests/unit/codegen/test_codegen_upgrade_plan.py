"""plan_upgrade: the manifest's digests decide which files a template upgrade may touch."""

from __future__ import annotations

import hashlib
import json

import pytest
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.upgrade_plan import plan_upgrade, version_key
from agentic_common.agent import TaskError
from agentic_planner.logic.catalogue import Catalogue

MANIFEST = ".agentic/manifest.json"


def _generated(version: str, files: dict[str, bytes]) -> dict[str, bytes]:
    digests = {p: hashlib.sha256(c).hexdigest() for p, c in files.items()}
    manifest = {"template": "python-fastapi", "version": version, "files": digests}
    return {**files, MANIFEST: json.dumps(manifest).encode()}


def test_a_file_the_team_deleted_stays_deleted_and_is_reported_kept() -> None:
    # Given a generated file the team removed, which the new template still renders
    old = _generated("1.0.0", {"a.txt": b"1\n", "b.txt": b"1\n"})
    del old["b.txt"]
    new = _generated("1.1.0", {"a.txt": b"1\n", "b.txt": b"2\n"})

    # When the upgrade is planned
    plan = plan_upgrade(old, new)

    # Then it stays deleted
    assert "b.txt" not in plan.files
    assert plan.report.kept == ["b.txt"]


def test_a_team_change_that_matches_the_new_template_is_neither_kept_nor_updated() -> None:
    # Given the team made exactly the change the new template makes
    old = _generated("1.0.0", {"a.txt": b"1\n"})
    old["a.txt"] = b"2\n"
    new = _generated("1.1.0", {"a.txt": b"2\n"})

    # When the upgrade is planned
    plan = plan_upgrade(old, new)

    # Then nothing is reported for it and the content is the shared one
    assert (plan.report.kept, plan.report.updated) == ([], [])
    assert plan.files["a.txt"] == b"2\n"


def test_a_file_the_team_changed_and_the_template_dropped_stays() -> None:
    old = _generated("1.0.0", {"a.txt": b"1\n"})
    old["a.txt"] = b"ours\n"
    plan = plan_upgrade(old, _generated("1.1.0", {}))
    assert plan.files["a.txt"] == b"ours\n"
    assert plan.report.removed == []


def test_the_new_manifest_replaces_the_old_one() -> None:
    new = _generated("1.1.0", {"a.txt": b"2\n"})
    plan = plan_upgrade(_generated("1.0.0", {"a.txt": b"1\n"}), new)
    assert plan.files[MANIFEST] == new[MANIFEST]
    assert plan.report.updated == ["a.txt"]


def test_a_broken_manifest_is_a_clear_permanent_error() -> None:
    with pytest.raises(TaskError, match="not a valid manifest") as failure:
        plan_upgrade({MANIFEST: b"{not json"}, _generated("1.1.0", {}))
    assert failure.value.retryable is False


def test_versions_compare_numerically() -> None:
    assert version_key("1.10.0") > version_key("1.9.3")
    with pytest.raises(TaskError, match=r"MAJOR\.MINOR\.PATCH"):
        version_key("latest")


def test_the_planner_offers_a_service_upgrade_workflow_whose_parameters_codegen_accepts() -> None:
    # Given the planner's catalogue
    catalogue = Catalogue.load()

    # When a service-upgrade request is validated there
    template = catalogue.get("service-upgrade")
    parameters = catalogue.validate("service-upgrade", {"serviceName": "orders", "database": "postgresql"})

    # Then its first task is codegen's upgrade and codegen parses the same parameters
    assert (template.tasks[0].agent, template.tasks[0].action) == ("codegen", "upgrade")
    assert parse_parameters(parameters).service_name == "orders"
