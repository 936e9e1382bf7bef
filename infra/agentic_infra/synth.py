"""Synthesize (cdk-nag on; its unacknowledged errors fail the synth) and print where the templates are."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from agentic_infra.app import build_app
from agentic_infra.config import ConfigError
from agentic_infra.packaging import PackagingError

LOCAL_AUTH = {"jwt_issuer": "https://backstage.example.com", "jwt_audience": "agentic"}
CDK_JSON = Path(__file__).resolve().parents[1] / "cdk.json"


def cdk_json_context(path: Path = CDK_JSON) -> dict[str, Any]:
    """The ``context`` of ``infra/cdk.json``: what the CDK CLI passes, read here when run directly."""
    if not path.is_file():
        return {}
    context = json.loads(path.read_text(encoding="utf-8")).get("context", {})
    return context if isinstance(context, dict) else {}


def parse_context(argv: list[str]) -> dict[str, Any]:
    """``key=value`` arguments, ``-c`` optional (``python infra/app.py -c env=prod jwt_issuer=https://...``)."""
    context: dict[str, Any] = {}
    for arg in argv:
        if arg == "-c":
            continue
        key, sep, value = arg.partition("=")
        if not sep or not key:
            raise ConfigError(f"argument {arg!r}: expected key=value")
        context[key] = value
    return context


def synth_from_args(argv: list[str]) -> int:
    """Exit 0 with the template paths; 1 when cdk-nag finds errors; 2 on bad context or a missing bundle."""
    try:
        context = parse_context(argv)
        # A local synth (`make synth`) without the deployer's issuer/audience uses placeholders; under the
        # CDK CLI (which sets CDK_OUTDIR) there are none, so a deploy without -c jwt_issuer=... fails.
        # Run directly, cdk.json's context (e.g. its per-environment `environments` object) applies as under
        # the CLI, which passes it itself.
        defaults = {} if os.environ.get("CDK_OUTDIR") else LOCAL_AUTH | cdk_json_context()
        app, stack = build_app(defaults | context)
    except (ConfigError, PackagingError) as exc:
        sys.stderr.write(f"synth failed: {exc}\n")
        return 2
    try:
        assembly = app.synth()
    except RuntimeError as exc:
        if "ValidationFailed" not in str(exc):
            raise
        sys.stderr.write(f"{exc}\nsynth failed: cdk-nag AwsSolutions reported unacknowledged errors\n")
        return 1
    for artifact in assembly.stacks:
        print(f"{artifact.stack_name}: {Path(assembly.directory) / artifact.template_file}")
    print("lambda code: " + ", ".join(f"{s}={k}" for s, k in sorted(stack.code.kinds.items())))
    print("cdk-nag AwsSolutions: no unacknowledged errors")
    return 0
