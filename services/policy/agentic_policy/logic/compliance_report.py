"""The compliance report of one evaluation, as JSON (machines) and Markdown (people, MR comments)."""

from __future__ import annotations

import json
from typing import Any

from agentic_common.events.policy import Violation

from agentic_policy.logic.decisions import DecisionRecord
from agentic_policy.logic.evaluate import Evaluation
from agentic_policy.logic.report import location

MAX_MARKDOWN_ROWS = 100


def report_json(evaluation: Evaluation, decision: DecisionRecord) -> bytes:
    body: dict[str, Any] = {
        "decision": decision.model_dump(mode="json"),
        "valid": evaluation.valid,
        "enforcement": {"environment": evaluation.environment, "mode": evaluation.mode},
        "engines": list(evaluation.engines),
        "violations": [v.model_dump(mode="json") for v in evaluation.violations],
        "waived": [v.model_dump(mode="json") for v in evaluation.waived],
        "blocking": [v.model_dump(mode="json") for v in evaluation.blocking],
    }
    return json.dumps(body, indent=2, sort_keys=True).encode()


def report_markdown(evaluation: Evaluation, decision: DecisionRecord, subject: str) -> str:
    verdict = "✅ passes" if evaluation.valid else f"❌ blocked by {len(evaluation.blocking)} violation(s)"
    lines = [
        f"## Policy report: {subject}",
        "",
        f"**{verdict}** in `{evaluation.environment}` ({evaluation.mode}). "
        f"Bundle `{evaluation.bundle_version}`, digest `{evaluation.digest[:16]}…`, "
        f"decision `{decision.decision_id}`.",
        "",
        f"Engines: {', '.join(evaluation.engines)}. Violations: {len(evaluation.violations)}, "
        f"waived: {len(evaluation.waived)}.",
        "",
    ]
    blocking = set(evaluation.blocking)
    if evaluation.violations:
        lines += _table(evaluation.violations, lambda v: "blocks" if v in blocking else "advisory")
    if evaluation.waived:
        lines += ["", "### Waived", ""]
        lines += _table(evaluation.waived, lambda v: f"waived ({v.waiver_id})")
    return "\n".join(lines) + "\n"


def _table(violations: tuple[Violation, ...], status: Any) -> list[str]:
    rows = ["| status | severity | rule | where | message | fix |", "|---|---|---|---|---|---|"]
    for v in violations[:MAX_MARKDOWN_ROWS]:
        cells = (status(v), v.severity, v.rule, location(v), v.message, v.remediation or "")
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if len(violations) > MAX_MARKDOWN_ROWS:
        rows.append(f"| … | | | | {len(violations) - MAX_MARKDOWN_ROWS} more in the JSON report | |")
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
