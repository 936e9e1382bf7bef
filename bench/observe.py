"""Observability benchmark (`make bench-observe`): prints its figures; nothing here asserts on time.

1. anomaly detection throughput (points per second) of the robust detector, rolling and seasonal;
2. precision and recall on the labelled synthetic set (seeded series with known anomalies),
   next to a fixed-threshold detector for contrast;
3. time from a service going unhealthy to its automatic recovery on the local stack
   (``bench/remediation_recovery.py``, helper E2's section; ``--no-recovery`` skips it).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from agentic_observability.logic.anomaly import DetectorConfig, RobustDetector, detect
from labelled import Quality, evaluate_many, make_series, windows

SEEDS = range(40)
SEASONAL = DetectorConfig(period=96)
ROLLING = DetectorConfig()


def throughput(config: DetectorConfig, points: int = 200_000) -> float:
    values = [v for seed in range(points // 1440 + 1) for v in make_series(seed).values][:points]
    detector = RobustDetector(config)
    started = time.perf_counter()
    for value in values:
        detector.update(value)
    return points / (time.perf_counter() - started)


def fixed_threshold_quality(seasonal: bool) -> Quality:
    """A static 'alert above mean + 3 sd of the first day' rule, for contrast."""
    tp = fp = fn = 0
    for seed in SEEDS:
        series = make_series(seed, seasonal=seasonal)
        head = series.values[:96]
        limit = statistics.fmean(head) + 3 * statistics.stdev(head)
        found = [(i, i) for i, v in enumerate(series.values) if v > limit]
        hits = [f for f in found if any(a[0] - 1 <= f[0] <= a[1] + 1 for a in series.anomalies)]
        tp_events = sum(1 for a in series.anomalies if any(a[0] - 1 <= f[0] <= a[1] + 1 for f in found))
        tp, fp, fn = tp + tp_events, fp + len(found) - len(hits), fn + len(series.anomalies) - tp_events
    return Quality(tp, fp, fn)


def quality_section() -> None:
    print(
        f"== precision / recall on the labelled set ({len(SEEDS)} seeded series x 1440 points, "
        "8 anomalies each: spikes, dips, level shifts of 5-10 noise sd)"
    )
    rows = [
        ("seasonal series, seasonal baseline + MAD", evaluate_many(SEEDS, lambda: RobustDetector(SEASONAL))),
        ("seasonal series, rolling median + MAD", evaluate_many(SEEDS, lambda: RobustDetector(ROLLING))),
        ("seasonal series, fixed threshold", fixed_threshold_quality(seasonal=True)),
        (
            "flat series, rolling median + MAD",
            evaluate_many(SEEDS, lambda: RobustDetector(ROLLING), seasonal=False),
        ),
        ("flat series, fixed threshold", fixed_threshold_quality(seasonal=False)),
    ]
    for name, q in rows:
        print(
            f"  {name:<44} precision {q.precision:.3f}  recall {q.recall:.3f}  "
            f"(tp {q.true_positives}, fp {q.false_positives}, fn {q.false_negatives})"
        )
    quiet = sum(
        len(windows(detect(make_series(s, anomalies=0).values, RobustDetector(SEASONAL)))) for s in SEEDS
    )
    print(f"  false alarms on {len(SEEDS)} anomaly-free seasonal series: {quiet}")


def throughput_section() -> None:
    print("== anomaly detection throughput (one detector, one stream, pure Python)")
    for name, config in (("rolling median + MAD", ROLLING), ("seasonal baseline + MAD", SEASONAL)):
        print(f"  {name:<26} {throughput(config):>10,.0f} points/s")


def recovery_section() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from remediation_recovery import recovery_times  # noqa: PLC0415 - E2's section, needs the whole stack

    print("== unhealthy → automatic recovery on the local stack (bench/remediation_recovery.py)")
    times = recovery_times()
    for name, values in times.items():
        print(
            f"  {name:<10} p50 {statistics.median(values):.2f} s  max {max(values):.2f} s  runs {len(values)}"
        )


def main() -> None:
    throughput_section()
    quality_section()
    if "--no-recovery" not in sys.argv:
        recovery_section()


if __name__ == "__main__":
    main()
