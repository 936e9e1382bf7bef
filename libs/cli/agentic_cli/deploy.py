"""`agentic deploy`: start a deployment of a service version, read one, list a service's history."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from agentic_cli.client import ApiClient

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
    print(json.dumps(accepted, indent=2))
    if accepted.get("approvalId"):
        print(f"waiting for approval: agentic approvals approve {accepted['approvalId']} --comment '...'")
    if not args.wait:
        return 0
    while (status := client.get(accepted["workflowId"])["status"]) not in TERMINAL:
        time.sleep(1)
    deployment = client.deployment(accepted["deploymentId"])
    print(_line(deployment))
    for step in deployment["history"]:
        print(f"  {step['at']}  {step['status']:<17} {step.get('detail') or ''}")
    return 0 if status in {"completed", "awaiting_approval"} else 1


def cmd_get(args: argparse.Namespace) -> int:
    deployment = DeployClient().deployment(args.deployment_id)
    print(json.dumps(deployment, indent=2) if args.json else _line(deployment))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    for deployment in DeployClient().deployments(args.service, args.limit)["deployments"]:
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
    start.add_argument("--wait", action="store_true", help="wait until it ends (or waits for approval)")
    start.set_defaults(func=cmd_start)
    get = deploy.add_parser("get", help="one deployment with its history")
    get.add_argument("deployment_id")
    get.add_argument("--json", action="store_true")
    get.set_defaults(func=cmd_get)
    lst = deploy.add_parser("list", help="a service's deployments, newest first")
    lst.add_argument("--service", required=True)
    lst.add_argument("--limit", type=int, default=20)
    lst.set_defaults(func=cmd_list)
