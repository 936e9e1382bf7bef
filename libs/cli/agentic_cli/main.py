"""`agentic`: run the local stack, get a token, create and follow workflows, read logs, inspect DLQs."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any, NoReturn

from agentic_cli.approvals import register as register_approvals
from agentic_cli.config import EXIT_CODES, CliError, use_api_url
from agentic_cli.console import register as register_console
from agentic_cli.deploy import register as register_deploy
from agentic_cli.dora import register as register_dora
from agentic_cli.output import add_output_option, print_json, wants_json
from agentic_cli.policy import register as register_policy
from agentic_cli.service_logs import register as register_logs
from agentic_cli.workflows import register as register_workflows

FINDING_THE_PLATFORM = """\
where it finds the platform:
  --api-url or AGENTIC_API_URL, with AGENTIC_TOKEN: any platform (e.g. the one deployed to AWS);
  otherwise the stack `make up` started, from AGENTIC_HOME/stack.json (AGENTIC_HOME defaults to
  .agentic in the current folder), with a token signed by that stack's own key."""


def cmd_up(_: argparse.Namespace) -> int:
    from agentic_common.settings import load_settings  # noqa: PLC0415
    from agentic_local.process_signals import ctrl_c_stops, dump_stacks_on_sigusr1  # noqa: PLC0415
    from agentic_local.settings import LocalSettings  # noqa: PLC0415
    from agentic_local.stack import LocalStack, ServiceExitedError, StackRunningError  # noqa: PLC0415

    ctrl_c_stops()  # also when started as a background job, which inherits SIGINT ignored
    dump_stacks_on_sigusr1()

    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    stack = LocalStack(load_settings(LocalSettings))
    try:
        stack.start()
        print(stack.banner(), flush=True)
        stack.wait()
    except KeyboardInterrupt:
        print("\nstopping…", flush=True)
    except (StackRunningError, ServiceExitedError) as exc:  # another stack holds the home; a child kept dying
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        stack.stop()  # does nothing when this stack never got the home (a refused second start)
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from agentic_cli.config import local_token  # noqa: PLC0415

    print(local_token(args.subject, args.group))
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
    from agentic_cli.dlq import describe, list_dlqs, redrive, selected  # noqa: PLC0415

    selected(args.queue)  # an unknown name is an error before anything is touched
    sqs, prefix = _sqs()
    if args.action == "redrive":
        moved = redrive(sqs, prefix, args.queue)
        print("\n".join(f"{q}: {n} message(s) redriven" for q, n in moved.items()))
        return 0
    found = list_dlqs(sqs, prefix, args.queue)
    if wants_json(args):
        print_json({q.dlq_name: [describe(m) for m in messages] for q, messages in found})
        return 0
    for queue, messages in found:
        print(f"{queue.dlq_name}: {len(messages)} message(s)")
        for message in messages:
            print(f"  {describe(message)}")
    return 0


def _version() -> str:
    try:
        return version("agentic-devops")
    except PackageNotFoundError:
        return "unknown"


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, pointing at the command's --help (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see `{self.prog} --help`)\n")


def parser() -> argparse.ArgumentParser:
    codes = "\n".join(f"  {code:<4} {meaning}" for code, meaning in EXIT_CODES.items())
    root = _Parser(
        prog="agentic",
        description=__doc__,
        epilog=f"{FINDING_THE_PLATFORM}\n\nexit codes:\n{codes}\n  141  the output was closed early "
        "(e.g. piped to head)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    root.add_argument("--version", action="version", version=f"agentic {_version()}")
    root.add_argument(
        "--api-url", default=None, help="the platform's API (default: AGENTIC_API_URL, else the local stack)"
    )
    sub = root.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="start the whole platform locally (foreground; Ctrl-C stops it)").set_defaults(
        func=cmd_up
    )
    token = sub.add_parser("token", help="print a bearer token signed by the running local stack's key")
    token.add_argument("--subject", default=None, help="the token's sub (default: developer@agentic.local)")
    token.add_argument(
        "--group",
        action="append",
        default=[],
        help="a group for the token's groups claim, e.g. deploy-approvers (repeatable)",
    )
    token.set_defaults(func=cmd_token)
    register_workflows(sub)
    register_logs(sub)
    dlq = sub.add_parser("dlq", help="dead-letter queues of the local stack: list (with reasons) or redrive")
    dlq.add_argument("action", choices=["list", "redrive"])
    dlq.add_argument("--queue", default=None, help="only this queue (its name, e.g. codegen-tasks.fifo)")
    add_output_option(dlq)
    dlq.set_defaults(func=cmd_dlq)
    register_dora(sub)
    register_deploy(sub)
    register_approvals(sub)
    register_policy(sub)
    register_console(sub)
    return root


def _output_closed() -> int:
    """stdout's reader went away (``| head``): stop quietly, and keep Python from complaining at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    use_api_url(args.api_url)
    try:
        code: int = args.func(args)
        sys.stdout.flush()
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return _output_closed()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, never a traceback
        from agentic_common.redact import redact  # noqa: PLC0415

        print(f"error: unexpected {type(exc).__name__}: {redact(str(exc), 500)}", file=sys.stderr)
        return 3
    return code


if __name__ == "__main__":
    sys.exit(main())
