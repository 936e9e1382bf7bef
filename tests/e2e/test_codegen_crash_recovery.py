"""`kill -9` of codegen mid-task: the queue is not frozen and the late attempt changes nothing.

Real parts: the local AWS (moto over the wire, provisioned from the topology), the planner's own logic
in this process (create, time-out, dispatch, results), codegen as its own process (the local Lambda
runner, as `make up` starts it) pushing to real bare Git repositories, and a local model API that
holds its answer so the test knows codegen is inside its task when it kills it. The codegen queue's
visibility timeout is provisioned short (``VISIBILITY``) so the test waits for one in seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from agentic_common.aws import AwsClients
from agentic_common.poller import QueuePoller
from agentic_common.state import TaskRecord, TaskStatus
from agentic_common.topology import default_topology
from agentic_local.moto_server import MOTO_CREDENTIALS, MotoServer
from agentic_local.provision import provision
from agentic_planner.bootstrap import Planner, build
from agentic_planner.logic.create import CreateRequest, create_workflow
from agentic_planner.settings import PlannerSettings

from tests.e2e.slow_model import SlowModel

pytestmark = pytest.mark.slow

ENV = "crash"
VISIBILITY = 60  # seconds: the codegen queue's visibility timeout, provisioned short for the test
# (long enough for a restarted codegen to start and run one task on a loaded 2-core machine)
CODEGEN_TIMEOUT = 120  # the template's codegen task timeout (microservice-rest-api)
NEXT_WORKFLOWS = 3
PATIENCE = 240  # seconds before a wait gives up (a hang guard, not a measurement)
STALE_DROPPED = "dropped a stale codegen attempt"


@dataclass
class Platform:
    home: Path
    aws: MotoServer
    planner: Planner
    model: SlowModel
    planner_events: QueuePoller
    sqs: Any
    s3: Any
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start_codegen(self, name: str) -> Path:
        """Start codegen as `make up` does (its own process, the local Lambda runner); returns its log."""
        log = self.home / "logs" / f"{name}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANTHROPIC_"))}
        env.update(
            AGENTIC_HOME=str(self.home),
            AGENTIC_ENV=ENV,
            AWS_ENDPOINT_URL=self.aws.url,
            AWS_DEFAULT_REGION="us-east-1",
            ANTHROPIC_API_KEY="sk-ant-local-test",
            ANTHROPIC_BASE_URL=self.model.url,
            PYTHONUNBUFFERED="1",
            **MOTO_CREDENTIALS,
        )
        with log.open("ab") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "agentic_local.serve", "codegen"], env=env, stderr=out, stdout=out
            )
        self.processes.append(process)
        return log

    def create(self, service: str, **extra: str) -> str:
        parameters = {"serviceName": service, "language": "python", "environment": "dev", **extra}
        request = CreateRequest(
            requested_by="developer@agentic.local", template="microservice-rest-api", parameters=parameters
        )
        return create_workflow(self.planner.service, request, parameters).state.workflow.workflow_id

    def later(self, seconds: float, action: Callable[[Any], None], workflow_id: str) -> None:
        """Apply a planner transition as the sweep would ``seconds`` from now (its clock moved on)."""
        service = replace(self.planner.service, clock=lambda: datetime.now(UTC) + timedelta(seconds=seconds))
        service.apply(workflow_id, action)

    def codegen_task(self, workflow_id: str) -> TaskRecord:
        state = self.planner.service.store.load(workflow_id)
        assert state is not None
        return state.task("codegen")

    def pump(self) -> None:
        """The planner reads its queue: task results move the workflows on."""
        self.planner_events.handle(self.planner_events.receive())

    def repo(self, service: str) -> Path:
        return self.home / "git" / "services" / f"{service}.git"

    def archived(self, workflow_id: str, service: str) -> bool:
        """Whether codegen stored the workflow's repository archive (its first side effect)."""
        bucket, key = f"agentic-{ENV}-agent-artifacts", f"workflows/{workflow_id}/{service}.tar.gz"
        listed = self.s3.list_objects_v2(Bucket=bucket, Prefix=key)
        return bool(listed.get("KeyCount", 0))

    def queue_depth(self, logical: str) -> int:
        url = self.sqs.get_queue_url(QueueName=f"agentic-{ENV}-{logical}")["QueueUrl"]
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
        return sum(int(attributes[n]) for n in names)

    def codegen_queues_empty(self) -> bool:
        """Nothing in codegen's inbox (the pipe's source) nor in its FIFO queue."""
        return self.queue_depth("codegen-inbox") == 0 and self.queue_depth("codegen-tasks.fifo") == 0


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    home = tmp_path / "home"
    (home / "logs").mkdir(parents=True)
    aws = MotoServer(log_file=home / "logs" / "moto.log").start()
    model = SlowModel().start()
    patch = pytest.MonkeyPatch()
    for name, value in MOTO_CREDENTIALS.items():
        patch.setenv(name, value)
    settings = PlannerSettings(agentic_env=ENV, aws_endpoint_url=aws.url, agentic_home=home)
    topology = default_topology()
    short = [
        q.model_copy(update={"visibility_timeout_seconds": VISIBILITY}) if q.consumer == "codegen" else q
        for q in topology.queues
    ]
    clients = AwsClients(settings)
    urls = provision(topology.model_copy(update={"queues": tuple(short)}), settings, clients)
    planner = build(settings)
    sqs = clients.client("sqs")
    events = QueuePoller(
        sqs, urls["planner-events"], planner.consumer.handle_batch, "us-east-1", wait_seconds=1
    )
    running = Platform(home, aws, planner, model, events, sqs, clients.client("s3"))
    yield running
    for process in running.processes:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
    model.stop()
    aws.stop()
    patch.undo()


def wait_for(what: str, probe: Callable[[], Any], platform: Platform) -> Any:
    deadline = time.monotonic() + PATIENCE
    while not (found := probe()):
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}; logs in {platform.home / 'logs'}")
        platform.pump()
    return found


def dropped(log: Path, workflow_id: str) -> bool:
    return any(STALE_DROPPED in line and workflow_id in line for line in log.read_text().splitlines())


def test_after_a_kill_9_mid_task_the_next_workflows_run_and_the_late_attempt_pushes_nothing(
    platform: Platform,
) -> None:
    # Given codegen inside the task of workflow W0 (waiting for the model), when it is killed with SIGKILL
    platform.start_codegen("codegen-1")
    platform.model.hold()
    crashed_service = f"crashed-{uuid.uuid4().hex[:6]}"
    w0 = platform.create(crashed_service, customisation="Customers place orders.")
    platform.model.wait_for_request(timeout=PATIENCE)
    wait_for(
        "codegen's start to reach the planner", lambda: platform.codegen_task(w0).agent_started_at, platform
    )
    codegen = platform.processes[-1]
    codegen.send_signal(signal.SIGKILL)
    assert codegen.wait(timeout=30) == -signal.SIGKILL
    # And the planner's sweep has timed its attempt out (the attempt is no longer current)
    platform.later(CODEGEN_TIMEOUT + 1, lambda engine: engine.time_out(), w0)
    assert platform.codegen_task(w0).status == TaskStatus.READY

    # When more workflows arrive and codegen is started again
    services = [f"next-{i}-{uuid.uuid4().hex[:6]}" for i in range(NEXT_WORKFLOWS)]
    following = [platform.create(service) for service in services]
    log = platform.start_codegen("codegen-2")

    # Then the next workflows' codegen runs before W0's message is even delivered again: nothing waits
    # behind the crashed task (with one FIFO group for all, W0's message came first and blocked the rest;
    # now each service is its own group, so only W0's service waits)
    wait_for(
        "a next workflow's codegen",
        lambda: any(platform.codegen_task(w).status == TaskStatus.SUCCEEDED for w in following),
        platform,
    )
    assert not dropped(log, w0), "W0's message came back before any next workflow ran"
    wait_for(
        "the next workflows' codegen",
        lambda: all(platform.codegen_task(w).status == TaskStatus.SUCCEEDED for w in following),
        platform,
    )
    assert all((platform.repo(service) / "HEAD").exists() for service in services)
    assert all(platform.archived(w, service) for w, service in zip(following, services, strict=True))

    # And once its visibility timeout passes, W0's late attempt is dropped: nothing pushed, no dead letter
    pushed = platform.repo(crashed_service).exists
    wait_for("W0's late attempt to come back", lambda: dropped(log, w0) or pushed(), platform)
    assert not pushed()
    assert not platform.archived(w0, crashed_service)
    assert dropped(log, w0)
    assert platform.codegen_task(w0).status == TaskStatus.READY  # no result of attempt 1 reached it
    assert platform.queue_depth("codegen-tasks-dlq.fifo") == 0
    wait_for("the codegen queues to be empty", platform.codegen_queues_empty, platform)

    # And the retry the planner dispatches (attempt 2) generates W0's repository, once
    platform.model.release()
    platform.later(CODEGEN_TIMEOUT + 60, lambda engine: engine.dispatch_ready(), w0)
    wait_for("W0's attempt 2", lambda: platform.codegen_task(w0).status == TaskStatus.SUCCEEDED, platform)
    task = platform.codegen_task(w0)
    assert task.attempt == 2
    assert task.outputs["merge_request_iid"] is None  # the first push into an empty repository


def test_an_attempt_timed_out_while_codegen_works_on_it_pushes_nothing(platform: Platform) -> None:
    # Given codegen inside the task of workflow W (waiting for the model)
    platform.start_codegen("codegen")
    platform.model.hold()
    service = f"late-{uuid.uuid4().hex[:6]}"
    workflow = platform.create(service, customisation="Customers place orders.")
    platform.model.wait_for_request(timeout=PATIENCE)
    wait_for(
        "codegen's start to reach the planner",
        lambda: platform.codegen_task(workflow).agent_started_at,
        platform,
    )

    # When the planner times the attempt out meanwhile, and then the model answers
    platform.later(CODEGEN_TIMEOUT + 1, lambda engine: engine.time_out(), workflow)
    platform.model.release()

    # Then codegen finishes its work but, checking before the first side effect, stores and pushes nothing
    log = platform.home / "logs" / "codegen.log"
    pushed = platform.repo(service).exists
    wait_for("the attempt to end", lambda: dropped(log, workflow) or pushed(), platform)
    assert not pushed()
    assert not platform.archived(workflow, service)
    assert dropped(log, workflow)
    assert platform.codegen_task(workflow).status == TaskStatus.READY
    wait_for("the codegen queues to be empty", platform.codegen_queues_empty, platform)
    assert platform.queue_depth("codegen-tasks-dlq.fifo") == 0
