"""Quality gate for the Go (Gin) templates: every catalogue combination built, vetted and tested for real.

For each database x pattern the repository is rendered to a temporary directory, and:
- ``gofmt -l`` lists no file, and the Dockerfile has no hadolint finding;
- ``go.mod`` and ``go.sum`` are exactly what ``go mod tidy`` makes of them (``go mod tidy -diff`` prints
  nothing), so the committed checksums cover every module the code and its tests import;
- ``go build ./...``, ``go vet ./...`` and ``go test ./...`` pass (``agentic_gate.go_checks``),
  modules downloaded from the Go module proxy and verified against the committed go.sum, cached in
  ``agentic_checks.toolchain.go_cache()`` across runs;
- the adapters' own tests run against real servers, and the test checks they ran (PASS, not SKIP):
  PostgreSQL (pgx) and Redis (go-redis) on throwaway servers (``tests/local_servers.py``), DynamoDB and
  SQS (AWS SDK v2) on the moto server.
PostgreSQL and Redis are located by ``tests/tools.py``: a missing one fails with its install command.
"""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from agentic_checks.hadolint import run_hadolint
from agentic_checks.toolchain import gofmt_binary
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_gate.go_checks import GO_CHECKS, check_go, run_go

DATABASES = ("none", "postgresql", "dynamodb", "redis")
PATTERNS = ("rest", "event")
SERVICE = "orders-svc"
REAL_SERVER_TESTS = {
    "postgresql": "TestTheRepositoryRoundTripsRecordsInARealDatabase",
    "redis": "TestTheRepositoryRoundTripsRecordsInARealRedis",
    "dynamodb": "TestTheRepositoryRoundTripsRecordsInARealTable",
    "event": "TestAMessageSentToARealQueueIsReceivedAndDeleted",
}

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
"""A first run on a machine compiles the standard library and the modules into the Go cache (minutes)."""


def _render(tmp_path: Path, **parameters: Any) -> tuple[dict[str, bytes], Path]:
    params = parse_parameters({"serviceName": SERVICE, "language": "go", **parameters})
    files = TemplateRenderer().render(params)
    repo = tmp_path / SERVICE
    for path, content in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_bytes(content)
    return files, repo


def _store_env(request: pytest.FixtureRequest, database: str, pattern: str) -> dict[str, str]:
    """Where the adapters' real-server tests point: a PostgreSQL or Redis server, a moto table or queue."""
    env: dict[str, str] = {}
    if database == "postgresql":
        env["TEST_DATABASE_URL"] = request.getfixturevalue("postgres_url")
    elif database == "redis":
        env["TEST_REDIS_URL"] = request.getfixturevalue("redis_url")
    if database != "dynamodb" and pattern != "event":
        return env
    env |= {
        "AWS_ENDPOINT_URL": request.getfixturevalue("moto_server").url,
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    clients = request.getfixturevalue("aws_clients")
    name = f"codegen-go-{uuid.uuid4().hex[:8]}"
    if database == "dynamodb":
        clients.client("dynamodb").create_table(
            TableName=name,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        )
        env["TEST_DYNAMODB_TABLE"] = name
    if pattern == "event":
        env["TEST_QUEUE_URL"] = clients.client("sqs").create_queue(QueueName=name)["QueueUrl"]
    return env


def _real_server_tests(database: str, pattern: str) -> tuple[str, ...]:
    return tuple(REAL_SERVER_TESTS[key] for key in (database, pattern) if key in REAL_SERVER_TESTS)


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("database", DATABASES)
def test_a_generated_go_service_builds_vets_and_passes_its_tests_against_real_servers(
    request: pytest.FixtureRequest, tmp_path: Path, database: str, pattern: str
) -> None:
    # Given a Go service rendered for this database and pattern
    files, repo = _render(tmp_path, database=database, pattern=pattern)
    assert ("internal/consumer/consumer.go" in files) == (pattern == "event")
    assert {"go.mod", "go.sum"} <= files.keys()

    # When gofmt and go mod tidy -diff look at it, Then neither would change anything
    go_files = sorted(path for path in files if path.endswith(".go"))
    formatted = subprocess.run(
        [str(gofmt_binary()), "-l", *go_files], cwd=repo, capture_output=True, text=True, check=False
    )
    assert (formatted.returncode, formatted.stdout) == (0, ""), formatted.stdout + formatted.stderr
    tidy = run_go(["mod", "tidy", "-diff"], repo, extra_env={"GOFLAGS": "-mod=mod"})
    assert tidy.returncode == 0, tidy.stdout[-3000:] + tidy.stderr[-2000:]

    # And go build, go vet and go test pass, the adapters' tests running against real servers (not skipped)
    store_env = _store_env(request, database, pattern)
    outcomes = check_go(repo, store_env=store_env, must_pass=_real_server_tests(database, pattern))
    assert {check: outcomes[check].status for check in GO_CHECKS} == dict.fromkeys(GO_CHECKS, "pass"), (
        "\n".join(problem for outcome in outcomes.values() for problem in outcome.problems)
    )

    # And its Dockerfile has no hadolint finding
    assert run_hadolint(files["Dockerfile"]) == []


def test_the_gate_fails_when_an_adapter_test_skips_instead_of_reaching_its_server(tmp_path: Path) -> None:
    # Given a Redis service whose real-server test is required but given no server to reach
    _files, repo = _render(tmp_path, database="redis", pattern="rest")

    # When the gate's Go checks run without TEST_REDIS_URL
    outcomes = check_go(repo, must_pass=_real_server_tests("redis", "rest"))

    # Then it builds and vets, but the tests fail naming the skipped test
    assert (outcomes["go-build"].status, outcomes["go-vet"].status) == ("pass", "pass")
    assert outcomes["go-test"].status == "fail"
    assert "TestTheRepositoryRoundTripsRecordsInARealRedis did not run" in outcomes["go-test"].problems[0]
