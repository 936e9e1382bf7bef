"""OpenAPI documents checked with openapi-spec-validator (3.0 and 3.1), as findings."""

from __future__ import annotations

import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from agentic_checks.findings import Finding

MAX_FINDINGS = 50


def _finding(message: str, path: str, where: str = "") -> Finding:
    return Finding(
        check="openapi-spec",
        tool="openapi",
        severity="high",
        message=f"{where}: {message}" if where else message,
        file=path,
    )


def validate_openapi(text: bytes | str, path: str = "openapi.yaml") -> list[Finding]:
    """Every problem openapi-spec-validator reports (empty when the document is valid)."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return [_finding(f"not valid YAML: {exc}", path)]
    if not isinstance(document, dict):
        return [_finding("the document is not a mapping", path)]
    version = str(document.get("openapi", ""))
    if version.startswith("3.1"):
        validator = OpenAPIV31SpecValidator(document)
    elif version.startswith("3.0"):
        validator = OpenAPIV30SpecValidator(document)
    else:
        return [_finding(f"unsupported or missing 'openapi' version {version!r} (3.0.x or 3.1.x)", path)]
    findings = []
    for error in validator.iter_errors():
        where = "/".join(str(part) for part in error.path)
        findings.append(_finding(error.message, path, where))
        if len(findings) >= MAX_FINDINGS:
            break
    return findings
