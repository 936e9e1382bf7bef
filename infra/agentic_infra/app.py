"""Build the CDK app: context → environment config → one platform stack, with cdk-nag on every synth."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from agentic_common.topology import Topology, default_topology

from agentic_infra.config import load_config
from agentic_infra.constructs.console import console_build
from agentic_infra.nag import enable_nag
from agentic_infra.packaging import BUILD_ROOT
from agentic_infra.runtime_config import RUNTIME_SETTINGS
from agentic_infra.stack import PlatformStack

DEFAULT_OUTDIR = BUILD_ROOT.parent / "cdk.out"


def build_app(
    context: dict[str, Any] | None = None,
    outdir: str | None = None,
    topology: Topology | None = None,
    stage_root: Path | None = None,
) -> tuple[cdk.App, PlatformStack]:
    """The app and its stack. ``context`` gives defaults; ``-c`` values from the CDK CLI override them."""
    app = cdk.App(context=context, outdir=outdir or os.environ.get("CDK_OUTDIR") or str(DEFAULT_OUTDIR))
    values = {
        key: app.node.try_get_context(key)
        for key in (
            "env",
            "jwt_issuer",
            "jwt_audience",
            "otlp_endpoint",
            "fargate_cpu",
            "fargate_memory_mib",
            "lambda_bundle",
            "environments",
            "console_dist",
            "console_oidc_client_id",
            "console_oidc_scope",
            "console_oidc_token",
            *(setting.key for setting in RUNTIME_SETTINGS),
        )
    }
    console_dist = values.pop("console_dist")
    config = load_config({k: v for k, v in values.items() if v is not None})
    console = console_build(Path(console_dist) if console_dist else None)  # before the slow part
    account, region = os.environ.get("CDK_DEFAULT_ACCOUNT"), os.environ.get("CDK_DEFAULT_REGION")
    env = cdk.Environment(account=account, region=region) if account and region else None
    stack = PlatformStack(
        app,
        f"agentic-{config.name}",
        config=config,
        topology=topology or default_topology(),
        stage_root=stage_root or BUILD_ROOT / "source" / config.name,
        console_dist=console,
        env=env,
    )
    enable_nag(app)
    return app, stack
