"""Batches side by side on the local AWS: the Fargate worker's pool and lanes, the local Lambda runner.

Concurrency is observed, never timed: a handler of one service waits at a barrier for a handler of
another (a worker running one batch at a time breaks the barrier); handlers of one service count how
many of them run at once.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from agentic_common.aws import AwsClients
from agentic_common.worker import Worker
from agentic_deployment.logic.lanes import service_lane
from agentic_local.lambda_runner import run_event_source

BARRIER_SECONDS = 30.0


@pytest.fixture
def queue(aws_clients: AwsClients) -> Iterator[str]:
    sqs = aws_clients.client("sqs")
    url: str = sqs.create_queue(
        QueueName=f"side-by-side-{uuid.uuid4().hex[:10]}", Attributes={"VisibilityTimeout": "30"}
    )["QueueUrl"]
    yield url
    sqs.delete_queue(QueueUrl=url)


def deploy_message(service: str, n: int) -> str:
    detail = {"workflow_id": f"wf-{n}", "parameters": {"serviceName": service, "environment": "dev"}}
    return json.dumps({"detail-type": "task.created", "detail": detail})


def services_of(event: dict[str, Any]) -> list[str]:
    return [json.loads(r["body"])["detail"]["parameters"]["serviceName"] for r in event["Records"]]


class Recorder:
    """A Lambda-shaped batch handler: ``orders`` meets ``billing`` at a barrier; counts overlaps."""

    def __init__(self, expected: int) -> None:
        self.meeting = threading.Barrier(2, timeout=BARRIER_SECONDS)
        self.met: list[str] = []
        self.active: dict[str, int] = {}
        self.most_at_once: dict[str, int] = {}
        self.handled: list[str] = []
        self.all_handled = threading.Event()
        self._expected = expected
        self._lock = threading.Lock()

    def __call__(self, event: dict[str, Any], _context: Any) -> dict[str, Any]:
        for service in services_of(event):
            with self._lock:
                self.active[service] = self.active.get(service, 0) + 1
                self.most_at_once[service] = max(self.most_at_once.get(service, 0), self.active[service])
            try:
                if service in ("billing", "orders") and len(self.met) < 2:
                    self.meeting.wait()
                    self.met.append(service)
                else:
                    threading.Event().wait(0.3)  # room for another batch of the service to interleave
            except threading.BrokenBarrierError:
                pass
            finally:
                with self._lock:
                    self.active[service] -= 1
                    self.handled.append(service)
                    if len(self.handled) == self._expected:
                        self.all_handled.set()
        return {"batchItemFailures": []}


def run_until_handled(start: Callable[[], None], stop: threading.Event, recorder: Recorder) -> None:
    thread = threading.Thread(target=start)
    thread.start()
    try:
        recorder.all_handled.wait(BARRIER_SECONDS * 3)
    finally:
        stop.set()
        thread.join()


def test_the_worker_runs_deploys_of_different_services_side_by_side(
    queue: str, aws_clients: AwsClients
) -> None:
    # Given a deploy of orders and a deploy of billing on the queue, and a worker with room for 4
    sqs = aws_clients.client("sqs")
    for n, service in enumerate(("orders", "billing")):
        sqs.send_message(QueueUrl=queue, MessageBody=deploy_message(service, n))
    recorder = Recorder(expected=2)
    worker = Worker(
        sqs, queue, recorder, "us-east-1", visibility_timeout=30, concurrency=4, lane=service_lane
    )

    # When it runs until both are handled
    run_until_handled(worker.run, worker.stop, recorder)

    # Then each deploy ran while the other was running (they met at the barrier)
    assert sorted(recorder.met) == ["billing", "orders"]


def test_the_worker_never_runs_two_deploys_of_one_service_at_once(
    queue: str, aws_clients: AwsClients
) -> None:
    # Given three deploys of payments and two of another service, and a worker with room for 4
    sqs = aws_clients.client("sqs")
    for n, service in enumerate(("payments", "payments", "orders", "payments", "billing")):
        sqs.send_message(QueueUrl=queue, MessageBody=deploy_message(service, n))
    recorder = Recorder(expected=5)
    worker = Worker(
        sqs, queue, recorder, "us-east-1", visibility_timeout=30, concurrency=4, lane=service_lane
    )

    # When it runs until all are handled
    run_until_handled(worker.run, worker.stop, recorder)

    # Then every deploy ran, the payments deploys one after another, while other services overlapped
    assert sorted(recorder.handled) == ["billing", "orders", "payments", "payments", "payments"]
    assert recorder.most_at_once["payments"] == 1
    assert sorted(recorder.met) == ["billing", "orders"]


def test_stopping_the_worker_waits_for_the_deploy_in_flight_and_acknowledges_it(
    queue: str, aws_clients: AwsClients
) -> None:
    # Given a worker running a deploy that is still in progress
    sqs = aws_clients.client("sqs")
    sqs.send_message(QueueUrl=queue, MessageBody=deploy_message("orders", 0))
    entered, release, finished = threading.Event(), threading.Event(), threading.Event()

    def slow(event: dict[str, Any], _context: Any) -> dict[str, Any]:
        entered.set()
        release.wait(BARRIER_SECONDS)
        finished.set()
        return {"batchItemFailures": []}

    worker = Worker(sqs, queue, slow, "us-east-1", visibility_timeout=30, concurrency=4, lane=service_lane)
    finished_when_run_returned: list[bool] = []

    def run() -> None:
        worker.run()
        finished_when_run_returned.append(finished.is_set())

    thread = threading.Thread(target=run)
    thread.start()
    assert entered.wait(BARRIER_SECONDS)

    # When it is asked to stop, and the deploy then ends
    worker.stop.set()
    release.set()
    thread.join()

    # Then run returned only after the deploy ended, and its message is gone from the queue
    assert finished_when_run_returned == [True]
    counts = sqs.get_queue_attributes(
        QueueUrl=queue,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    assert counts == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}


def test_the_local_lambda_runner_runs_invocations_side_by_side_each_with_its_own_context(
    queue: str, aws_clients: AwsClients
) -> None:
    # Given a function that may run 4 invocations at once, past its first (cold) invocation
    sqs = aws_clients.client("sqs")
    recorder = Recorder(expected=3)
    request_ids: list[str] = []
    warm = threading.Event()

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        request_ids.append(context.aws_request_id)
        try:
            return recorder(event, context)
        finally:
            warm.set()

    stop = threading.Event()

    def start() -> None:
        run_event_source(
            sqs, queue, handler, "us-east-1", function_name="f", stop=stop, batch_size=1, concurrency=4
        )

    thread = threading.Thread(target=start)
    thread.start()
    try:
        sqs.send_message(QueueUrl=queue, MessageBody=deploy_message("warm-up", 0))
        assert warm.wait(BARRIER_SECONDS)

        # When two messages arrive
        for n, service in enumerate(("orders", "billing"), start=1):
            sqs.send_message(QueueUrl=queue, MessageBody=deploy_message(service, n))
        recorder.all_handled.wait(BARRIER_SECONDS * 3)
    finally:
        stop.set()
        thread.join()

    # Then their invocations overlapped, and every invocation had its own request id
    assert sorted(recorder.met) == ["billing", "orders"]
    assert len(set(request_ids)) == 3


def test_the_local_lambda_runner_runs_its_first_invocation_alone(queue: str, aws_clients: AwsClients) -> None:
    # Given three messages for a function that may run 4 invocations at once
    sqs = aws_clients.client("sqs")
    for n in range(3):
        sqs.send_message(QueueUrl=queue, MessageBody=deploy_message(f"svc-{n}", n))
    started: list[int] = []
    others_during_first: list[int] = []
    done = threading.Event()
    lock = threading.Lock()

    def handler(event: dict[str, Any], _context: Any) -> dict[str, Any]:
        with lock:
            started.append(1)
            first = len(started) == 1
        if first:
            threading.Event().wait(0.5)  # room for others to start, were they allowed to
            others_during_first.append(len(started) - 1)
        with lock:
            if len(started) == 3:
                done.set()
        return {"batchItemFailures": []}

    stop = threading.Event()

    def start() -> None:
        run_event_source(
            sqs, queue, handler, "us-east-1", function_name="f", stop=stop, batch_size=1, concurrency=4
        )

    # When the runner takes them
    thread = threading.Thread(target=start)
    thread.start()
    try:
        done.wait(BARRIER_SECONDS)
    finally:
        stop.set()
        thread.join()

    # Then no invocation started while the first (the cold start) ran, and all three ran
    assert others_during_first == [0]
    assert len(started) == 3
