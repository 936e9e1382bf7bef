"""Platform benchmark (`make bench-core`): every figure beside its floor, measured in the same run.

1. cold start of each Lambda entry point (import + build), against an ``import boto3`` floor;
2. planner ``POST /workflows`` p50/p99 (sequential) and accepted workflows per minute (8 clients),
   against the floor: the raw boto3 calls such a request needs (one TransactWriteItems writing the
   workflow and its tasks, one PutEvents with its events) on the same local AWS;
3. the top 10 functions by cumulative time of ``POST /workflows`` (cProfile, in this process);
4. golden path POST → completed (p50), against the sum of its tasks' own durations; AWS calls per
   workflow (a botocore ``before-call`` hook in every service); AWS calls while nothing is active;
5. 12 golden paths at once, against one.

Nothing here asserts on time. ``--api-url`` and ``--token`` measure a deployed stack instead (the
floor, the profile and the call counts need the local AWS and are left out). The figures are written
as JSON (``--out``, default ``.agentic/bench/core-<UTC time>.json``) so runs can be compared.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import io
import json
import logging
import os
import pstats
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import httpx
import task_times
from agentic_local.auth import issue_token
from agentic_local.moto_server import free_port
from agentic_local.settings import LocalSettings
from agentic_local.stack import SERVICES, LocalStack
from cold_start import cold_starts
from cpu import cores, tree_cpu_by_part, tree_cpu_seconds

BODY = {
    "template": "microservice-rest-api",
    "parameters": {"serviceName": "bench-api", "language": "python", "environment": "dev"},
}
FIGURES: dict[str, Any] = {}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def ratio(value: float, floor: float | None) -> str:
    return f"({value / floor:.1f}x the floor)" if floor else ""


def cold_imports() -> None:
    """Cold start of each Lambda entry point against the ``import boto3`` floor (``bench/cold_start.py``)."""
    FIGURES["cold_import_ms"] = cold_starts()


def start(home: Path, services: tuple[str, ...]) -> LocalStack:
    os.environ.update(
        AGENTIC_HOME=str(home),
        AGENTIC_API_PORT=str(free_port()),
        AGENTIC_AWS_PORT=str(free_port()),
        AGENTIC_ENV="bench",
        AGENTIC_SWEEP_SECONDS="1",
        AGENTIC_AWS_CALL_LOG=str(home / "aws-calls.log"),
    )
    return LocalStack(LocalSettings(), console=open(os.devnull, "w"), services=services).start()


def aws_floor(stack: LocalStack) -> Callable[[], float]:
    """One sample (ms) of the raw calls a POST /workflows needs, on the same local AWS: one
    TransactWriteItems of a workflow item and its four task items (of the same sizes), one PutEvents
    of its two events (matching the same rules, so the local AWS delivers them to the same queues).
    Taken between the requests, so both meet the same table (moto's transactions slow as it grows)."""
    assert stack.moto is not None
    settings = LocalSettings()
    kwargs = {"endpoint_url": stack.moto.url, "region_name": settings.aws_region}
    dynamodb, events = boto3.client("dynamodb", **kwargs), boto3.client("events", **kwargs)
    table, bus = settings.name("workflows"), settings.name("agentic-bus")

    def once() -> float:
        wf = f"wf-floor-{uuid.uuid4().hex[:12]}"
        items = [{"workflow_id": {"S": wf}, "task_id": {"S": "#workflow"}, "data": {"S": "x" * 2400}}]
        items += [
            {"workflow_id": {"S": wf}, "task_id": {"S": t}, "data": {"S": "x" * 500}}
            for t in ("codegen", "policy", "deploy", "verify")
        ]
        detail = {"workflow_id": wf, "agent": "codegen", "pad": "x" * 1200}
        t = time.perf_counter()
        dynamodb.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": table,
                        "Item": i,
                        "ConditionExpression": "attribute_not_exists(workflow_id)",
                    }
                }
                for i in items
            ]
        )
        events.put_events(
            Entries=[
                {
                    "Source": "agentic.planner",
                    "DetailType": d,
                    "Detail": json.dumps(detail),
                    "EventBusName": bus,
                }
                for d in ("workflow.created", "task.created")
            ]
        )
        return (time.perf_counter() - t) * 1000

    return once


def _hammer(
    api_url: str, headers: dict[str, str], seconds: float, clients: int = 8
) -> collections.Counter[str]:
    statuses: collections.Counter[str] = collections.Counter()
    stop = time.monotonic() + seconds

    def one_client() -> None:
        with httpx.Client(base_url=api_url, headers=headers, timeout=30) as mine:
            while time.monotonic() < stop:
                try:
                    statuses[str(mine.post("/workflows", json=BODY).status_code)] += 1
                except httpx.HTTPError as exc:
                    statuses[type(exc).__name__] += 1

    threads = [threading.Thread(target=one_client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _floor_per_minute(floor_once: Callable[[], float], seconds: float, clients: int = 8) -> float:
    """The floor's own throughput: ``clients`` threads doing nothing but its raw calls, for ``seconds``."""
    done: list[float] = []
    stop = time.monotonic() + seconds

    def one_client() -> None:
        while time.monotonic() < stop:
            done.append(floor_once())

    threads = [threading.Thread(target=one_client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(done) / seconds * 60


def api_latency(
    api_url: str, token: str, floor_once: Callable[[], float] | None, requests: int, seconds: float
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    client = httpx.Client(base_url=api_url, headers=headers, timeout=30)
    latencies, floors = [], []
    for _ in range(requests):
        if floor_once is not None:
            floors.append(floor_once())
        t = time.perf_counter()
        assert client.post("/workflows", json=BODY).status_code == 201
        latencies.append((time.perf_counter() - t) * 1000)
    p50, p99 = pct(latencies, 0.5), pct(latencies, 0.99)
    floor50 = pct(floors, 0.5) if floors else None
    floor99 = pct(floors, 0.99) if floors else None
    slow = sorted(range(len(latencies)), key=lambda i: -latencies[i])[: max(1, len(latencies) // 50)]
    FIGURES["post_workflows_ms"] = {
        "floor_p50": floor50,
        "floor_p99": floor99,
        "p50": p50,
        "p99": p99,
        "n": requests,
        # the slowest 2 %: which request it was, and the floor sampled just before it (same table size)
        "slowest": [
            {"request": i, "ms": latencies[i], "floor_before_ms": floors[i] if floors else None} for i in slow
        ],
    }
    print(f"== planner POST /workflows, sequential, n={requests}")
    if floor50 and floor99:
        print(f"  floor (raw TransactWriteItems + PutEvents) p50 {floor50:.1f} ms   p99 {floor99:.1f} ms")
    print(f"  p50 {p50:.1f} ms {ratio(p50, floor50)}   p99 {p99:.1f} ms {ratio(p99, floor99)}")
    for row in FIGURES["post_workflows_ms"]["slowest"]:
        before = (
            f"; the floor sample before it {row['floor_before_ms']:.1f} ms" if row["floor_before_ms"] else ""
        )
        print(f"  slow: request {row['request']} took {row['ms']:.1f} ms{before}")
    # the floor runs half before and half after the API's clients, as both slow while the table grows
    before = _floor_per_minute(floor_once, seconds / 2) if floor_once is not None else None
    statuses = _hammer(api_url, headers, seconds)
    per_minute = statuses["201"] / seconds * 60
    after = _floor_per_minute(floor_once, seconds / 2) if floor_once is not None else None
    floor_rate = (before + after) / 2 if before is not None and after is not None else None
    FIGURES["accepted_per_minute_8_clients"] = {
        "per_minute": per_minute,
        "statuses": dict(statuses),
        "floor_per_minute": floor_rate,
    }
    print(f"== throughput: 8 concurrent clients for {seconds:.0f}s")
    print(f"  {per_minute:.0f} workflows accepted per minute (statuses: {dict(statuses)})")
    if floor_rate:
        print(
            f"  floor: 8 threads doing only the raw calls, half before and half after: {floor_rate:.0f}/min "
            f"(the API reaches {per_minute / floor_rate:.2f} of it)"
        )


def profile_create(stack: LocalStack, requests: int = 30) -> None:
    """The top 10 functions by cumulative time of POST /workflows, through the handler in this process."""
    assert stack.moto is not None
    os.environ.update(AWS_ENDPOINT_URL=stack.moto.url, AGENTIC_AWS_CALL_LOG=os.devnull)
    from agentic_planner.bootstrap import build  # noqa: PLC0415 - after the environment points at the stack

    planner = build()
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/workflows",
        "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "requestContext": {
            "http": {"method": "POST", "path": "/workflows", "sourceIp": "127.0.0.1"},
            "requestId": "bench",
            "routeKey": "$default",
            "stage": "$default",
            "authorizer": {"jwt": {"claims": {"sub": "bench@agentic.local"}, "scopes": None}},
        },
        "body": json.dumps(BODY),
        "isBase64Encoded": False,
    }
    planner.handle_api(event, None)  # warm
    logging.disable(logging.INFO)  # the access log's lines are not figures
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        assert planner.handle_api(event, None)["statusCode"] == 201
    profiler.disable()
    logging.disable(logging.NOTSET)
    out = io.StringIO()
    # the request's own frames (gateway guard, resolver, middlewares) wrap everything: list what they call
    own = (
        r"agentic_(planner|common)/(logic|state|bus|adapters|catalogue|events|api/app)"
        r"|botocore/endpoint|pydantic/main"
    )
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(own, 10)
    print(f"== profile of POST /workflows in-process, n={requests}: top 10 by cumulative time")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:4000])


def _read_calls(
    call_log: Path,
) -> tuple[collections.Counter[str], collections.Counter[str], collections.Counter[str]]:
    """The call log's lines (``<service>.<operation> <process>[ <origin>]``): the platform's own calls
    by operation and by process+operation, and apart, by process+operation, the calls the local Lambda
    stack makes for AWS (the event source mapping's polls, the pipes' moves: in AWS, Lambda and
    EventBridge Pipes make them, not our code), by origin, process and operation."""
    by_op: collections.Counter[str] = collections.Counter()
    by_process: collections.Counter[str] = collections.Counter()
    mapping: collections.Counter[str] = collections.Counter()
    for line in call_log.read_text().splitlines():
        op, process, origin = [*line.split(" "), "", ""][:3]
        if origin:
            mapping[f"{origin}: {process} {op}"] += 1
            continue
        by_op[op] += 1
        by_process[f"{process or '?'} {op}"] += 1
    return by_op, by_process, mapping


def _task_seconds(workflow: dict[str, Any]) -> float:
    total = 0.0
    for task in workflow["tasks"]:
        if task.get("startedAt") and task.get("finishedAt"):
            started = datetime.fromisoformat(task["startedAt"])
            total += (datetime.fromisoformat(task["finishedAt"]) - started).total_seconds()
    return total


POLL_SECONDS = 0.5  # how often the bench reads a workflow it waits for (its time comes from the record)


def _run_one(client: httpx.Client, name: str, reads: list[int] | None = None) -> tuple[float, dict[str, Any]]:
    """POST, then GET every ``POLL_SECONDS`` until it ends; ``reads`` counts the GETs (each is one DynamoDB
    Query of the bench's). The time runs from just before the POST to the workflow's own ``completedAt``
    (the same clock on the local stack; NTP-close on a deployed one), so how often the bench reads changes
    neither the figure nor much the CPU it measures. Without a ``completedAt``: when the bench saw it end."""
    body = {**BODY, "parameters": {**BODY["parameters"], "serviceName": name}}
    started, t = datetime.now(UTC), time.perf_counter()
    workflow_id = client.post("/workflows", json=body).json()["workflowId"]
    while True:
        response = client.get(f"/workflows/{workflow_id}")
        if reads is not None:
            reads.append(1)
        if response.status_code != 200:  # reported as the run's status: an error is a figure too
            return time.perf_counter() - t, {"status": f"GET {response.status_code}", "tasks": []}
        if (workflow := response.json())["status"] != "in_progress":
            return _ended_after(workflow, started, time.perf_counter() - t), workflow
        time.sleep(POLL_SECONDS)


def _ended_after(workflow: dict[str, Any], started: datetime, seen: float) -> float:
    """Seconds from ``started`` to the workflow's ``completedAt``; ``seen`` when it has none."""
    done = workflow.get("completedAt")
    return (datetime.fromisoformat(done) - started).total_seconds() if done else seen


def golden_path(client: httpx.Client, runs: int, call_log: Path | None) -> float:
    durations, floors, reads, ended = [], [], [], []
    calls = by_process = mapping = collections.Counter[str]()
    cpu_used: list[float] = []
    cpu_parts: dict[str, list[float]] = collections.defaultdict(list)
    for i in range(runs):
        if call_log:
            call_log.write_text("")
        reads = []
        cpu_before, parts_before = tree_cpu_seconds(), tree_cpu_by_part()
        took, workflow = _run_one(client, f"bench-api-{i}", reads)
        durations.append(took)
        ended.append(workflow)
        floors.append(_task_seconds(workflow))
        if call_log:  # local stack only: its processes are this one's children
            time.sleep(1.5)  # let the notification and remediation hops land before counting
            calls, by_process, mapping = _read_calls(call_log)
            cpu_used.append(tree_cpu_seconds() - cpu_before)
            for part, seconds in tree_cpu_by_part().items():
                cpu_parts[part].append(seconds - parts_before.get(part, 0.0))
        cpu = f", CPU {cpu_used[-1]:.2f}s in all processes" if cpu_used else ""
        own = f"its tasks' own time {floors[-1]:.2f}s"
        print(f"  run {i + 1}: {workflow['status']} in {took:.2f}s ({own}{cpu})")
    p50, floor = statistics.median(durations), statistics.median(floors)
    FIGURES["golden_path_s"] = {"p50": p50, "floor_sum_of_task_durations_p50": floor, "runs": durations}
    if cpu_used:
        FIGURES["golden_path_s"]["cpu_seconds_p50"] = statistics.median(cpu_used)
        by_part = {part: statistics.median(used) for part, used in cpu_parts.items()}
        FIGURES["golden_path_s"]["cpu_seconds_p50_by_part"] = by_part
        total = statistics.median(cpu_used)
        print(f"  CPU per golden path p50 {total:.2f}s, by part of the stack (p50 of each):")
        for part, seconds in sorted(by_part.items(), key=lambda item: -item[1]):
            print(f"    {part:<24} {seconds:5.2f}s")
    print(f"== golden path POST → completed, n={runs}: p50 {p50:.2f}s {ratio(p50, floor)}")
    FIGURES["golden_path_s"]["tasks"] = task_times.breakdown(ended)
    task_times.print_breakdown("one at a time", FIGURES["golden_path_s"]["tasks"])
    print(f"  floor (the sum of its tasks' own durations) p50 {floor:.2f}s")
    if call_log:
        _print_workflow_calls(calls, by_process, mapping, len(reads))
    return p50


def _print_workflow_calls(
    calls: collections.Counter[str],
    by_process: collections.Counter[str],
    mapping: collections.Counter[str],
    gets: int,
) -> None:
    polls = calls["sqs.ReceiveMessage"]
    platform = sum(calls.values()) - polls - gets
    FIGURES["aws_calls_per_workflow"] = {
        "total": sum(calls.values()) + sum(mapping.values()),
        "platform": platform,
        "excluding_long_polls_and_bench_reads": platform,
        "worker_long_polls": polls,
        "bench_get_reads": gets,
        "event_source_mapping": dict(mapping),
        "by_operation": dict(calls),
        "by_process_and_operation": dict(by_process),
    }
    print(
        f"== AWS API calls during one workflow: {platform} made by the platform, besides "
        f"{sum(mapping.values())} of the event source mapping and pipes (AWS makes these), {polls} workers' "
        f"long-poll ReceiveMessage calls and the {gets} Query calls of the bench's own GET /workflows/{{id}}"
    )
    for op, n in calls.most_common():
        if op != "sqs.ReceiveMessage":
            print(f"  {op:<36} {n}")
    print("  by process (the bench's own GETs are planner-api Query calls):")
    for op, n in by_process.most_common():
        if not op.endswith("sqs.ReceiveMessage"):
            print(f"    {op:<48} {n}")
    print("  event source mapping and pipes (AWS makes these; not counted above):")
    for op, n in mapping.most_common():
        print(f"    {op:<48} {n}")


def idle_calls(call_log: Path, seconds: float = 10.0) -> None:
    """AWS calls per second when no workflow is active (the queues' long polls are listed apart)."""
    call_log.write_text("")
    time.sleep(seconds)
    calls, by_process, mapping = _read_calls(call_log)
    polls = calls.pop("sqs.ReceiveMessage", 0)
    by_process = collections.Counter(
        {k: n for k, n in by_process.items() if not k.endswith("sqs.ReceiveMessage")}
    )
    FIGURES["idle_aws_calls_per_second"] = {
        "excluding_long_polls": sum(calls.values()) / seconds,
        "calls": dict(calls),
        "by_process_and_operation": dict(by_process),
        "event_source_mapping": dict(mapping),
    }
    print(
        f"== idle for {seconds:.0f}s: {sum(calls.values()) / seconds:.2f} AWS calls/s besides {polls} "
        f"workers' long polls and {sum(mapping.values())} calls of the event source mapping and pipes "
        "(AWS makes these)"
    )
    for op, n in by_process.most_common():
        print(f"  {op:<48} {n}")


def side_by_side(client: httpx.Client, one: float, count: int = 12) -> None:
    started, t = datetime.now(UTC), time.perf_counter()
    with ThreadPoolExecutor(count) as pool:
        workflows = list(pool.map(lambda i: _run_one(client, f"bench-par-{i}")[1], range(count)))
    seen = time.perf_counter() - t
    took = max(_ended_after(workflow, started, seen) for workflow in workflows)
    results = [w["status"] for w in workflows]
    FIGURES["golden_paths_at_once_s"] = {
        "count": count,
        "all_done": took,
        "one_p50": one,
        "statuses": results,
        "tasks": task_times.breakdown(workflows),
    }
    print(f"== {count} golden paths at once: all ended in {took:.2f}s ({took / one:.1f}x one golden path)")
    if (cpu := FIGURES.get("golden_path_s", {}).get("cpu_seconds_p50")) is not None:
        # they cannot end before the CPU they need has run on the cores there are (bench/cpu.py)
        cpu_floor = max(one, count * cpu / cores())
        FIGURES["golden_paths_at_once_s"]["cpu_floor"] = cpu_floor
        print(
            f"  CPU floor: {count} x {cpu:.2f}s CPU per golden path / {cores()} cores = {cpu_floor:.2f}s; "
            f"all ended at {took / cpu_floor:.1f}x it"
        )
    print(f"  statuses: {dict(collections.Counter(results))}")
    task_times.print_breakdown(f"{count} at once", FIGURES["golden_paths_at_once_s"]["tasks"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api-url", help="a deployed stack's API (default: start the local stack)")
    parser.add_argument("--token", help="a bearer token for --api-url")
    parser.add_argument("--out", type=Path, help="where to write the figures as JSON")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if bool(args.api_url) != bool(args.token):
        parser.error("--api-url and --token go together")
    out = args.out or Path(".agentic/bench") / f"core-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    FIGURES["machine"] = {"cpus": os.cpu_count(), "load_average": os.getloadavg(), "api_url": args.api_url}
    print(f"== load average {os.getloadavg()} on {os.cpu_count()} CPUs")
    cold_imports()
    if args.api_url:
        api_latency(args.api_url, args.token, None, args.requests, args.seconds)
        client = httpx.Client(
            base_url=args.api_url, headers={"Authorization": f"Bearer {args.token}"}, timeout=30
        )
        side_by_side(client, golden_path(client, args.runs, None))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            stack = start(Path(tmp), ("planner-api",))
            try:
                floor_once = aws_floor(stack)
                api_latency(stack.api_url, issue_token(Path(tmp)), floor_once, args.requests, args.seconds)
                profile_create(stack)
            finally:
                stack.stop()
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            stack = start(home, SERVICES)
            try:
                headers = {"Authorization": f"Bearer {issue_token(home)}"}
                client = httpx.Client(base_url=stack.api_url, headers=headers, timeout=30)
                one = golden_path(client, args.runs, home / "aws-calls.log")
                idle_calls(home / "aws-calls.log")
                side_by_side(client, one)
            finally:
                stack.stop()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(FIGURES, indent=2, default=str))
    print(f"== figures written to {out}")


if __name__ == "__main__":
    main()
