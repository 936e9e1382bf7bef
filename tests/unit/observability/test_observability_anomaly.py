"""The robust anomaly detector on labelled synthetic series (seeded): quality floors, never time."""

from __future__ import annotations

import pytest
from agentic_observability.logic.anomaly import DetectorConfig, RobustDetector, detect

from bench.labelled import evaluate_many, make_series, windows

SEEDS = range(12)


def test_the_rolling_median_mad_detector_finds_anomalies_in_flat_noisy_series():
    quality = evaluate_many(SEEDS, lambda: RobustDetector(DetectorConfig()), seasonal=False)
    assert quality.recall >= 0.9
    assert quality.precision >= 0.85


def test_the_seasonal_baseline_finds_anomalies_in_seasonal_series():
    quality = evaluate_many(SEEDS, lambda: RobustDetector(DetectorConfig(period=96)))
    assert quality.recall >= 0.9
    assert quality.precision >= 0.85


def test_the_seasonal_baseline_beats_the_rolling_median_on_seasonal_series():
    seasonal = evaluate_many(SEEDS, lambda: RobustDetector(DetectorConfig(period=96)))
    rolling = evaluate_many(SEEDS, lambda: RobustDetector(DetectorConfig()))
    assert seasonal.recall > rolling.recall


def test_a_series_without_anomalies_raises_no_alarm():
    series = make_series(seed=99, anomalies=0)
    scores = detect(series.values, RobustDetector(DetectorConfig(period=96)))
    assert len(windows(scores)) <= 2  # at most a couple of noise excursions over 1440 points


def test_a_spike_scores_far_above_the_threshold_and_does_not_shift_the_baseline():
    detector = RobustDetector(DetectorConfig(warmup=10))
    values = [100.0 + (i % 5) for i in range(40)] + [400.0] + [100.0 + (i % 5) for i in range(5)]
    scores = detect(values, detector)
    spike = scores[40]
    assert spike.anomalous
    assert spike.score > 10
    assert not any(s.anomalous for s in scores[41:])
    assert scores[41].baseline == pytest.approx(102.0, abs=2)


def test_a_window_below_three_points_is_refused():
    with pytest.raises(ValueError, match="window"):
        DetectorConfig(window=2)
