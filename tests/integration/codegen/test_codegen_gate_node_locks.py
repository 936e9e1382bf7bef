"""The Node lock files codegen ships: npm's locks, stored as data, one per dependency set.

``make relock`` (``python -m agentic_gate.node_locks``) regenerates them with real npm after a pin in
``templates/node/package.json.j2`` changes. These tests check each stored lock still records exactly the
pins of the package.json it was made from, that no stray lock is stored, and that a rendered service gets
its lock under its own name.
"""

from __future__ import annotations

import json

import pytest
from agentic_codegen.logic.node_lock import LOCKS, lock_path, node_lock
from agentic_gate.node_locks import DATABASES, PATTERNS, PLACEHOLDER, package_json

COMBINATIONS = [(pattern, database) for pattern in PATTERNS for database in DATABASES]


@pytest.mark.parametrize(("pattern", "database"), COMBINATIONS)
def test_each_stored_lock_records_exactly_the_pins_of_its_package_json(pattern, database):
    # Given the package.json a service with this pattern and database gets
    manifest = package_json(pattern, database)
    # When the stored lock is read, as plain JSON
    lock = json.loads(lock_path(pattern, database).read_text())
    root = lock["packages"][""]
    # Then its root entry pins the same dependencies, and each resolved version is that pin
    assert root["dependencies"] == manifest["dependencies"]
    assert root["devDependencies"] == manifest["devDependencies"]
    for name, version in {**manifest["dependencies"], **manifest["devDependencies"]}.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_no_lock_is_stored_for_a_combination_the_catalogue_does_not_offer():
    # Given the lock files stored as data
    stored = {path.name for path in LOCKS.iterdir()}
    # Then there is exactly one per pattern x database
    assert stored == {lock_path(pattern, database).name for pattern, database in COMBINATIONS}


def test_a_rendered_lock_carries_the_service_name_and_otherwise_the_stored_lock():
    # Given a stored lock (made for the placeholder service)
    stored = json.loads(lock_path("rest", "postgresql").read_text())
    assert stored["name"] == PLACEHOLDER
    # When it is rendered for a service
    rendered = json.loads(node_lock("rest", "postgresql", "orders-api"))
    # Then both name fields are the service's, and nothing else changed
    assert rendered["name"] == rendered["packages"][""]["name"] == "orders-api"
    rendered["name"] = rendered["packages"][""]["name"] = PLACEHOLDER
    assert rendered == stored
