"""`agentic console`: print a link to the web console that signs in with a fresh bearer token.

The token travels in the URL's fragment (``#token=...``): browsers never send a fragment to the
server, so it is in no access log; the page moves it to sessionStorage and clears the fragment.
Locally the token is signed by the running stack's key (``--subject`` / ``--group`` as for
``agentic token``); against a deployed platform it is ``AGENTIC_TOKEN``.
"""

from __future__ import annotations

import argparse
from typing import Any
from urllib.parse import quote


def console_link(api_url: str, token: str) -> str:
    return f"{api_url.rstrip('/')}/console/#token={quote(token, safe='')}"


def cmd_console(args: argparse.Namespace) -> int:
    from agentic_cli.config import api_url, local_token, token  # noqa: PLC0415

    fresh = local_token(args.subject, args.group) if args.subject or args.group else token()
    print(console_link(api_url(), fresh))
    return 0


def register(sub: Any) -> None:
    console = sub.add_parser("console", help="print a link to the web console, signed in with a fresh token")
    console.add_argument("--subject", default=None, help="the token's sub (default: developer@agentic.local)")
    console.add_argument(
        "--group",
        action="append",
        default=[],
        help="a group for the token, e.g. deploy-approvers (repeatable)",
    )
    console.set_defaults(func=cmd_console)
