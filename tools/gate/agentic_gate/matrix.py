"""Run every check on every combination and print the matrix (combination x check → pass/fail/n/a)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from agentic_codegen.logic.render import TemplateRenderer

from agentic_gate import file_checks, go_checks, kubernetes_checks, python_checks
from agentic_gate.combinations import Combination, combinations, render_to
from agentic_gate.outcome import Outcome, from_problems

Check = Callable[[Path], Outcome]

COMMON_CHECKS: dict[str, Check] = {
    "hadolint": file_checks.check_hadolint,
    "helm": kubernetes_checks.check_helm,
    "k8s-strict": kubernetes_checks.check_kubernetes,
    "terraform+checkov": file_checks.check_terraform,
    "gitlab-ci": file_checks.check_gitlab_ci,
    "openapi": file_checks.check_openapi,
    "secrets": file_checks.check_secrets,
    "agentic-files": file_checks.check_agentic_files,
}
PYTHON_CHECKS = ("ruff", "py-tests")


def run_combination(combination: Combination, workdir: Path, with_language: bool) -> dict[str, Outcome]:
    from agentic_codegen.ports import RenderError  # noqa: PLC0415 - keeps the CLI import light

    try:
        root = render_to(combination, workdir / "repo", TemplateRenderer())
    except RenderError as exc:
        failed = from_problems([f"rendering failed: {exc}"])
        return dict.fromkeys([*COMMON_CHECKS, *PYTHON_CHECKS, *go_checks.GO_CHECKS], failed)
    results = {name: check(root) for name, check in COMMON_CHECKS.items()}
    if with_language and combination.language == "python":
        results["ruff"] = python_checks.check_ruff(root)
        results["py-tests"] = python_checks.check_python_tests(root, workdir / "venv")
    if with_language and combination.language == "go":
        results |= go_checks.check_go(root)
    return results


def format_matrix(rows: dict[str, dict[str, Outcome]], columns: list[str]) -> str:
    width = max(len(name) for name in rows) + 2
    lines = ["combination".ljust(width) + " ".join(c.ljust(max(len(c), 4)) for c in columns)]
    for name, results in rows.items():
        cells = [results[c].status if c in results else "-" for c in columns]
        lines.append(
            name.ljust(width) + " ".join(v.ljust(max(len(c), 4)) for v, c in zip(cells, columns, strict=True))
        )
    return "\n".join(lines)


def run_matrix(
    selected: list[Combination] | None = None, with_language: bool = True
) -> dict[str, dict[str, Outcome]]:
    rows: dict[str, dict[str, Outcome]] = {}
    for combination in selected or combinations():
        with tempfile.TemporaryDirectory(prefix=f"gate-{combination.id}-") as workdir:
            rows[f"{combination.id} ({combination.strategy})"] = run_combination(
                combination, Path(workdir), with_language
            )
    return rows
