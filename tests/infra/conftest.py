"""Infra test fixtures: the CDK app is synthesized ONCE per session (it takes tens of seconds)."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

for _warning in ("END_OF_LIFE", "DEPRECATED", "UNTESTED"):  # Node 20: silence jsii's banner
    os.environ.setdefault(f"JSII_SILENCE_WARNING_{_warning}_NODE_VERSION", "20")
INFRA = Path(__file__).resolve().parents[2] / "infra"
for _path in (INFRA, INFRA / "lambda_entry"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

ISSUER = "https://backstage.example.test/api/auth"
AUDIENCE = "agentic-platform"
OTLP = "http://otel-collector.example.test:4318"


@dataclass
class Synthesized:
    stack: Any
    template: dict[str, Any]
    outdir: Path
    context: dict[str, str]

    def resources(self, kind: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.template["Resources"].items() if v["Type"] == kind}

    def props(self, kind: str) -> list[dict[str, Any]]:
        return [v.get("Properties", {}) for v in self.resources(kind).values()]

    def logical_id(self, construct: Any) -> str:
        return str(self.stack.get_logical_id(construct.node.default_child))


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    """The dev stack from the real topology, cdk-nag on, Lambda code = our staged source (no wheels)."""
    from agentic_infra.app import build_app  # noqa: PLC0415 - after sys.path and the jsii variables

    root = tmp_path_factory.mktemp("infra")
    context = {
        "env": "dev",
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
        "otlp_endpoint": OTLP,
        "lambda_bundle": "source",
    }
    app, stack = build_app(context, outdir=str(root / "cdk.out"), stage_root=root / "stage")
    assembly = app.synth()  # raises ValidationFailed if cdk-nag reports an unacknowledged error
    artifact = assembly.get_stack_artifact(stack.artifact_id)
    template = json.loads((Path(assembly.directory) / artifact.template_file).read_text())
    return Synthesized(stack=stack, template=template, outdir=Path(assembly.directory), context=context)
