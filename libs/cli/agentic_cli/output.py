"""``--output text|json`` for every read command: text for people, JSON (the API's own body) for tools."""

from __future__ import annotations

import argparse
import json
from typing import Any


def add_output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output",
        "-o",
        choices=["text", "json"],
        default="text",
        help="text (default) or json: the API's answer as it is, for scripts",
    )
    parser.add_argument("--json", dest="output", action="store_const", const="json", help=argparse.SUPPRESS)


def wants_json(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "output", "text") == "json")


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2))
