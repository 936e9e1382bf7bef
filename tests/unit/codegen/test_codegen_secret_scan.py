"""detect-secrets behind the SecretScanner port: where a likely secret is, never the secret."""

from __future__ import annotations

import pytest
from agentic_codegen.adapters.secret_scan import DetectSecretsScanner
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_common.git.paths import UnsafePathError

AWS_KEY_LIKE = "AKIA" + "IOSFODNN7EXAMPLE"  # split so this file itself does not look like a leak


def test_an_aws_key_is_found_with_its_file_and_line() -> None:
    # Given a file map where one file holds an AWS access key id on line 3
    files = {
        "app/settings.py": f'"""settings"""\n\nAWS_ACCESS_KEY_ID = "{AWS_KEY_LIKE}"\n'.encode(),
        "README.md": b"# nothing here\n",
    }

    # When it is scanned
    findings = DetectSecretsScanner().scan(files)

    # Then the finding names the file, the line and the kind, and not the value
    assert [(f.path, f.line, f.kind) for f in findings] == [("app/settings.py", 3, "AWS Access Key")]
    assert AWS_KEY_LIKE not in repr(findings)


def test_the_rendered_service_holds_no_secrets() -> None:
    # Given each database flavour of the rendered service
    for database in ("none", "postgresql", "dynamodb", "redis"):
        files = TemplateRenderer().render(parse_parameters({"serviceName": "orders", "database": database}))

        # When it is scanned
        findings = DetectSecretsScanner().scan(files)

        # Then nothing is reported
        assert findings == [], database


def test_a_path_outside_the_scan_directory_is_refused() -> None:
    # Given a file map with a path that climbs out
    # When it is scanned
    # Then the scanner refuses to write it
    with pytest.raises(UnsafePathError):
        DetectSecretsScanner().scan({"../escape.txt": b"x"})
