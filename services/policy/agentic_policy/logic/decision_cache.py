"""The decision cache: an unchanged input (same content digest, same bundle) is not evaluated again.

What the engines found depends only on the files, the environment, the Rego bundle and the scope,
so that is what the key holds. Waivers and enforcement are applied after the cache (a waiver granted
or expired since counts at once). A run that did not finish (an engine out of budget) is never kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import astuple, dataclass

from agentic_checks.findings import Finding

from agentic_policy.logic.budget import INCONCLUSIVE
from agentic_policy.logic.engines import EngineRun, Scope


@dataclass(frozen=True)
class CachedRun:
    findings: tuple[Finding, ...]
    engines: tuple[str, ...]


def cache_key(digest: str, bundle_version: str, environment: str, scope: Scope) -> str:
    parts = (digest, bundle_version, environment, *(str(flag) for flag in astuple(scope)))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def keepable(run: EngineRun) -> CachedRun | None:
    """What the cache may keep of a run: nothing if any engine did not finish."""
    if any(f.check == INCONCLUSIVE for f in run.findings):
        return None
    return CachedRun(findings=run.findings, engines=run.engines)
