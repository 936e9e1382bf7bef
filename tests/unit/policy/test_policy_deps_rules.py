"""DEPS-001: requirements*.txt entries are pinned with ==."""

from __future__ import annotations

from agentic_common.events.policy import Violation
from agentic_policy.logic.repo import Repo
from agentic_policy.logic.rules.deps import REQUIREMENTS_PINNED


def violations(text: str, path: str = "requirements.txt") -> list[Violation]:
    return REQUIREMENTS_PINNED.evaluate(Repo({path: text.encode()}))


def test_requirements_pinned_with_double_equals_pass_deps_001() -> None:
    # Given pinned requirements with extras, markers, comments, -r/-c lines and hashes
    text = (
        "# pinned\n-r base.txt\n-c constraints.txt\n--index-url https://pypi.org/simple\n\n"
        "fastapi==0.115.6  # web\nuvicorn[standard]==0.32.1 ; python_version >= '3.11'\n"
        "httpx==0.28.1 \\\n    --hash=sha256:abc\n"
    )
    # When DEPS-001 runs / Then nothing is reported
    assert violations(text) == []


def test_unpinned_requirements_fail_deps_001_with_their_lines() -> None:
    # Given a range on line 2, a bare name on line 3 and a wildcard on line 4
    text = "fastapi==0.115.6\nuvicorn>=0.30\nhttpx\npydantic==2.*\n"

    # When DEPS-001 runs
    found = violations(text, path="services/api/requirements-prod.txt")

    # Then each is reported (medium, supply-chain) at its line, naming the package
    assert [(v.file, v.line, v.severity) for v in found] == [
        ("services/api/requirements-prod.txt", 2, "medium"),
        ("services/api/requirements-prod.txt", 3, "medium"),
        ("services/api/requirements-prod.txt", 4, "medium"),
    ]
    assert "'uvicorn'" in found[0].message
    assert found[0].category == "supply-chain"


def test_a_direct_url_requirement_fails_deps_001_without_quoting_the_url() -> None:
    # Given a URL with credentials in it
    text = "internal-lib @ https://deploy:s3cr3tpassw0rd@git.example.com/lib.tar.gz\n"

    # When DEPS-001 runs / Then it is reported by name and the URL is not repeated
    found = violations(text)
    assert len(found) == 1
    assert "'internal-lib'" in found[0].message
    assert "s3cr3tpassw0rd" not in found[0].model_dump_json()


def test_other_text_files_are_not_requirements_files() -> None:
    # Given an unpinned line in a file not named requirements*.txt / When checked / Then it is ignored
    assert violations("fastapi\n", path="docs/notes.txt") == []
