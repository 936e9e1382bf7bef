"""`agentic approvals list|approve|reject`: what waits for a person, and deciding it (with a comment)."""

from __future__ import annotations

import argparse
from typing import Any

from agentic_cli.client import ApiClient
from agentic_cli.output import add_output_option, print_json, wants_json


class ApprovalsClient(ApiClient):
    def pending(self, kind: str | None) -> dict[str, Any]:
        return self._call("GET", "/approvals", params={"kind": kind} if kind else {})

    def decide(self, approval_id: str, decision: str, comment: str) -> dict[str, Any]:
        return self._call(
            "POST", f"/approvals/{approval_id}", json={"decision": decision, "comment": comment}
        )


def _progress(approval: dict[str, Any]) -> str:
    """``needs 2 distinct approvers, not the requester (four eyes); approved by a (1 of 2)``."""
    rule = approval.get("rule") or {}
    if not rule:
        return ""
    approved = approval.get("approvedBy") or []
    done = f"; approved by {', '.join(approved)}" if approved else ""
    return f"    needs {rule['text']}{done} ({len(approved)} of {rule['approversRequired']})\n"


def cmd_list(args: argparse.Namespace) -> int:
    pending = ApprovalsClient().pending(args.kind)
    if wants_json(args):
        print_json(pending)
        return 0
    for a in pending["approvals"]:
        via = f" via {a['via']}" if a.get("via") else ""
        print(
            f"{a['approvalId']}  {a['kind']:<11} {a['service']:<20} {a['environment']:<8} "
            f"by {a['requestedBy']}{via}  expires {a['expiresAt']}\n"
            f"    {a['summary']}  (digest {a['digest'][:12]})\n{_progress(a)}",
            end="",
        )
    return 0


def _decide(args: argparse.Namespace, decision: str) -> int:
    decided = ApprovalsClient().decide(args.approval_id, decision, args.comment)
    if decided["status"] == "pending":
        print(
            f"{decided['approvalId']}: your approval is recorded; it is still pending\n{_progress(decided)}",
            end="",
        )
        return 0
    print(f"{decided['approvalId']} is {decided['status']} by {decided['decidedBy']}: {decided['comment']}")
    return 0


def register(sub: Any) -> None:
    approvals = sub.add_parser("approvals", help="list, approve or reject approvals").add_subparsers(
        dest="action", required=True
    )
    lst = approvals.add_parser("list", help="pending approvals, oldest first")
    lst.add_argument("--kind", choices=["deployment", "remediation"], default=None)
    add_output_option(lst)
    lst.set_defaults(func=cmd_list)
    for decision, verb in (("approve", "approve"), ("reject", "reject")):
        command = approvals.add_parser(verb, help=f"{verb} an approval (needs approver rights)")
        command.add_argument("approval_id")
        command.add_argument("--comment", required=True, help="why (recorded in the audit trail)")
        command.set_defaults(func=lambda args, d=decision: _decide(args, d))
