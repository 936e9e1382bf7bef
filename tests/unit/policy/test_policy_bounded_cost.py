"""Bounded cost for every input (issue 18, finding 6): size limits per input type, a time budget per
validation, and no lock that one request can hold against the others. Never a 5xx.

The slow hadolint is a real executable on disk that sleeps; the busy checkov is its real lock held by
another thread for longer than the validation's budget.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from agentic_checks import checkov_runner, secrets
from agentic_checks.toolchain import hadolint_binary
from agentic_common.artifact_store import InMemoryArtifactStore
from agentic_policy.adapters.memory.stores import InMemoryDecisionStore, InMemoryWaiverStore
from agentic_policy.api.app import ApiDeps, build_app
from agentic_policy.logic.evaluate import PolicyEngine
from agentic_policy.logic.service import PolicyService
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from policy_api_client import call, request
from policy_unit_fixtures import build_tarball, clean_files

BUCKET = "agentic-test-agent-artifacts"


def dockerfile(lines: int) -> str:
    body = [f"RUN echo step-{i} > /tmp/step-{i}" for i in range(lines - 4)]
    return "\n".join(["FROM python:3.11.10-slim", *body, "USER 10001", 'HEALTHCHECK CMD ["true"]', "CMD x"])


def build(engine: PolicyEngine, artifacts: InMemoryArtifactStore | None = None) -> APIGatewayHttpResolver:
    service = PolicyService(engine=engine, waivers=InMemoryWaiverStore(), decisions=InMemoryDecisionStore())
    store = artifacts or InMemoryArtifactStore(bucket=BUCKET)
    return build_app(
        ApiDeps(service=service, waivers=service.waivers, artifacts=store, artifacts_bucket=BUCKET)
    )


@pytest.fixture
def app(engine: PolicyEngine) -> APIGatewayHttpResolver:
    return build(engine)


def validate(app: APIGatewayHttpResolver, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return call(app, request("POST", "/policy/validate", body))


def test_an_8000_line_dockerfile_is_refused_with_413_naming_the_line_limit(
    app: APIGatewayHttpResolver,
) -> None:
    # Given the probe's 8,000-line Dockerfile (it used to time hadolint out into a 500)
    content = dockerfile(8000)

    # When validated
    status, body = validate(app, {"type": "dockerfile", "content": content})

    # Then 413 names the field and the limit
    assert (status, body["error"]) == (413, "content_too_large"), body
    assert body["errors"][0]["field"] == "content"
    assert "8000 lines; the limit is 1000 lines" in body["message"]


def test_a_dockerfile_over_the_byte_limit_is_refused_naming_the_limit(app: APIGatewayHttpResolver) -> None:
    content = "FROM python:3.11.10-slim\nRUN echo " + "x" * 70_000 + "\n"
    status, body = validate(app, {"type": "dockerfile", "content": content})
    assert (status, body["errors"][0]["field"]) == (413, "content")
    assert "the limit is 65536 bytes" in body["message"]


def test_a_terraform_file_over_its_limit_is_refused_naming_the_file(app: APIGatewayHttpResolver) -> None:
    hcl = "# padding\n" * 120_000
    status, body = validate(app, {"type": "terraform", "files": {"big/main.tf": hcl}})
    assert (status, body["error"]) == (413, "content_too_large")
    assert body["errors"][0]["field"] == "files.big/main.tf"


def test_a_plan_over_its_limit_is_refused_before_it_is_parsed(engine: PolicyEngine) -> None:
    # Given an engine whose plan limit is 1 KiB, and a 2 KiB plan
    small = PolicyEngine(bundle=engine.bundle, limits=type(engine.limits)(plan_bytes=1024))
    plan = json.dumps({"planned_values": {}, "pad": "x" * 2048}).encode()

    # When validated / Then 413 names the limit
    status, body = validate(
        build(small), {"type": "terraform_plan", "content": base64.b64encode(plan).decode()}
    )
    assert (status, body["errors"][0]["field"]) == (413, "content")
    assert "the limit is 1024 bytes" in body["message"]


def test_a_dockerfile_at_the_line_limit_is_evaluated(app: APIGatewayHttpResolver) -> None:
    status, body = validate(app, {"type": "dockerfile", "content": dockerfile(1000), "environment": "dev"})
    assert status == 200, body
    assert "hadolint" in body["engines"]


def test_a_repository_holding_an_oversized_dockerfile_is_refused_naming_the_file(
    engine: PolicyEngine,
) -> None:
    # Given a repository artifact whose Dockerfile is 8,000 lines
    artifacts = InMemoryArtifactStore(bucket=BUCKET)
    files = clean_files() | {"Dockerfile": dockerfile(8000).encode()}
    ref = artifacts.put("repos/big.tar.gz", build_tarball(files))

    # When validated as a repository
    status, body = validate(build(engine, artifacts), {"type": "repository", "artifact": ref.model_dump()})

    # Then 413 names the artifact and, in the message, the file and the limit
    assert (status, body["errors"][0]["field"]) == (413, "artifact")
    assert "Dockerfile (Dockerfile) has 8000 lines; the limit is 1000 lines" in body["message"]


def test_deeply_nested_json_is_a_400_not_a_crash(app: APIGatewayHttpResolver) -> None:
    status, body = call(app, request("POST", "/policy/validate", raw="[" * 5000 + "]" * 5000))
    assert (status, body["error"]) == (400, "invalid_json")


@pytest.fixture
def slow_hadolint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A real executable named hadolint that sleeps far longer than any budget here."""
    binary = tmp_path / "hadolint"
    binary.write_text("#!/bin/sh\nexec sleep 120\n")
    binary.chmod(0o755)
    monkeypatch.setenv("AGENTIC_HADOLINT", str(binary))
    hadolint_binary.cache_clear()
    yield binary
    monkeypatch.delenv("AGENTIC_HADOLINT")
    hadolint_binary.cache_clear()


def test_a_hadolint_run_over_the_budget_is_an_inconclusive_finding_that_blocks_prod(
    engine: PolicyEngine, slow_hadolint: Path
) -> None:
    # Given an engine with a 2 s budget and a hadolint that never answers in time
    quick = PolicyEngine(bundle=engine.bundle, budget_seconds=2)

    # When a Dockerfile is validated for prod
    status, body = validate(build(quick), {"type": "dockerfile", "content": dockerfile(10)})

    # Then the answer is a 200 with an inconclusive hadolint finding that blocks prod
    assert status == 200, body
    inconclusive = [v for v in body["violations"] if v["rule"] == "inconclusive"]
    assert [(v["file"], v["blocking"]) for v in inconclusive] == [("Dockerfile", True)]
    assert "hadolint did not finish" in inconclusive[0]["message"]


def test_an_inconclusive_hadolint_run_is_reported_but_does_not_block_dev(
    engine: PolicyEngine, slow_hadolint: Path
) -> None:
    quick = PolicyEngine(bundle=engine.bundle, budget_seconds=1)
    status, body = validate(
        build(quick), {"type": "dockerfile", "content": dockerfile(10), "environment": "dev"}
    )
    assert (status, body["valid"]) == (200, True)
    assert "inconclusive" in {v["rule"] for v in body["violations"]}


def test_a_validation_does_not_wait_beyond_its_budget_for_checkov_held_by_another(
    engine: PolicyEngine,
) -> None:
    # Given checkov's process-wide lock held by another run that will not finish within the budget
    quick = PolicyEngine(bundle=engine.bundle, budget_seconds=1)
    held, release = threading.Event(), threading.Event()

    def other_run() -> None:
        with checkov_runner._LOCK:
            held.set()
            release.wait(60)

    holder = threading.Thread(target=other_run)
    holder.start()
    held.wait(10)
    try:
        # When a Dockerfile is validated in staging
        status, body = validate(
            build(quick), {"type": "dockerfile", "content": dockerfile(10), "environment": "staging"}
        )
    finally:
        release.set()
        holder.join()

    # Then it answers with an inconclusive checkov finding instead of waiting for the lock
    assert status == 200, body
    messages = [v["message"] for v in body["violations"] if v["rule"] == "inconclusive"]
    assert any(m.startswith("checkov did not finish") for m in messages), messages


def test_a_validation_waits_no_longer_than_its_budget_for_a_busy_secret_scan(engine: PolicyEngine) -> None:
    # Given detect-secrets' process-wide settings lock held by another scan beyond the budget
    quick = PolicyEngine(bundle=engine.bundle, budget_seconds=1)
    held, release = threading.Event(), threading.Event()

    def other_scan() -> None:
        with secrets._SETTINGS_LOCK:
            held.set()
            release.wait(60)

    holder = threading.Thread(target=other_scan)
    holder.start()
    held.wait(10)
    try:
        # When a Dockerfile is validated
        status, body = validate(build(quick), {"type": "dockerfile", "content": dockerfile(10)})
    finally:
        release.set()
        holder.join()

    # Then it answers with an inconclusive detect-secrets finding instead of waiting
    assert status == 200, body
    messages = [v["message"] for v in body["violations"] if v["rule"] == "inconclusive"]
    assert any(m.startswith("detect-secrets did not finish") for m in messages), messages
