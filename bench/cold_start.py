"""Cold start of each Lambda entry point (`make bench-cold_start`), against an ``import boto3`` floor.

A cold start is what a fresh Lambda execution environment does before its first invocation's work:
import the handler module, then build what that entry point keeps per process (the bootstrap builder
its handler calls on first use). Each figure is the best of 3 fresh interpreters (``--runs``), in wall
clock and in CPU time (on a shared machine the CPU time moves less with the load); the floor,
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

import argparse
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
_CLOCKS = "t = (time.perf_counter(), time.process_time())"
_PROBE = f"""
import json, time
{_CLOCKS}
import {{module}}
i = (time.perf_counter() - t[0], time.process_time() - t[1])
from {{builder_module}} import {{builder}}
{{builder}}()
print(json.dumps([*i, time.perf_counter() - t[0], time.process_time() - t[1]]))
"""
_FLOOR = f"""
import json, time
{_CLOCKS}
import boto3
print(json.dumps([time.perf_counter() - t[0], time.process_time() - t[1]] * 2))
"""
# what each probe prints, in seconds: the import alone, then import + build; wall clock and CPU time
_FIELDS = ("import_ms", "import_cpu_ms", "cold_start_ms", "cold_start_cpu_ms")


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


def _best(code: str, env: dict[str, str], runs: int) -> dict[str, float]:
    """Each figure's best (lowest) over ``runs`` fresh interpreters, in milliseconds."""
    samples = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], check=False, env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"cold start failed:\n{done.stderr[-3000:]}")
        samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {field: min(s[n] for s in samples) * 1000 for n, field in enumerate(_FIELDS)}


def _probe(module: str, target: str) -> str:
    builder_module, builder = target.split(":")
    return _PROBE.format(module=module, builder_module=builder_module, builder=builder)


def _line(name: str, figures: dict[str, float], floor: dict[str, float]) -> str:
    wall, cpu, alone = figures["cold_start_ms"], figures["cold_start_cpu_ms"], figures["import_ms"]
    return (
        f"  {name:<26} {wall:7.0f} ms {wall / floor['cold_start_ms']:4.1f}x"
        f"   {cpu:7.0f} ms {cpu / floor['cold_start_cpu_ms']:4.1f}x"
        f"   {alone:7.0f} ms {alone / floor['import_ms']:4.1f}x"
    )


def _round(label: str, home: Path, bytecode: Path | None, runs: int) -> dict[str, Any]:
    env = _environment(home, bytecode)
    floor = _best(_FLOOR, env, runs)
    figures: dict[str, Any] = {"floor_import_boto3": floor}
    print(f"  -- {label}: import + build (wall, CPU), and the import alone (wall); ratios to the floor's")
    print(_line("floor: import boto3", floor, floor))
    for name, (module, target, extra) in ENTRY_POINTS.items():
        port = str(free_port())
        figures[name] = _best(
            _probe(module, target), env | {k: v.format(port=port) for k, v in extra.items()}, runs
        )
        print(_line(name, figures[name], floor))
    return figures


def cold_starts(runs: int = RUNS) -> dict[str, Any]:
    """Measure the floor and every entry point, from source and from bytecode; print; return (ms)."""
    load = os.getloadavg()
    print(f"== cold start per Lambda entry point (best of {runs}, fresh interpreters; load {load})")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        figures = {"from_source": _round("from source (no .pyc)", home, None, runs)}
        bytecode = home / "bytecode"
        fill = _environment(home, bytecode)
        for module, target, _ in ENTRY_POINTS.values():  # fill the cache: one run of every entry point
            subprocess.run(
                [sys.executable, "-c", _probe(module, target)], env=fill, check=True, capture_output=True
            )
        figures["from_bytecode"] = _round("from bytecode (.pyc cached)", home, bytecode, runs)
        calls = home / "aws-calls.log"
        made = calls.read_text(encoding="utf-8").split() if calls.exists() else []
        if made:
            raise RuntimeError(f"a build made AWS calls; the figures would count the network: {made}")
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=RUNS, help="fresh interpreters per figure (the best counts)"
    )
    cold_starts(parser.parse_args().runs)
