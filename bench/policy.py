"""Policy benchmark (`make bench-policy`): prints its figures; nothing here asserts on time.

1. one Terraform plan (`terraform show -json` shape, 24 resources in 3 modules): p50/p99 of a
   `terraform_plan` validation (Rego bundle + checkov plan runner), and of the Rego bundle alone;
2. a Kubernetes manifest set (the prod manifests codegen renders): Rego + checkov + kubernetes-validate;
3. a whole generated repository (every engine: Rego, checkov, hadolint, kubernetes-validate, GitLab CI
   schema, detect-secrets);
4. plan validations per minute on this machine: one worker process per core, each with its own
   warmed engine, for WINDOW seconds.

Reference targets (issue 4): p50 < 2 s and 500 validations/min; aim: p50 < 100 ms per plan, thousands/min.
The first call in a process imports checkov and compiles the bundle; it is shown apart.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable

from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_policy.adapters.decision_cache import MemoryDecisionCache
from agentic_policy.api.requests import SCOPES
from agentic_policy.logic.documents.repository import build_document
from agentic_policy.logic.evaluate import PolicyEngine

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 40
WINDOW = float(sys.argv[2]) if len(sys.argv) > 2 else 15.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def sample_plan() -> bytes:
    """A plan of 24 resources across the root module and two child modules, with realistic values."""

    def resource(address: str, kind: str, values: dict) -> dict:  # type: ignore[type-arg]
        return {
            "address": address,
            "mode": "managed",
            "type": kind,
            "name": address.rsplit(".", 1)[-1],
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "schema_version": 0,
            "values": values,
        }

    tags = {"owner": "team-orders", "data-classification": "internal", "cost-centre": "cc-42"}
    root, data, network = [], [], []
    for n in range(8):
        root.append(
            resource(
                f"aws_sqs_queue.q{n}",
                "aws_sqs_queue",
                {"name": f"q{n}", "tags": tags, "sqs_managed_sse_enabled": True},
            )
        )
    for n in range(8):
        data.append(
            resource(
                f"module.data.aws_s3_bucket.b{n}",
                "aws_s3_bucket",
                {"bucket": f"orders-{n}", "tags": tags, "acl": "public-read" if n == 3 else None},
            )
        )
    for n in range(8):
        network.append(
            resource(
                f"module.net.aws_security_group.sg{n}",
                "aws_security_group",
                {
                    "name": f"sg{n}",
                    "description": "web",
                    "tags": tags,
                    "ingress": [
                        {
                            "from_port": 22 if n == 5 else 443,
                            "to_port": 22 if n == 5 else 443,
                            "protocol": "tcp",
                            "cidr_blocks": ["0.0.0.0/0"],
                            "description": "in",
                        }
                    ],
                },
            )
        )
    everything = root + data + network
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "planned_values": {
            "root_module": {
                "resources": root,
                "child_modules": [
                    {"address": "module.data", "resources": data},
                    {"address": "module.net", "resources": network},
                ],
            }
        },
        "resource_changes": [
            {k: r[k] for k in ("address", "mode", "type", "name", "provider_name")}
            | {"change": {"actions": ["create"], "before": None, "after": r["values"], "after_unknown": {}}}
            for r in everything
        ],
        "configuration": {"root_module": {}},
    }
    return json.dumps(plan).encode()


def generated_repository() -> dict[str, bytes]:
    raw = {
        "serviceName": "orders-api",
        "language": "python",
        "database": "postgresql",
        "pattern": "rest",
        "environment": "prod",
    }
    return TemplateRenderer().render(parse_parameters(raw))


def timed(call: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per call (other load on the machine cannot inflate CPU time)."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def report(name: str, times: tuple[list[float], list[float]], extra: str = "") -> None:
    wall, cpu = times
    print(
        f"{name:50} n={len(wall):<3} p50 {pct(wall, 0.5):7.1f} ms  p99 {pct(wall, 0.99):7.1f} ms"
        f"  (cpu p50 {pct(cpu, 0.5):6.1f} ms)  {extra}"
    )


_worker_engine: PolicyEngine | None = None


def _warm(cached: bool = False) -> None:
    global _worker_engine  # noqa: PLW0603 - one engine per worker process
    _worker_engine = PolicyEngine(cache=MemoryDecisionCache() if cached else None)
    _worker_engine.evaluate({"plan.json": sample_plan()}, "prod", scope=SCOPES["terraform_plan"])


def _validate_for(seconds: float) -> int:
    assert _worker_engine is not None
    files = {"plan.json": sample_plan()}
    done, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        _worker_engine.evaluate(files, "prod", scope=SCOPES["terraform_plan"])
        done += 1
    return done


def throughput(workers: int, cached: bool = False) -> float:
    with multiprocessing.get_context("spawn").Pool(workers, initializer=_warm, initargs=(cached,)) as pool:
        counts = pool.map(_validate_for, [WINDOW] * workers)
    return sum(counts) * 60.0 / WINDOW


def main() -> None:
    engine = PolicyEngine()
    plan = {"plan.json": sample_plan()}
    started = time.perf_counter()
    engine.evaluate(plan, "prod", scope=SCOPES["terraform_plan"])
    print(
        f"== first validation in the process (imports checkov, compiles the bundle): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms\n"
    )

    plan_eval = engine.evaluate(plan, "prod", scope=SCOPES["terraform_plan"])
    report(
        "terraform_plan (rego + checkov), 24 resources",
        timed(lambda: engine.evaluate(plan, "prod", scope=SCOPES["terraform_plan"]), RUNS),
        f"{len(plan_eval.violations)} violations",
    )
    document = build_document(plan, "prod", repository=False).as_input()
    report("  of which the Rego bundle alone", timed(lambda: engine.bundle.evaluate(document), RUNS))

    repo = generated_repository()
    manifests = {p: c for p, c in repo.items() if p.startswith("deploy/prod/")}
    k8s_eval = engine.evaluate(manifests, "prod", scope=SCOPES["kubernetes"])
    report(
        f"kubernetes manifest set ({k8s_eval.files_scanned} file, prod)",
        timed(lambda: engine.evaluate(manifests, "prod", scope=SCOPES["kubernetes"]), RUNS),
        f"{len(k8s_eval.violations)} violations",
    )

    repo_eval = engine.evaluate(repo, "prod", repository="orders-api")
    report(
        f"whole generated repository ({len(repo)} files, 6 engines)",
        timed(lambda: engine.evaluate(repo, "prod", repository="orders-api"), max(5, RUNS // 4)),
        f"{len(repo_eval.violations)} violations, {len(repo_eval.blocking)} blocking",
    )

    workers = os.cpu_count() or 1
    per_minute = throughput(workers)
    print(
        f"\n== terraform_plan validations per minute, {workers} worker process(es) x {WINDOW:.0f} s: "
        f"{per_minute:,.0f}/min"
    )
    cached = throughput(workers, cached=True)
    print(
        f"== the same, unchanged plan answered from the decision cache (same digest, same bundle): "
        f"{cached:,.0f}/min ({cached / per_minute:.0f}x)"
    )
    print(
        "reference: p50 < 2 s and 500/min; aim: p50 < 100 ms per plan and thousands/min (issue 16: 3,000/min)"
    )


if __name__ == "__main__":
    main()
