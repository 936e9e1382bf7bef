"""`agentic workflow create|get|list|watch`."""

from __future__ import annotations

import argparse
import os
from typing import Any

from agentic_cli.client import ApiClient
from agentic_cli.config import CliError
from agentic_cli.output import add_output_option, print_json, wants_json
from agentic_cli.progress import follow, render

STATUSES = ("in_progress", "awaiting_approval", "completed", "failed", "cancelled")


def _params(pairs: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CliError(f"--param {pair!r}: expected key=value")
        params[key] = value
    return params


def _outcome(workflow: dict[str, Any]) -> int:
    return 0 if workflow["status"] == "completed" else 1


def _show(args: argparse.Namespace, workflow: dict[str, Any]) -> None:
    if wants_json(args):
        print_json(workflow)
    else:
        print("\n".join(render(workflow)))


def cmd_create(args: argparse.Namespace) -> int:
    if not (args.template or args.request):
        raise CliError("workflow create needs --template (with --param key=value ...) or --request")
    client = ApiClient()
    body: dict[str, Any] = {"requestedBy": args.requested_by} if args.requested_by else {}
    if args.request:
        body["request"] = args.request
    else:
        body |= {"template": args.template, "parameters": _params(args.param)}
    workflow = client.create(body, args.idempotency_key)
    if args.wait:
        return _outcome(follow(lambda: client.get(workflow["workflowId"])))
    _show(args, workflow)
    return 0


def cmd_get(args: argparse.Namespace) -> int:
    workflow = ApiClient().get(args.workflow_id)
    _show(args, workflow)
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    client = ApiClient()
    if not wants_json(args):
        return _outcome(follow(lambda: client.get(args.workflow_id), timeout=args.timeout))
    with open(os.devnull, "w", encoding="utf-8") as quiet:  # JSON: only the final state, when it ends
        final = follow(lambda: client.get(args.workflow_id), out=quiet, timeout=args.timeout)
    print_json(final)
    return _outcome(final)


def recent(client: ApiClient, limit: int) -> list[dict[str, Any]]:
    """The newest ``limit`` workflows whatever their status (the API lists one status at a time)."""
    found = [w for status in STATUSES for w in client.list(status, limit)["workflows"]]
    return sorted(found, key=lambda w: w.get("createdAt") or "", reverse=True)[:limit]


def cmd_list(args: argparse.Namespace) -> int:
    client = ApiClient()
    if args.cursor and not args.status:
        raise CliError("--cursor pages through one status: give --status too")
    page = client.list(args.status, args.limit, args.cursor) if args.status else None
    workflows = page["workflows"] if page else recent(client, args.limit)
    if wants_json(args):
        print_json(page or {"workflows": workflows, "nextCursor": None})
        return 0
    for w in workflows:
        print(f"{w['workflowId']}  {w['status']:<17} {w.get('serviceName') or '-':<24} {w['createdAt']}")
    if not workflows:
        print(f"no {args.status or ''} workflows".replace("  ", " "))
    if page and page.get("nextCursor"):
        print(f"more: --status {args.status} --cursor {page['nextCursor']}")
    return 0


def register(sub: Any) -> None:
    workflow = sub.add_parser("workflow", help="create, get, list and watch workflows").add_subparsers(
        dest="action", required=True
    )
    create = workflow.add_parser("create", help="create a workflow from a template")
    create.add_argument("--template", default=None)
    create.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    create.add_argument("--request", default=None, help="free text instead of a template (needs Claude)")
    create.add_argument(
        "--requested-by",
        default=None,
        help="only for a service principal's token acting for this user (default: the token's subject)",
    )
    create.add_argument("--idempotency-key", default=None)
    create.add_argument(
        "--wait",
        action="store_true",
        help="follow the task DAG live until the workflow ends (exit 1 if it fails)",
    )
    add_output_option(create)
    create.set_defaults(func=cmd_create)
    get = workflow.add_parser("get", help="show one workflow")
    get.add_argument("workflow_id")
    add_output_option(get)
    get.set_defaults(func=cmd_get)
    watch = workflow.add_parser(
        "watch", help="follow one workflow live, with elapsed time against the estimate (exit 1 if it fails)"
    )
    watch.add_argument("workflow_id")
    watch.add_argument("--timeout", type=float, default=1800.0, help="stop following after this many seconds")
    add_output_option(watch)
    watch.set_defaults(func=cmd_watch)
    lst = workflow.add_parser("list", help="recent workflows, newest first (or one status, paginated)")
    lst.add_argument("--status", default=None, choices=STATUSES, help="only this status (default: all)")
    lst.add_argument("--limit", type=int, default=20)
    lst.add_argument("--cursor", default=None, help="the next page of --status (printed after a full page)")
    add_output_option(lst)
    lst.set_defaults(func=cmd_list)
