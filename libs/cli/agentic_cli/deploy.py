"""`agentic deploy`: start a deployment of a service version, read one, list a service's history."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from agentic_cli.client import ApiClient
from agentic_cli.config import CliError
from agentic_cli.output import add_output_option, print_json, wants_json

TERMINAL = {"completed", "failed", "cancelled", "awaiting_approval"}


class DeployClient(ApiClient):
    def deploy(self, body: dict[str, Any], idempotency_key: str | None) -> dict[str, Any]:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self._call("POST", "/deploy", json=body, headers=headers)

    def deployment(self, deployment_id: str) -> dict[str, Any]:
        return self._call("GET", f"/deployments/{deployment_id}")

    def deployments(self, service: str, limit: int) -> dict[str, Any]:
        return self._call("GET", "/deployments", params={"service": service, "limit": limit})


def _line(d: dict[str, Any]) -> str:
    return (
        f"{d['deploymentId']}  {d['status']:<17} {d['environment']:<8} {d['version'][:12]}  "
        f"{d.get('strategy') or '-':<10} {d['updatedAt']}  {d.get('url') or ''}"
    )


def _step(step: dict[str, Any]) -> str:
    return f"  {step['at']}  {step['status']:<17} {step.get('detail') or ''}".rstrip()


def stream_steps(
    client: DeployClient, accepted: dict[str, Any], sleep: Callable[[float], None] = time.sleep
) -> str:
    """Print each rollout step as the deployment records it, until the workflow ends; its final status."""
    shown = 0
    while True:
        status = client.get(accepted["workflowId"])["status"]
        try:
            history = client.deployment(accepted["deploymentId"]).get("history", [])
        except CliError as exc:  # not recorded yet: the worker has not started it
            if not str(exc).startswith("404"):
                raise
            history = []
        for step in history[shown:]:
            print(_step(step), flush=True)
        shown = max(shown, len(history))
        if status in TERMINAL:
            return str(status)
        sleep(1)


def cmd_start(args: argparse.Namespace) -> int:
    client = DeployClient()
    body = {
        "service": args.service,
        "version": args.version,
        "environment": args.env,
        "strategy": args.strategy,
    }
    if args.repo:
        body["repoUrl"] = args.repo
    accepted = client.deploy(body, args.idempotency_key)
    if wants_json(args):
        print_json(accepted)
    else:
        print(f"{accepted['deploymentId']} {accepted['status']} (workflow {accepted['workflowId']})")
    if accepted.get("approvalId"):
        print(
            f"waiting for approval: agentic approvals approve {accepted['approvalId']} --comment '...'",
            file=sys.stderr if wants_json(args) else sys.stdout,
        )
    if not args.wait:
        return 0
    status = stream_steps(client, accepted)
    print(
        f"{accepted['deploymentId']}: workflow {status}", file=sys.stderr if wants_json(args) else sys.stdout
    )
    return 0 if status in {"completed", "awaiting_approval"} else 1


def cmd_get(args: argparse.Namespace) -> int:
    deployment = DeployClient().deployment(args.deployment_id)
    if wants_json(args):
        print_json(deployment)
        return 0
    print(_line(deployment))
    print("\n".join(_step(step) for step in deployment.get("history", [])))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    page = DeployClient().deployments(args.service, args.limit)
    if wants_json(args):
        print_json(page)
        return 0
    for deployment in page["deployments"]:
        print(_line(deployment))
    return 0


def register(sub: Any) -> None:
    deploy = sub.add_parser("deploy", help="deploy a service version; read deployments").add_subparsers(
        dest="action", required=True
    )
    start = deploy.add_parser("start", help="deploy a version (commit) of a service")
    start.add_argument("service")
    start.add_argument("version", help="the commit to deploy")
    start.add_argument("--env", default="dev", choices=["dev", "staging", "prod"])
    start.add_argument("--strategy", default="rolling", choices=["rolling", "blue-green", "canary"])
    start.add_argument("--repo", default=None, help="repository URL (default: the last deployment's)")
    start.add_argument("--idempotency-key", default=None)
    start.add_argument(
        "--wait", action="store_true", help="print each rollout step as it happens, until it ends (or waits)"
    )
    add_output_option(start)
    start.set_defaults(func=cmd_start)
    get = deploy.add_parser("get", help="one deployment with its history")
    get.add_argument("deployment_id")
    add_output_option(get)
    get.set_defaults(func=cmd_get)
    lst = deploy.add_parser("list", help="a service's deployments, newest first")
    lst.add_argument("--service", required=True)
    lst.add_argument("--limit", type=int, default=20)
    add_output_option(lst)
    lst.set_defaults(func=cmd_list)
