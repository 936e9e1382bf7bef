"""``make bench-console``: the web console's first page load in Chromium on the local stack, and its bundle.

Starts the stack in a temporary home, builds the console when stale, creates a few workflows (the list
has rows), then opens ``/console/`` with a fresh token in a new browser context N times
(``tests/e2e/console/console_flow.mjs``, MODE=load). Prints the time until the workflow list is drawn
(the page's own data included) and the navigation's load event, and the size of the built files, against
the issue's 1 s target; and the list's data call alone: one ``GET /workflows?status=any`` (what the page
sends) against the five one-status calls the page used to send. Prints figures; asserts nothing.
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from agentic_local.auth import issue_token
from agentic_local.moto_server import free_port
from agentic_local.settings import LocalSettings
from agentic_local.stack import LocalStack

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.build_console import CONSOLE, build  # noqa: E402
from tests.tools import locate  # noqa: E402

FLOW = REPO / "tests" / "e2e" / "console" / "console_flow.mjs"


def bundle_sizes() -> list[str]:
    files = sorted(p for p in (CONSOLE / "dist").rglob("*") if p.is_file())
    lines = []
    for file in files:
        data = file.read_bytes()
        packed = len(gzip.compress(data)) / 1024
        lines.append(f"  {file.relative_to(CONSOLE)}: {len(data) / 1024:.1f} KiB ({packed:.1f} KiB gzip)")
    return lines


def _figures(name: str, values: list[float]) -> str:
    return (
        f"  {name}: median {statistics.median(values):.0f} ms, min {min(values):.0f}, max {max(values):.0f} "
        f"({len(values)} loads; target < 1000 ms: {'met' if statistics.median(values) < 1000 else 'NOT met'})"
    )


STATUSES = ("in_progress", "awaiting_approval", "completed", "failed", "cancelled")


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def list_calls(api: httpx.Client, rounds: int) -> None:
    """The list's data, one call for any status vs one call per status (one after another, as served)."""

    def one() -> None:
        api.get("/workflows", params={"status": "any", "limit": 50}).raise_for_status()

    def get(status: str) -> None:
        api.get("/workflows", params={"status": status, "limit": 50}).raise_for_status()

    def five() -> None:
        for status in STATUSES:
            get(status)

    def five_at_once() -> None:  # what the page sent before (Promise.all)
        with ThreadPoolExecutor(max_workers=len(STATUSES)) as pool:
            list(pool.map(get, STATUSES))

    print("== the workflow list's data through the local API")
    for name, call in (
        ("GET /workflows?status=any (1 call)", one),
        ("one GET per status (5 calls, one after another)", five),
        ("one GET per status (5 calls side by side, as the page sent them)", five_at_once),
    ):
        ms = [_timed(call) for _ in range(rounds)]
        print(f"  {name}: median {statistics.median(ms):.0f} ms, min {min(ms):.0f}, max {max(ms):.0f}")


def main(loads: int = 10) -> None:
    line = build()
    if line:
        print(line)
    print("== console bundle")
    print("\n".join(bundle_sizes()))
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        os.environ.update(
            AGENTIC_HOME=str(home),
            AGENTIC_API_PORT=str(free_port()),
            AGENTIC_AWS_PORT=str(free_port()),
            AGENTIC_ENV="benchconsole",
        )
        stack = LocalStack(LocalSettings(), console=sys.stdout).start()
        stop = threading.Event()
        supervisor = threading.Thread(target=stack.wait, args=(stop,), daemon=True)
        supervisor.start()
        try:
            token = issue_token(home)
            with httpx.Client(
                base_url=stack.api_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
            ) as api:
                for i in range(3):
                    body = {
                        "template": "microservice-rest-api",
                        "parameters": {
                            "serviceName": f"bench-ui-{i}",
                            "language": "python",
                            "environment": "dev",
                        },
                    }
                    api.post("/workflows", json=body).raise_for_status()
                list_calls(api, loads)
            env = os.environ | {
                "CONSOLE_URL": f"{stack.api_url}/console/",
                "CHROMIUM": str(locate("chromium")),
                "ARTIFACTS": tmp,
                "TOKEN_DEVELOPER": token,
                "MODE": "load",
                "LOADS": str(loads),
            }
            done = subprocess.run(
                [str(locate("node")), str(FLOW)], env=env, capture_output=True, text=True, check=False
            )
            result = json.loads(done.stdout.strip().splitlines()[-1])
            if done.returncode != 0:
                raise SystemExit(f"the browser run failed: {result.get('error')}")
            print(f"== first page load of /console/ (Chromium, a new context each time, {stack.api_url})")
            print(_figures("until the workflow list is drawn", result["firstLoadsMs"]))
            print(_figures("navigation load event", result["loadEventsMs"]))
        finally:
            stop.set()
            supervisor.join(timeout=5)
            stack.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
