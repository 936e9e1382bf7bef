"""DOC-001 (README.md) and CAT-001 (catalog-info.yaml with metadata.name and spec.owner)."""

from __future__ import annotations

from agentic_policy.logic.repo import Repo
from agentic_policy.logic.rules.docs import CATALOG_ENTITY_VALID, README_PRESENT

CATALOG = b"kind: Component\nmetadata:\n  name: payments-api\nspec:\n  owner: team-payments\n"


def test_a_readme_at_the_root_passes_doc_001() -> None:
    assert README_PRESENT.evaluate(Repo({"README.md": b"# x"})) == []


def test_a_repository_without_a_root_readme_fails_doc_001_as_low() -> None:
    # Given a README only in a sub-directory / When DOC-001 runs / Then one low violation is reported
    found = README_PRESENT.evaluate(Repo({"docs/README.md": b"# x"}))
    assert [(v.rule, v.severity) for v in found] == [("DOC-001 readme-present", "low")]


def test_a_catalog_entity_with_name_and_owner_passes_cat_001() -> None:
    assert CATALOG_ENTITY_VALID.evaluate(Repo({"catalog-info.yaml": CATALOG})) == []


def test_a_missing_catalog_file_fails_cat_001_as_medium() -> None:
    found = CATALOG_ENTITY_VALID.evaluate(Repo({"README.md": b"# x"}))
    assert [(v.rule, v.severity) for v in found] == [("CAT-001 catalog-info-valid", "medium")]


def test_a_catalog_entity_without_owner_or_name_fails_cat_001_once_naming_both() -> None:
    # Given an entity with neither metadata.name nor spec.owner
    found = CATALOG_ENTITY_VALID.evaluate(Repo({"catalog-info.yaml": b"kind: Component\nmetadata: {}\n"}))

    # When CAT-001 runs / Then one violation for the file names both problems
    assert len(found) == 1
    assert found[0].file == "catalog-info.yaml"
    assert "metadata.name" in found[0].message
    assert "spec.owner" in found[0].message


def test_an_invalid_catalog_yaml_fails_cat_001_at_the_broken_line() -> None:
    found = CATALOG_ENTITY_VALID.evaluate(Repo({"catalog-info.yaml": b"kind: Component\nmetadata: [\n"}))
    assert len(found) == 1
    assert "not valid YAML" in found[0].message
    assert found[0].line is not None
