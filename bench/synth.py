"""``make bench-synth``: cold and warm synth time of the CDK app, and peak memory (Python + jsii node).

Cold: a fresh process imports aws-cdk-lib, builds the app and synthesizes (what `make synth` pays).
Warm: the same process builds and synthesizes it again (jsii and the modules already loaded).
Both with cdk-nag on and Lambda code as our staged source (no wheels), into a temporary directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONTEXT = {
    "env": "dev",
    "jwt_issuer": "https://backstage.example.com",
    "jwt_audience": "agentic",
    "lambda_bundle": "source",
    # the runtime endpoints every environment requires (infra/agentic_infra/runtime_config.py)
    "argocd_url": "https://argocd.example.com",
    "tfc_organization": "acme",
    "prometheus_url": "http://prometheus.example.com:9090",
    "gitlab_url": "https://gitlab.example.com",
    "gitlab_group": "platform/services",
}


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


class PeakMemory(threading.Thread):
    """Samples this process and its children (the jsii node runtime) every 50 ms; keeps the peak sum."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kib = 0
        self._done = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._done.wait(0.05):
            self.peak_kib = max(self.peak_kib, _rss_kib(me) + sum(_rss_kib(c) for c in _children(me)))

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak_kib


def worker(root: Path) -> None:
    """Run inside a fresh interpreter: cold synth, then warm synth; print the figures as JSON."""
    for warning in ("END_OF_LIFE", "DEPRECATED", "UNTESTED"):
        os.environ[f"JSII_SILENCE_WARNING_{warning}_NODE_VERSION"] = "20"
    sys.path.insert(0, str(REPO / "infra"))
    memory = PeakMemory()
    memory.start()
    start = time.perf_counter()
    from agentic_infra.app import build_app  # noqa: PLC0415 - the import is part of the cold cost

    imported = time.perf_counter()
    figures = {"import_s": imported - start}
    for run in ("cold", "warm"):
        begin = time.perf_counter()
        app, _ = build_app(CONTEXT, outdir=str(root / run / "cdk.out"), stage_root=root / run / "stage")
        built = time.perf_counter()
        app.synth()
        done = time.perf_counter()
        figures |= {f"{run}_build_s": built - begin, f"{run}_synth_s": done - built}
    figures["cold_total_s"] = figures["import_s"] + figures["cold_build_s"] + figures["cold_synth_s"]
    figures["warm_total_s"] = figures["warm_build_s"] + figures["warm_synth_s"]
    figures["peak_rss_mb"] = memory.stop() / 1024
    print(json.dumps(figures))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-synth-") as tmp:
        begin = time.perf_counter()
        result = subprocess.run(
            [sys.executable, __file__, "--worker", tmp], capture_output=True, text=True, check=False, cwd=REPO
        )
        wall = time.perf_counter() - begin
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-3000:])
        return 1
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    load = os.getloadavg()[0]
    print(f"synth (cdk-nag on, dev stack), machine load {load:.1f} on {os.cpu_count()} CPUs")
    print(
        f"  cold: {figures['cold_total_s']:.1f} s  (import {figures['import_s']:.1f} s, "
        f"build {figures['cold_build_s']:.1f} s, synth+nag {figures['cold_synth_s']:.1f} s); "
        f"process wall {wall:.1f} s"
    )
    print(
        f"  warm: {figures['warm_total_s']:.1f} s  (build {figures['warm_build_s']:.1f} s, "
        f"synth+nag {figures['warm_synth_s']:.1f} s)"
    )
    print(f"  peak memory (python + jsii node): {figures['peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(Path(sys.argv[2]))
        sys.exit(0)
    sys.exit(main())
