"""`agentic dora`: DORA metrics per service or per template, from the observability API."""

from __future__ import annotations

import argparse
import json
from typing import Any

from agentic_cli.output import add_output_option, wants_json


def _cell(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:g}{unit}"


def render(body: dict[str, Any]) -> list[str]:
    header = (
        f"{body['by']:<28} {'deploys':>7} {'per day':>8} {'lead time':>10} {'fail rate':>9} {'restore':>9}"
    )
    lines = [f"DORA metrics over {body['window']}", header]
    for m in body["metrics"]:
        rate = None if m["change_failure_rate"] is None else round(m["change_failure_rate"] * 100, 1)
        lines.append(
            f"{m['group']:<28} {m['deployments']:>7} {_cell(m['deployment_frequency_per_day']):>8} "
            f"{_cell(m['lead_time_hours'], 'h'):>10} {_cell(rate, '%'):>9} "
            f"{_cell(m['time_to_restore_hours'], 'h'):>9}"
        )
    if not body["metrics"]:
        lines.append("(no deployments in the window)")
    return lines


def cmd_dora(args: argparse.Namespace) -> int:
    from agentic_cli.client import ApiClient  # noqa: PLC0415

    params = {"window": args.window, "by": args.by} | ({"service": args.service} if args.service else {})
    body = ApiClient()._call("GET", "/metrics/dora", params=params)
    print(json.dumps(body, indent=2) if wants_json(args) else "\n".join(render(body)))
    return 0


def register(sub: Any) -> None:
    dora = sub.add_parser(
        "dora", help="DORA metrics (deploy frequency, lead time, failure rate, restore time)"
    )
    dora.add_argument("--service", default=None, help="only this service")
    dora.add_argument("--window", default="30d", help="e.g. 24h, 7d, 30d (default 30d)")
    dora.add_argument("--by", choices=["service", "template"], default="service")
    add_output_option(dora)
    dora.set_defaults(func=cmd_dora)
