"""`agentic dora`: argument parsing and the table it prints."""

from __future__ import annotations

from agentic_cli.dora import render
from agentic_cli.main import parser


def test_the_dora_command_parses_its_options():
    args = parser().parse_args(["dora", "--service", "orders", "--window", "7d", "--by", "template"])
    assert (args.command, args.service, args.window, args.by, args.output) == (
        "dora",
        "orders",
        "7d",
        "template",
        "text",
    )


def test_the_table_shows_each_key_with_units_and_dashes_for_unknown_values():
    body = {
        "window": "7d",
        "by": "service",
        "metrics": [
            {
                "group": "orders",
                "deployments": 4,
                "deployment_frequency_per_day": 0.429,
                "lead_time_hours": 1.0,
                "change_failure_rate": 0.25,
                "time_to_restore_hours": None,
            }
        ],
    }
    lines = render(body)
    assert lines[0] == "DORA metrics over 7d"
    assert lines[2].split() == ["orders", "4", "0.429", "1h", "25%", "-"]


def test_an_empty_window_says_so():
    assert render({"window": "24h", "by": "service", "metrics": []})[-1] == "(no deployments in the window)"
