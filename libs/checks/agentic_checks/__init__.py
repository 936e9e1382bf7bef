"""Checks shared by the codegen quality gate and the policy engines: findings and tool runners.

Runners live in their own modules and are imported from there (nothing heavy at import time):
``agentic_checks.checkov_runner.run_checkov``, ``agentic_checks.hadolint.run_hadolint``,
``agentic_checks.kubernetes.validate_kubernetes``, ``agentic_checks.gitlab_ci.validate_gitlab_ci``,
``agentic_checks.secrets.scan_secrets``; ``agentic_checks.severity`` holds the one severity map
for checkov checks used by both the codegen gate and the policy service.
"""

from agentic_checks.findings import (
    SEVERITIES,
    Finding,
    at_or_above,
    normalise_severity,
    severity_rank,
    sort_findings,
)

__all__ = ["SEVERITIES", "Finding", "at_or_above", "normalise_severity", "severity_rank", "sort_findings"]
