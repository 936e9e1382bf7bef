"""Synthesize, report cdk-nag errors (non-zero exit when unsuppressed ones remain), print where the templates are."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from aws_cdk import cx_api

from agentic_infra.app import build_app
from agentic_infra.config import ConfigError
from agentic_infra.packaging import PackagingError

DEFAULT_CONTEXT = {"jwt_issuer": "https://backstage.example.com", "jwt_audience": "agentic"}


def parse_context(argv: list[str]) -> dict[str, Any]:
    """``key=value`` arguments (``-c`` optional); the placeholder issuer/audience fill in for a local synth."""
    context: dict[str, Any] = {}
    for arg in argv:
        if arg == "-c":
            continue
        key, sep, value = arg.partition("=")
        if not sep:
            raise ConfigError(f"argument {arg!r}: expected key=value")
        context[key] = value
    return context


def nag_errors(assembly: cx_api.CloudAssembly) -> list[str]:
    errors = []
    for stack in assembly.stacks:
        for path, entries in stack.manifest.metadata.items() if stack.manifest.metadata else []:
            for entry in entries:
                if entry.type == "aws:cdk:error":
                    errors.append(f"{path}: {str(entry.data).splitlines()[0]}")
    return errors


def synth_from_args(argv: list[str]) -> int:
    try:
        context = parse_context(argv)
        cli_context = sys.stdin is None  # placeholder; the CDK CLI passes context through CDK_CONTEXT_JSON
        del cli_context
        merged = DEFAULT_CONTEXT | context
        app, stack = build_app(merged)
    except (ConfigError, PackagingError) as exc:
        sys.stderr.write(f"synth failed: {exc}\n")
        return 2
    assembly = app.synth()
    errors = nag_errors(assembly)
    for error in errors:
        sys.stderr.write(f"cdk-nag: {error}\n")
    out = Path(assembly.directory)
    for artifact in assembly.stacks:
        print(f"{artifact.stack_name}: {out / artifact.template_file}")
    print(f"lambda code: {', '.join(f'{s}={k}' for s, k in sorted(stack.code.kinds.items()))}")
    if errors:
        sys.stderr.write(f"{len(errors)} unsuppressed cdk-nag error(s)\n")
        return 1
    print("cdk-nag AwsSolutions: no unsuppressed errors")
    return 0
