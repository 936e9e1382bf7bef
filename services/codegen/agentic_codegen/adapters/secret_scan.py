"""The ``SecretScanner`` port over the shared secret scan (``agentic_checks.secrets.scan_secrets``):
the same detect-secrets plugins, GitLab token detector, filters and exclusions (digest manifests,
lock files) the policy service applies, so codegen never pushes what policy would block."""

from __future__ import annotations

from agentic_checks.secrets import scan_secrets
from agentic_common.git.paths import check_files

from agentic_codegen.ports import Files, SecretFinding


class DetectSecretsScanner:
    def scan(self, files: Files) -> list[SecretFinding]:
        check_files(files)  # refuse paths that would land outside the scan directory
        findings = {
            SecretFinding(path=f.file, line=f.line or 0, kind=f.check.removeprefix("secret:"))
            for f in scan_secrets(files)
        }
        return sorted(findings, key=lambda f: (f.path, f.line, f.kind))
