"""Every catalogue combination through the golden path on one local stack (issue 13, point 3).

Language (python, node, go) x database (postgresql, dynamodb, redis, none) x pattern (rest, event): 24
``POST /workflows`` (dev) run side by side, ``IN_FLIGHT`` at a time (Go first); as each one ends, its
repository is cloned from the local Git server and its own tests run in a fresh environment
(``tests/e2e/repo_tests.py``), a few at a time. Each combination's time is printed. The assertions, per
combination: the workflow completed; its repository's tests passed; its store round trip succeeded (what
the local deploy target records in its log before "running": /ready naming the declared store, one
record written and read back through the API or one message handled from the queue), and the deployed
service's ``/ready`` naming that store.
"""

from __future__ import annotations

import itertools
import json
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import RunningStack
from tests.e2e.repo_tests import RepoTestRun, clone, run_repo_tests
from tests.tools import npm_cache_root

pytestmark = [pytest.mark.slow, pytest.mark.timeout(3600)]

LANGUAGES = ("python", "node", "go")
DATABASES = ("postgresql", "dynamodb", "redis", "none")
PATTERNS = ("rest", "event")
ENDED = {"completed", "failed", "cancelled"}
IN_FLIGHT = 4
"""Workflows running at once. A task's timeout counts from its dispatch, and both the policy Lambda (a
batch of up to 10 tasks) and the deployment worker (one deploy at a time) work through their queue in
turn: all 24 at once failed 15 at policy ("attempt 3 timed out after 60s"); 6 at once had Node and Go
deploys at 284-301 s of their 300 s on a loaded machine. Deploys run one at a time anyway, so 4 in
flight costs about the same total and keeps each task well within its timeout."""
REPO_TEST_WORKERS = 3
"""Repositories tested at once while the other workflows still run (the machine has two cores)."""
WAIT_SECONDS = 2400


@dataclass(frozen=True)
class Combination:
    language: str
    database: str
    pattern: str

    @property
    def name(self) -> str:
        return f"{self.language}-{self.database}-{self.pattern}"

    @property
    def service_name(self) -> str:
        return f"cmb-{self.name}"

    def parameters(self) -> dict[str, str]:
        return {
            "serviceName": self.service_name,
            "language": self.language,
            "database": self.database,
            "pattern": self.pattern,
            "environment": "dev",
        }


COMBINATIONS = tuple(Combination(*c) for c in itertools.product(LANGUAGES, DATABASES, PATTERNS))


@dataclass
class Outcome:
    combination: Combination
    workflow: dict[str, Any]
    seconds: float
    repo_tests: Future[RepoTestRun] | None = field(default=None)

    def task(self, task_id: str) -> dict[str, Any]:
        return next(t for t in self.workflow["tasks"] if t["taskId"] == task_id)

    def describe(self) -> str:
        tasks = {t["taskId"]: t["status"] for t in self.workflow["tasks"]}
        status, reason = self.workflow["status"], self.workflow.get("reason")
        return f"{self.combination.name}: {status} ({reason}); tasks {tasks}"


def _test_repository(outcome: Outcome, work: Path, npm_cache: Path) -> RepoTestRun:
    codegen = outcome.task("codegen")["outputs"]
    checkout = work / "repo"
    clone(codegen["repo_url"], codegen["commit"], checkout)
    return run_repo_tests(outcome.combination.language, checkout, work, npm_cache)


def _slowest_first(combination: Combination) -> int:
    return ("go", "node", "python").index(combination.language)  # Go builds take longest


@pytest.fixture(scope="module")
def outcomes(stack: RunningStack, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    # Given the 24 combinations, IN_FLIGHT of them running side by side at any time
    started = time.monotonic()
    waiting = sorted(COMBINATIONS, key=_slowest_first)
    running: dict[str, tuple[Combination, float]] = {}
    npm_cache = npm_cache_root()  # warm across runs, as the Go and uv caches are; node_modules stays fresh
    ended: dict[str, Outcome] = {}
    # When each is waited for, and its repository tested as soon as it has completed (the pool's exit
    # waits for every repository's tests)
    with ThreadPoolExecutor(REPO_TEST_WORKERS, thread_name_prefix="repo-tests") as pool:
        deadline = started + WAIT_SECONDS
        while (waiting or running) and time.monotonic() < deadline:
            while waiting and len(running) < IN_FLIGHT:
                combination = waiting.pop(0)
                workflow_id = stack.create(combination.parameters())["workflowId"]
                running[workflow_id] = (combination, time.monotonic())
            for workflow_id, (combination, submitted) in list(running.items()):
                workflow = dict(stack.client.get(f"/workflows/{workflow_id}").json())
                if workflow["status"] not in ENDED:
                    continue
                del running[workflow_id]
                outcome = Outcome(combination, workflow, time.monotonic() - submitted)
                if workflow["status"] == "completed":
                    work = tmp_path_factory.mktemp(combination.name)
                    outcome.repo_tests = pool.submit(_test_repository, outcome, work, npm_cache)
                ended[combination.name] = outcome
            if stack.process.poll() is not None:
                pytest.fail(f"the stack exited with {stack.process.returncode}; logs in {stack.home}/logs")
            time.sleep(1)
    total = time.monotonic() - started
    record = stack.home / "combinations.json"  # every ended workflow as the API answered, to read after
    record.write_text(json.dumps({name: o.workflow for name, o in ended.items()}, indent=1))
    print(
        f"\n{len(COMBINATIONS)} combinations + repository tests: {total:.0f} s; each workflow, submit to end:"
    )
    for outcome in sorted(ended.values(), key=lambda o: o.seconds):
        print(f"  {outcome.combination.name:28} {outcome.workflow['status']:9} {outcome.seconds:6.0f} s")
    for combination in [*waiting, *(c for c, _ in running.values())]:
        print(f"  {combination.name:28} not ended after {WAIT_SECONDS} s")
    print(f"  (the workflows: {record})")
    return ended


def _outcome_of(outcomes: dict[str, Outcome], combination: Combination) -> Outcome:
    if combination.name not in outcomes:
        pytest.fail(f"{combination.name}: the workflow did not end within {WAIT_SECONDS} s")
    return outcomes[combination.name]


def _ids(combination: Combination) -> str:
    return combination.name


@pytest.mark.parametrize("combination", COMBINATIONS, ids=_ids)
def test_the_combination_completes_with_every_task_succeeded(
    outcomes: dict[str, Outcome], combination: Combination
) -> None:
    outcome = _outcome_of(outcomes, combination)
    assert outcome.workflow["status"] == "completed", outcome.describe()
    assert {t["status"] for t in outcome.workflow["tasks"]} == {"succeeded"}, outcome.describe()


@pytest.mark.parametrize("combination", COMBINATIONS, ids=_ids)
def test_the_combinations_repository_tests_pass_in_a_fresh_environment(
    outcomes: dict[str, Outcome], combination: Combination
) -> None:
    outcome = _outcome_of(outcomes, combination)
    assert outcome.repo_tests is not None, f"no repository to test: {outcome.describe()}"
    run = outcome.repo_tests.result()
    assert run.passed, f"{combination.name}: the repository's own tests failed: {run.output}"


@pytest.mark.parametrize("combination", COMBINATIONS, ids=_ids)
def test_the_deployed_service_is_ready_on_the_store_it_declares(
    outcomes: dict[str, Outcome], combination: Combination
) -> None:
    outcome = _outcome_of(outcomes, combination)
    assert outcome.workflow["status"] == "completed", outcome.describe()
    url = outcome.task("deploy")["outputs"]["url"]
    ready = httpx.get(f"{url}/ready", timeout=10)
    body = ready.json()
    store = body.get("store", body.get("database"))  # python says "store", node and go "database"
    expected = "memory" if combination.database == "none" else combination.database
    assert (ready.status_code, store) == (200, expected), f"{combination.name}: /ready answered {body}"


def _store_check(stack: RunningStack, deployment_id: str) -> str | None:
    """What the local target recorded checking before it called the deployment running (its log line
    ``deployment <id>: /ready reports the store ...; <the round trip>``), or None."""
    prefix = f"deployment {deployment_id}: /ready reports"
    for line in (stack.home / "logs" / "deployment.log").read_text().splitlines():
        message = str(json.loads(line).get("message", "")) if line.startswith("{") else ""
        if message.startswith(prefix):
            return message.removeprefix(f"deployment {deployment_id}: ")
    return None


@pytest.mark.parametrize("combination", COMBINATIONS, ids=_ids)
def test_the_combinations_store_round_trip_succeeded(
    outcomes: dict[str, Outcome], combination: Combination, stack: RunningStack
) -> None:
    # Given the completed workflow's deployment
    outcome = _outcome_of(outcomes, combination)
    assert outcome.workflow["status"] == "completed", outcome.describe()
    deployment_id = outcome.task("deploy")["outputs"]["deployment_id"]
    # When the deployment's record of its store check is read
    checked = _store_check(stack, deployment_id)
    # Then the service reported the store it declares and one record made the round trip through it
    assert checked is not None, f"{combination.name}: no store check recorded for {deployment_id}"
    store = "memory" if combination.database == "none" else combination.database
    round_trip = "read the record back" if combination.pattern == "rest" else "was handled"
    assert checked.startswith(f"/ready reports the store {store};"), f"{combination.name}: {checked}"
    assert round_trip in checked, f"{combination.name}: {checked}"
