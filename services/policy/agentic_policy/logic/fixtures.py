"""The bundle's own tests: each rule has ``bundle/fixtures/<RULE>.json`` with a ``pass`` input (the
rule must not fire) and a ``fail`` input (it must). ``agentic policy test`` and the unit tests run them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from agentic_policy.logic.bundle import RegoBundle

CASES = ("pass", "fail")


@dataclass(frozen=True)
class FixtureResult:
    rule: str
    case: str  # pass | fail
    ok: bool
    detail: str


def fixture_dir(bundle: RegoBundle) -> Path:
    return bundle.directory / "fixtures"


def run_fixtures(bundle: RegoBundle) -> list[FixtureResult]:
    """One result per (rule, case), plus a failing one for every rule without a fixture file."""
    results: list[FixtureResult] = []
    rules = {meta.id for meta in bundle.rules()}
    files = {p.stem: p for p in sorted(fixture_dir(bundle).glob("*.json"))}
    for rule in sorted(rules - files.keys()):
        results.append(FixtureResult(rule, "pass", False, f"no fixture file fixtures/{rule}.json"))
    for rule, path in files.items():
        if rule not in rules:
            results.append(FixtureResult(rule, "pass", False, f"{path.name} names a rule the bundle lacks"))
            continue
        fixture = json.loads(path.read_text(encoding="utf-8"))
        for case in CASES:
            results.append(_run_case(bundle, rule, case, fixture.get(case)))
    return results


def _run_case(bundle: RegoBundle, rule: str, case: str, document: object) -> FixtureResult:
    if not isinstance(document, dict):
        return FixtureResult(rule, case, False, f"the fixture has no {case!r} input")
    fired = [r for r in bundle.evaluate(document) if r.id == rule]
    if case == "pass":
        detail = "; ".join(r.message for r in fired) or "did not fire"
        return FixtureResult(rule, case, not fired, detail)
    return FixtureResult(rule, case, bool(fired), "; ".join(r.message for r in fired) or "did not fire")
