"""The Rego bundle: every rule carries its metadata and has a passing and a failing fixture that behave."""

from __future__ import annotations

import json

import pytest
from agentic_policy.logic.bundle import RegoBundle
from agentic_policy.logic.fixtures import fixture_dir, run_fixtures

BUNDLE = RegoBundle()
RULES = [meta.id for meta in BUNDLE.rules()]


def test_the_bundle_covers_the_four_categories_and_carries_a_version() -> None:
    assert {meta.category for meta in BUNDLE.rules()} == {"security", "cost", "compliance", "operational"}
    assert BUNDLE.version.startswith("agentic-org-policies@")
    assert "DOCKER-001" in RULES


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_has_a_pass_and_a_fail_fixture(rule: str) -> None:
    fixture = json.loads((fixture_dir(BUNDLE) / f"{rule}.json").read_text())
    assert isinstance(fixture["pass"], dict)
    assert isinstance(fixture["fail"], dict)


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_stays_silent_on_its_pass_fixture_and_fires_on_its_fail_fixture(rule: str) -> None:
    results = {r.case: r for r in run_fixtures(BUNDLE) if r.rule == rule}
    assert results["pass"].ok, results["pass"].detail
    assert results["fail"].ok, results["fail"].detail


def test_a_result_carries_id_severity_category_description_and_remediation() -> None:
    # Given the fail fixture of DOCKER-001 / When evaluated
    document = json.loads((fixture_dir(BUNDLE) / "DOCKER-001.json").read_text())["fail"]
    [result] = [r for r in BUNDLE.evaluate(document) if r.id == "DOCKER-001"]

    # Then the result says what, how bad, where and how to fix it
    assert (result.severity, result.category, result.file, result.line) == (
        "high",
        "security",
        "Dockerfile",
        1,
    )
    assert "python:latest" in result.message
    assert result.description
    assert "Pin the base image" in result.remediation


def test_quotes_backslashes_and_newlines_in_input_survive_the_round_trip() -> None:
    # Given a Kubernetes object whose name and file hold characters regopy does not escape in its output
    name = 'bad"name\\with\nnewline'
    document = {
        "environment": "prod",
        "kubernetes": [
            {
                "file": 'odd"file.yaml',
                "object": {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}},
            }
        ],
    }

    # When evaluated / Then the naming rule fires and reports the file and resource as they were
    [result] = [r for r in BUNDLE.evaluate(document) if r.id == "OPS-001"]
    assert result.file == 'odd"file.yaml'
    assert result.resource == 'bad"name\\with newline'


def test_a_rule_missing_its_fixture_is_reported_as_a_failure(tmp_path) -> None:
    # Given a copy of the bundle without the fixture of SEC-014
    copy = tmp_path / "bundle"
    (copy / "fixtures").mkdir(parents=True)
    for source in BUNDLE.directory.glob("*.rego"):
        (copy / source.name).write_text(source.read_text())
    (copy / "data.json").write_text((BUNDLE.directory / "data.json").read_text())
    for source in fixture_dir(BUNDLE).glob("*.json"):
        if source.stem != "SEC-014":
            (copy / "fixtures" / source.name).write_text(source.read_text())

    # When its fixtures run / Then SEC-014 fails with the reason
    [missing] = [r for r in run_fixtures(RegoBundle(copy)) if not r.ok]
    assert (missing.rule, missing.detail) == ("SEC-014", "no fixture file fixtures/SEC-014.json")
