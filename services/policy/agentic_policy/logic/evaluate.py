"""One policy evaluation: run the engines, turn findings into violations, apply waivers, enforce.

``PolicyEngine`` is built once per process (it holds the Rego bundle, whose interpreters are reused)
and is what the API, the workflow task, the CLI and the benchmark call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from agentic_checks.findings import Finding
from agentic_common.events.policy import Violation

from agentic_policy.logic.budget import DEFAULT_BUDGET_SECONDS, Budget
from agentic_policy.logic.bundle import RegoBundle
from agentic_policy.logic.decision_cache import CachedRun, cache_key, keepable
from agentic_policy.logic.digest import content_digest
from agentic_policy.logic.enforcement import DEFAULT_ENFORCEMENT, Enforcement, severity_rank
from agentic_policy.logic.engines import Scope, run_engines
from agentic_policy.logic.input_limits import InputLimits
from agentic_policy.logic.waivers import Waiver, apply_waivers

if TYPE_CHECKING:  # ports.py imports logic.decisions, which imports this module: no runtime import
    from agentic_policy.ports import DecisionCache

MAX_MESSAGE_CHARS = 300
TOOL_CATEGORY = {
    "checkov": "security",
    "detect-secrets": "security",
    "hadolint": "operational",
    "kubernetes-validate": "operational",
    "gitlab-ci-schema": "operational",
    "policy": "operational",
}


def clip(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Evaluation:
    environment: str
    mode: str
    digest: str
    bundle_version: str
    files_scanned: int
    rules_evaluated: int
    engines: tuple[str, ...]
    violations: tuple[Violation, ...]
    waived: tuple[Violation, ...]
    blocking: tuple[Violation, ...]

    @property
    def valid(self) -> bool:
        return not self.blocking


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class PolicyEngine:
    bundle: RegoBundle = field(default_factory=RegoBundle)
    enforcement: Enforcement = DEFAULT_ENFORCEMENT
    clock: Callable[[], datetime] = _utc_now
    budget_seconds: float = DEFAULT_BUDGET_SECONDS
    limits: InputLimits = field(default_factory=InputLimits)
    cache: DecisionCache | None = None  # an unchanged input answers from it (``decision_cache``)

    def evaluate(
        self,
        files: Mapping[str, bytes],
        environment: str,
        *,
        repository: str = "",
        waivers: Iterable[Waiver] = (),
        scope: Scope | None = None,
    ) -> Evaluation:
        mode = self.enforcement.mode(environment)  # unknown environments fail before any work
        self.limits.check(files)  # InputTooLargeError before any engine runs
        digest = content_digest(files)
        run = self._run(files, environment, digest, scope or Scope())
        violations = sorted((self._violation(f) for f in run.findings), key=_order)
        counted, waived = apply_waivers(violations, waivers, repository, self.clock(), environment)
        return Evaluation(
            environment=environment,
            mode=mode,
            digest=digest,
            bundle_version=self.bundle.version,
            files_scanned=len(files),
            rules_evaluated=len(self.bundle.rule_index),
            engines=run.engines,
            violations=counted,
            waived=waived,
            blocking=self.enforcement.blocking(counted, environment),
        )

    def _run(self, files: Mapping[str, bytes], environment: str, digest: str, scope: Scope) -> CachedRun:
        key = cache_key(digest, self.bundle.version, environment, scope)
        if self.cache is not None and (cached := self.cache.get(key)) is not None:
            return cached
        run = run_engines(files, environment, self.bundle, scope, Budget(self.budget_seconds))
        kept = keepable(run)
        if self.cache is not None and kept is not None:
            self.cache.put(key, kept)
        return kept or CachedRun(findings=run.findings, engines=run.engines)

    def _violation(self, finding: Finding) -> Violation:
        meta = self.bundle.rule_index.get(finding.check) if finding.tool == "rego" else None
        return Violation(
            rule=finding.check,
            severity="low" if finding.severity == "info" else finding.severity,
            category=meta.category if meta else TOOL_CATEGORY.get(finding.tool, "operational"),
            message=clip(finding.message),
            file=finding.file or None,
            line=finding.line,
            remediation=clip(finding.remediation or ""),
            resource=finding.resource,
            tool=finding.tool,
        )


def _order(violation: Violation) -> tuple[int, bool, str, str, int]:
    """Most severe first; at one severity the organisation's (Rego) rules before the tools' checks."""
    rego_first = violation.tool != "rego"
    return (
        -severity_rank(violation.severity),
        rego_first,
        violation.rule,
        violation.file or "",
        violation.line or 0,
    )
