"""Which baseline the monitor's metric streams use, from settings."""

from __future__ import annotations

from agentic_observability.bootstrap import stream_config
from agentic_observability.settings import ObservabilitySettings


def test_a_daily_season_polled_every_15_seconds_is_a_period_of_5760_points():
    own = ObservabilitySettings(observability_season_seconds=86400, observability_monitor_interval_seconds=15)
    assert stream_config(own).period == 5760


def test_without_a_season_the_rolling_median_is_used():
    assert stream_config(ObservabilitySettings()).period is None
