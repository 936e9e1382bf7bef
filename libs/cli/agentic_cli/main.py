"""`agentic`: run the local stack, get a token, create and follow workflows, inspect DLQs."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from typing import Any

from agentic_cli.approvals import register as register_approvals
from agentic_cli.config import CliError
from agentic_cli.deploy import register as register_deploy
from agentic_cli.dora import register as register_dora
from agentic_cli.policy import register as register_policy


def _params(pairs: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CliError(f"--param {pair!r}: expected key=value")
        params[key] = value
    return params


def cmd_up(_: argparse.Namespace) -> int:
    from agentic_common.settings import load_settings  # noqa: PLC0415
    from agentic_local.settings import LocalSettings  # noqa: PLC0415
    from agentic_local.stack import LocalStack, ServiceExitedError  # noqa: PLC0415

    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    stack = LocalStack(load_settings(LocalSettings))
    try:
        stack.start()
        print(stack.banner(), flush=True)
        stack.wait()
    except KeyboardInterrupt:
        print("\nstopping…", flush=True)
    except ServiceExitedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from agentic_local.auth import issue_token  # noqa: PLC0415

    from agentic_cli.config import home  # noqa: PLC0415

    print(issue_token(home(), subject=args.subject, groups=args.group))
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    from agentic_cli.client import ApiClient  # noqa: PLC0415
    from agentic_cli.progress import follow, render  # noqa: PLC0415

    client = ApiClient()
    body: dict[str, Any] = {"requestedBy": args.requested_by} if args.requested_by else {}
    if args.request:
        body["request"] = args.request
    else:
        body |= {"template": args.template, "parameters": _params(args.param)}
    workflow = client.create(body, args.idempotency_key)
    if args.json and not args.wait:
        print(json.dumps(workflow, indent=2))
        return 0
    if not args.wait:
        print("\n".join(render(workflow)))
        return 0
    final = follow(lambda: client.get(workflow["workflowId"]))
    return 0 if final["status"] == "completed" else 1


def cmd_get(args: argparse.Namespace) -> int:
    from agentic_cli.client import ApiClient  # noqa: PLC0415
    from agentic_cli.progress import render  # noqa: PLC0415

    workflow = ApiClient().get(args.workflow_id)
    print(json.dumps(workflow, indent=2) if args.json else "\n".join(render(workflow)))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from agentic_cli.client import ApiClient  # noqa: PLC0415

    page = ApiClient().list(args.status, args.limit, args.cursor)
    for w in page["workflows"]:
        print(f"{w['workflowId']}  {w['status']:<12} {w['serviceName'] or '-':<24} {w['createdAt']}")
    if page.get("nextCursor"):
        print(f"more: --cursor {page['nextCursor']}")
    return 0


def _sqs() -> tuple[Any, str]:
    import boto3  # noqa: PLC0415
    from agentic_local.moto_server import MOTO_CREDENTIALS  # noqa: PLC0415

    from agentic_cli.config import stack_info  # noqa: PLC0415

    info = stack_info()
    sqs = boto3.client(
        "sqs",
        endpoint_url=info["aws_endpoint_url"],
        region_name=info["region"],
        aws_access_key_id=MOTO_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=MOTO_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    return sqs, f"agentic-{info['env']}"


def cmd_dlq(args: argparse.Namespace) -> int:
    from agentic_cli.dlq import describe, list_dlqs, redrive  # noqa: PLC0415

    sqs, prefix = _sqs()
    if args.action == "redrive":
        moved = redrive(sqs, prefix, args.queue)
        print("\n".join(f"{q}: {n} message(s) redriven" for q, n in moved.items()))
        return 0
    for queue, messages in list_dlqs(sqs, prefix):
        print(f"{queue.dlq_name}: {len(messages)} message(s)")
        for message in messages:
            print(f"  {describe(message)}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="agentic", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="start the whole platform locally (foreground; Ctrl-C stops it)").set_defaults(
        func=cmd_up
    )
    token = sub.add_parser("token", help="print a local bearer token")
    token.add_argument("--subject", default="developer@agentic.local", help="the token's sub (who you are)")
    token.add_argument(
        "--group",
        action="append",
        default=[],
        help="a group for the token's groups claim, e.g. deploy-approvers (repeatable)",
    )
    token.set_defaults(func=cmd_token)
    workflow = sub.add_parser("workflow", help="create, get and list workflows").add_subparsers(
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
        "--wait", action="store_true", help="follow the task DAG live until the workflow ends"
    )
    create.add_argument("--json", action="store_true")
    create.set_defaults(func=cmd_create)
    get = workflow.add_parser("get", help="show one workflow")
    get.add_argument("workflow_id")
    get.add_argument("--json", action="store_true")
    get.set_defaults(func=cmd_get)
    lst = workflow.add_parser("list", help="list workflows by status")
    lst.add_argument(
        "--status",
        default="in_progress",
        choices=["in_progress", "awaiting_approval", "completed", "failed", "cancelled"],
    )
    lst.add_argument("--limit", type=int, default=20)
    lst.add_argument("--cursor", default=None)
    lst.set_defaults(func=cmd_list)
    dlq = sub.add_parser("dlq", help="dead-letter queues: list (with reasons) or redrive")
    dlq.add_argument("action", choices=["list", "redrive"])
    dlq.add_argument("--queue", default=None, help="only this queue (logical name)")
    dlq.set_defaults(func=cmd_dlq)
    register_dora(sub)
    register_deploy(sub)
    register_approvals(sub)
    register_policy(sub)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "workflow" and args.action == "create" and not (args.template or args.request):
        parser().error("workflow create needs --template (with --param key=value ...) or --request")
    try:
        code: int = args.func(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
