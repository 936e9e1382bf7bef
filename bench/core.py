"""Platform benchmark (`make bench`): prints its figures; nothing here asserts on time.

1. cold import time of each Lambda handler module (fresh interpreter each, best of 3);
2. planner `POST /workflows` latency p50/p99 and accepted workflows per minute, over HTTP through the
   local API gateway, with moto and the planner only (agents off, so only the planner is measured);
3. golden-path time from POST to completed (p50 over N) on the whole stack;
4. AWS API calls per workflow, counted by a botocore ``before-call`` hook in every service process.
"""

from __future__ import annotations

import collections
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from agentic_local.auth import issue_token
from agentic_local.moto_server import free_port
from agentic_local.settings import LocalSettings
from agentic_local.stack import SERVICES, LocalStack

HANDLERS = ("agentic_planner.handler", "agentic_codegen.handler", "agentic_policy.handler")
BODY = {
    "template": "microservice-rest-api",
    "parameters": {"serviceName": "bench-api", "language": "python", "environment": "dev"},
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def cold_imports() -> None:
    print("== cold import of Lambda handler modules (best of 3, fresh interpreter)")
    for module in HANDLERS:
        code = f"import time; t=time.perf_counter(); import {module}; print(time.perf_counter()-t)"
        runs = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code], check=True, capture_output=True, text=True
                ).stdout
            )
            for _ in range(3)
        ]
        print(f"  {module:<28} {min(runs) * 1000:8.1f} ms")


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


def api_latency(requests: int = 200, seconds: float = 20.0, workers: int = 8) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stack = start(Path(tmp), ("planner-api",))
        try:
            client = httpx.Client(
                base_url=stack.api_url, headers={"Authorization": f"Bearer {issue_token(Path(tmp))}"}
            )
            latencies = []
            for _ in range(requests):
                t = time.perf_counter()
                assert client.post("/workflows", json=BODY).status_code == 201
                latencies.append((time.perf_counter() - t) * 1000)
            print(f"== planner POST /workflows, sequential, n={requests}")
            print(f"  p50 {pct(latencies, 0.5):.1f} ms   p99 {pct(latencies, 0.99):.1f} ms")
            accepted = collections.Counter()
            stop = time.monotonic() + seconds

            def hammer() -> None:
                with httpx.Client(base_url=stack.api_url, headers=client.headers, timeout=30) as mine:
                    while time.monotonic() < stop:
                        try:
                            accepted[mine.post("/workflows", json=BODY).status_code] += 1
                        except httpx.HTTPError as exc:
                            accepted[type(exc).__name__] += 1

            threads = [threading.Thread(target=hammer) for _ in range(workers)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            print(f"== throughput: {workers} concurrent clients for {seconds:.0f}s")
            per_minute = accepted[201] / seconds * 60
            print(f"  {per_minute:.0f} workflows accepted per minute (statuses: {dict(accepted)})")
        finally:
            stack.stop()


def golden_path(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        stack = start(home, SERVICES)
        try:
            client = httpx.Client(
                base_url=stack.api_url, headers={"Authorization": f"Bearer {issue_token(home)}"}
            )
            durations, calls = [], []
            for i in range(runs):
                log = home / "aws-calls.log"
                log.write_text("")
                body = {**BODY, "parameters": {**BODY["parameters"], "serviceName": f"bench-api-{i}"}}
                t = time.perf_counter()
                workflow_id = client.post("/workflows", json=body).json()["workflowId"]
                while (status := client.get(f"/workflows/{workflow_id}").json()["status"]) == "in_progress":
                    time.sleep(0.05)
                durations.append(time.perf_counter() - t)
                time.sleep(1.5)  # let the notification and remediation hops land before counting
                ops = collections.Counter(log.read_text().split())
                calls.append(ops)
                print(f"  run {i + 1}: {status} in {durations[-1]:.2f}s")
            print(
                f"== golden path POST → completed, n={runs}: p50 {statistics.median(durations):.2f}s "
                f"(min {min(durations):.2f}s, max {max(durations):.2f}s)"
            )
            last = calls[-1]
            polls = last["sqs.ReceiveMessage"]
            print(
                f"== AWS API calls during one workflow (all services): {sum(last.values())} total, "
                f"{sum(last.values()) - polls} excluding {polls} idle/long-poll ReceiveMessage calls"
            )
            for op, n in last.most_common():
                print(f"  {op:<36} {n}")
        finally:
            stack.stop()


if __name__ == "__main__":
    cold_imports()
    api_latency()
    golden_path()
