"""Playbooks are versioned data: every shipped file fits the JSON Schema; broken files are refused clearly."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from agentic_remediation.logic.catalogue import (
    CatalogueError,
    catalogue_from,
    load_catalogue,
    package_dir,
    parse_playbook,
)
from agentic_remediation.logic.tiers import load_tier_policy

VALID = """
id: restart-it
version: 1.2.0
description: Restart the thing when it is unhealthy.
trigger: {event: anomaly.detected, match: {has_target: [true]}}
blast_radius: instance
parameters:
  replicas: {type: integer, minimum: 1, maximum: 3, default: 1, description: how many}
actions: [{action: restart}]
summary: anomaly
"""


def _shipped() -> list[Path]:
    return sorted((package_dir("playbooks")).glob("*.yaml"))


@pytest.mark.parametrize("path", _shipped(), ids=lambda p: p.name)
def test_every_shipped_playbook_fits_the_json_schema(path: Path) -> None:
    # Given the schema the service validates against at load time
    schema = json.loads((package_dir("policy") / "playbook.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    # When / Then the file validates, and its id matches its file name
    document = yaml.safe_load(path.read_text())
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    assert path.stem == document["id"]


def test_the_shipped_catalogue_covers_every_action_kind_and_keeps_the_policy_playbook() -> None:
    catalogue = load_catalogue()
    kinds = {a.action for p in catalogue.playbooks for a in p.actions}
    assert kinds == {"restart", "scale", "rollback", "resync", "fix-drift", "bump-dependency", "advise"}
    assert catalogue.get("fix-policy-violations") is not None
    assert all(p.ref == f"{p.id}@{p.version}" for p in catalogue.playbooks)


def test_a_valid_playbook_parses_with_its_defaults() -> None:
    playbook = parse_playbook(VALID, "restart-it.yaml")
    assert (playbook.ref, playbook.defaults()) == ("restart-it@1.2.0", {"replicas": 1})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("trigger"), "bad.yaml: (document): 'trigger' is a required property"),
        (
            lambda d: d["actions"][0].update(action="reboot"),
            "bad.yaml: actions/0/action: 'reboot' is not one of",
        ),
        (lambda d: d.update(version="v1"), "bad.yaml: version: 'v1' does not match"),
        (lambda d: d.update(blast_radius="galaxy"), "bad.yaml: blast_radius: 'galaxy' is not one of"),
        (
            lambda d: d["actions"][0].update(uses=["grace"]),
            "bad.yaml: actions/0/uses: unknown parameter(s) grace",
        ),
        (lambda d: d["parameters"]["replicas"].update(default=9), "a default does not fit its own spec"),
        (lambda d: d["trigger"].update(match={"signal": []}), "bad.yaml: trigger/match/signal:"),
    ],
)
def test_a_broken_playbook_is_refused_naming_the_file_and_the_field(
    change: Callable[[dict[str, Any]], object], message: str
) -> None:
    # Given a valid playbook with one thing broken
    document = yaml.safe_load(VALID)
    change(document)
    # When / Then
    with pytest.raises(CatalogueError) as raised:
        parse_playbook(yaml.safe_dump(document), "bad.yaml")
    assert message in str(raised.value)


def test_a_file_that_is_not_yaml_is_refused() -> None:
    with pytest.raises(CatalogueError, match=r"bad\.yaml: not valid YAML"):
        parse_playbook("id: [unclosed", "bad.yaml")


def test_two_playbooks_with_one_id_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID)
    (tmp_path / "b.yaml").write_text(VALID)
    with pytest.raises(CatalogueError, match="'restart-it' is defined twice"):
        catalogue_from(tmp_path.glob("*.yaml"))


def test_a_broken_tier_policy_is_refused(tmp_path: Path) -> None:
    policy = tmp_path / "tiers.yaml"
    policy.write_text(
        "version: 1\nenvironments: {dev: {instance: yolo, service: automated, shared: assisted}}\n"
    )
    with pytest.raises(CatalogueError, match=r"tiers\.yaml: environments/dev/instance: 'yolo' is not one of"):
        load_tier_policy(policy)
