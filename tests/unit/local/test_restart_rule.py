"""The restart rule of `agentic up`: doubling pauses, a bound within a window, exits described."""

from __future__ import annotations

import signal

from agentic_local.supervise import RestartHistory, RestartRule, describe_exit

RULE = RestartRule(max_restarts=3, window_seconds=60, first_pause=0.5, max_pause=1.5)


def test_the_pause_before_a_restart_doubles_up_to_its_cap() -> None:
    # Given a child that has not died yet
    history = RestartHistory(RULE)
    # When it dies three times in a row
    pauses = [history.on_exit(now) for now in (0.0, 1.0, 2.0)]
    # Then the pauses double and stop at the cap
    assert pauses == [0.5, 1.0, 1.5]


def test_one_death_more_than_the_bound_within_the_window_gives_up() -> None:
    # Given a child restarted as often as the rule allows
    history = RestartHistory(RULE)
    for now in (0.0, 1.0, 2.0):
        history.on_exit(now)
    # When it dies again within the window
    # Then there is no further restart
    assert history.on_exit(3.0) is None


def test_deaths_older_than_the_window_no_longer_count() -> None:
    # Given a child restarted as often as the rule allows, long ago
    history = RestartHistory(RULE)
    for now in (0.0, 1.0, 2.0):
        history.on_exit(now)
    # When it dies again after the window has passed
    pause = history.on_exit(100.0)
    # Then it is restarted after the first pause again, and the total keeps counting
    assert pause == 0.5
    assert history.total == 4


def test_an_exit_reads_as_its_code_or_the_signal_that_killed_it() -> None:
    assert describe_exit(1) == "exit code 1"
    assert describe_exit(-signal.SIGKILL) == "killed by SIGKILL"
