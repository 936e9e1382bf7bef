"""Codegen benchmark (`make bench-codegen`): prints its figures; nothing here asserts on time.

1. render time per catalogue combination (p50 and p95 over N renders, a new renderer each time; the
   compiled templates are shared per process, so the first render, which compiles them, is shown apart);
2. render + push to the local Git adapter (bare repositories driven with real git), p50 per language:
   a new project each time (first commit), then a re-push of the same tree (idempotent, no commit).

Reference target (the design document): generate a repository in p50 < 10 s.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_common.git.local import LocalGitHost
from agentic_gate.combinations import combinations

RENDERS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
PUSHES = int(sys.argv[2]) if len(sys.argv) > 2 else 5
TARGET_SECONDS = 10.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def render_times() -> list[float]:
    started = time.perf_counter()
    TemplateRenderer().render(parse_parameters(combinations()[0].parameters()))
    first_ms = (time.perf_counter() - started) * 1000
    print(f"== first render in the process (compiles the templates): {first_ms:.0f} ms")
    print(f"\n== render per combination ({RENDERS} renders each, fresh renderer): ms")
    print(f"{'combination':36} {'files':>5} {'p50':>8} {'p95':>8}")
    p50s = []
    for combination in combinations():
        params = parse_parameters(combination.parameters())
        samples, files = [], 0
        for _ in range(RENDERS):
            started = time.perf_counter()
            files = len(TemplateRenderer().render(params))
            samples.append((time.perf_counter() - started) * 1000)
        p50s.append(statistics.median(samples))
        label = f"{combination.id} ({combination.strategy})"
        print(f"{label:36} {files:>5} {statistics.median(samples):>8.1f} {pct(samples, 0.95):>8.1f}")
    print(f"all combinations: p50 of p50s {statistics.median(p50s):.1f} ms, worst {max(p50s):.1f} ms")
    return p50s


def push_times() -> None:
    print(f"\n== render + push to the local Git adapter ({PUSHES} new projects per language): ms")
    print(f"{'language':10} {'first push p50':>15} {'re-push p50':>12}")
    for language in ("python", "node", "go"):
        first, again = [], []
        with tempfile.TemporaryDirectory(prefix="bench-codegen-") as root:
            host = LocalGitHost(Path(root), "services")
            for index in range(PUSHES):
                params = parse_parameters({"serviceName": f"bench-{language}-{index}", "language": language})
                started = time.perf_counter()
                files = TemplateRenderer().render(params)
                host.publish(params.service_name, files, "Generate")
                first.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                host.publish(params.service_name, TemplateRenderer().render(params), "Generate")
                again.append((time.perf_counter() - started) * 1000)
        print(f"{language:10} {statistics.median(first):>15.1f} {statistics.median(again):>12.1f}")
    print(f"reference target: p50 < {TARGET_SECONDS * 1000:.0f} ms")


def main() -> None:
    render_times()
    push_times()


if __name__ == "__main__":
    main()
