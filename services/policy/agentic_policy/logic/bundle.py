"""The Rego bundle (``agentic_policy/bundle``) evaluated with regopy.

An interpreter is built once per thread (regopy's interpreter is not shared between threads) and
reused for every evaluation: only the input changes. The bundle version comes from its data.json.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from regopy import Bundle, Interpreter

from agentic_policy.logic.rego_results import BundleError, RegoResult, parse_results
from agentic_policy.logic.rego_text import to_rego

BUNDLE_DIR = Path(__file__).resolve().parent.parent / "bundle"
PACKAGES = ("security", "cost", "compliance", "operational")
DENY_QUERY = "x := {" + ", ".join(f'"{p}": data.agentic.{p}.deny' for p in PACKAGES) + "}"
META_QUERY = "x := {" + ", ".join(f'"{p}": {{"rules": data.agentic.{p}.rules}}' for p in PACKAGES) + "}"
__all__ = ["BUNDLE_DIR", "BundleError", "RegoBundle", "RuleMeta"]


@dataclass(frozen=True)
class RuleMeta:
    id: str
    title: str
    severity: str
    category: str
    description: str
    remediation: str


class RegoBundle:
    def __init__(self, directory: Path = BUNDLE_DIR) -> None:
        self.directory = directory
        self._local = threading.local()

    @cached_property
    def modules(self) -> dict[str, str]:
        return {p.name: p.read_text(encoding="utf-8") for p in sorted(self.directory.glob("*.rego"))}

    @cached_property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.directory / "data.json").read_text(encoding="utf-8"))
        return data

    @property
    def version(self) -> str:  # e.g. agentic-org-policies@2026.11.1
        meta = self.data["agentic"]["bundle"]
        return f"{meta['name']}@{meta['version']}"

    def _compiler(self) -> Interpreter:
        interpreter = Interpreter()
        for name, source in self.modules.items():
            interpreter.add_module(name, source)
        interpreter.add_data_json(json.dumps(self.data))
        return interpreter

    def _compiled(self) -> tuple[Interpreter, Bundle]:
        """This thread's interpreter and the bundle compiled once for the deny query."""
        compiled = getattr(self._local, "compiled", None)
        if compiled is None:
            compiled = (Interpreter(), self._compiler().build(DENY_QUERY))
            self._local.compiled = compiled
        return compiled

    def evaluate(self, document: dict[str, Any]) -> list[RegoResult]:
        """Every ``deny`` result of every package for ``document``."""
        interpreter, bundle = self._compiled()
        interpreter.set_input(to_rego(document))
        try:
            output = interpreter.query_bundle(bundle)
        except json.JSONDecodeError as exc:  # regopy parses its own output first
            raise BundleError(f"the policy bundle returned unreadable output: {exc}") from exc
        return parse_results(_binding(output))

    def query(self, document: dict[str, Any], query: str = META_QUERY) -> dict[str, Any]:
        """An ad-hoc query (compiled each time: for metadata and tools, not the hot path)."""
        interpreter = self._compiler()
        interpreter.set_input(to_rego(document))
        return _binding(interpreter.query(query))

    @cached_property
    def rule_index(self) -> dict[str, RuleMeta]:
        return {meta.id: meta for meta in self.rules()}

    def rules(self) -> list[RuleMeta]:
        packages = self.query({}, META_QUERY)
        return sorted(
            (
                RuleMeta(
                    id=rule_id,
                    title=meta["title"],
                    severity=meta["severity"],
                    category=meta["category"],
                    description=meta["description"],
                    remediation=meta["remediation"],
                )
                for package in packages.values()
                if isinstance(package, dict)
                for rule_id, meta in package.get("rules", {}).items()
            ),
            key=lambda m: m.id,
        )


def _binding(output: Any) -> dict[str, Any]:
    if not output.ok():
        raise BundleError(f"the policy bundle failed to evaluate: {output}")
    try:
        binding: dict[str, Any] = json.loads(str(output.binding("x")))
        return binding
    except json.JSONDecodeError as exc:
        raise BundleError(f"the policy bundle returned unreadable output: {exc}") from exc
