"""Cold start of each Lambda entry point (`make bench-cold_start`), against an ``import boto3`` floor.

A cold start is what a fresh Lambda execution environment does before its first invocation's work:
import the handler module, then build what that entry point keeps per process (the bootstrap builder
its handler calls on first use). Each figure is the best of 3 fresh interpreters; the floor,
``import boto3`` alone, is measured the same way in the same run, and each figure is printed as a
ratio to it. The import of the handler module alone is printed beside it: an import made lazy only
moves its cost into the build, which the cold start still counts.

Two rounds: from source (no bytecode cache: what a Lambda package without ``.pyc`` files does on every
cold start, as the read-only ``/var/task`` and ``/opt`` keep Python from writing one) and from bytecode
(a cache filled by a first run). Builds run in the default configuration (no OTLP endpoint, no Slack
webhook, no Claude key); one more line shows the API with span export on. ``AWS_ENDPOINT_URL`` points
at a closed local port: a build makes no AWS call (clients are created, nothing is sent; queue URLs
are looked up on first use), and the bench checks that none was made. What a request does on first use
(``jsonschema`` on the first template validated, a model's first validation) is that request's work
and is not counted here. Nothing here asserts on time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from agentic_local.moto_server import free_port

# entry point -> (handler module, the bootstrap builder its handler calls on first use, extra environment)
ENTRY_POINTS: dict[str, tuple[str, str, dict[str, str]]] = {
    "planner api_handler": ("agentic_planner.handler", "agentic_planner.bootstrap:build_api", {}),
    "planner events_handler": ("agentic_planner.handler", "agentic_planner.bootstrap:build_events", {}),
    "planner sweep_handler": ("agentic_planner.handler", "agentic_planner.bootstrap:build_sweep", {}),
    "codegen lambda_handler": ("agentic_codegen.handler", "agentic_codegen.bootstrap:build", {}),
    "policy lambda_handler": ("agentic_policy.handler", "agentic_policy.bootstrap:build", {}),
    "policy api_handler": ("agentic_policy.handler", "agentic_policy.bootstrap:build_api", {}),
    "planner api, OTLP export": (
        "agentic_planner.handler",
        "agentic_planner.bootstrap:build_api",
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:{port}"},  # an exporter sends nothing at build
    ),
}
RUNS = 3
_PROBE = """
import json, time
t0 = time.perf_counter()
import {module}
t1 = time.perf_counter()
from {builder_module} import {builder}
{builder}()
t2 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t0]))
"""
_FLOOR = """
import json, time
t = time.perf_counter()
import boto3
print(json.dumps([time.perf_counter() - t] * 2))
"""


def _environment(home: Path, bytecode: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "SLACK_", "ANTHROPIC_"))}
    env.update(
        AGENTIC_HOME=str(home),
        AGENTIC_ENV="bench",
        AWS_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}",  # nothing listens: a call would fail
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",  # noqa: S106 - a placeholder, never sent anywhere
        AGENTIC_AWS_CALL_LOG=str(home / "aws-calls.log"),
        LOG_LEVEL="WARNING",
        # a cache of its own: from source, an empty one nothing is written to; from bytecode, a filled one
        PYTHONPYCACHEPREFIX=str(bytecode or home / "no-bytecode"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if bytecode is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _best(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(import seconds, import + build seconds) of the fastest of RUNS fresh interpreters."""
    runs = []
    for _ in range(RUNS):
        done = subprocess.run(
            [sys.executable, "-c", code], check=False, env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"cold start failed:\n{done.stderr[-3000:]}")
        runs.append(tuple(json.loads(done.stdout.strip().splitlines()[-1])))
    return min(runs, key=lambda r: r[1])


def _probe(module: str, target: str) -> str:
    builder_module, builder = target.split(":")
    return _PROBE.format(module=module, builder_module=builder_module, builder=builder)


def _round(label: str, home: Path, bytecode: Path | None) -> dict[str, Any]:
    env = _environment(home, bytecode)
    floor = _best(_FLOOR, env)[0]
    figures: dict[str, Any] = {"floor_import_boto3": floor * 1000}
    print(f"  -- {label}")
    print(f"  {'floor: import boto3':<26} {floor * 1000:8.1f} ms")
    print(f"  {'entry point':<26} {'import + build':>14}          {'import only':>11}")
    for name, (module, target, extra) in ENTRY_POINTS.items():
        port = str(free_port())
        imported, started = _best(
            _probe(module, target), env | {k: v.format(port=port) for k, v in extra.items()}
        )
        figures[name] = {"import_ms": imported * 1000, "cold_start_ms": started * 1000}
        print(
            f"  {name:<26} {started * 1000:8.1f} ms ({started / floor:.1f}x)"
            f"   {imported * 1000:8.1f} ms ({imported / floor:.1f}x)"
        )
    return figures


def cold_starts() -> dict[str, Any]:
    """Measure the floor and every entry point, from source and from bytecode; print; return (ms)."""
    load = os.getloadavg()
    print(f"== cold start per Lambda entry point (best of {RUNS}, fresh interpreters; load {load})")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        figures = {"from_source": _round("from source (no .pyc)", home, None)}
        bytecode = home / "bytecode"
        fill = _environment(home, bytecode)
        for module, target, _ in ENTRY_POINTS.values():  # fill the cache: one run of every entry point
            subprocess.run(
                [sys.executable, "-c", _probe(module, target)], env=fill, check=True, capture_output=True
            )
        figures["from_bytecode"] = _round("from bytecode (.pyc cached)", home, bytecode)
        calls = home / "aws-calls.log"
        made = calls.read_text(encoding="utf-8").split() if calls.exists() else []
        if made:
            raise RuntimeError(f"a build made AWS calls; the figures would count the network: {made}")
    return figures


if __name__ == "__main__":
    cold_starts()
