"""Infra test fixtures: each environment is synthesized ONCE per session (the first takes tens of seconds)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.infra.external_peers import Peers, start_peers

for _warning in ("END_OF_LIFE", "DEPRECATED", "UNTESTED"):  # Node 20: silence jsii's banner
    os.environ.setdefault(f"JSII_SILENCE_WARNING_{_warning}_NODE_VERSION", "20")
INFRA = Path(__file__).resolve().parents[2] / "infra"
for _path in (INFRA, INFRA / "lambda_entry"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

ISSUER = "https://backstage.example.test/api/auth"
AUDIENCE = "agentic-platform"
CONSOLE_CLIENT = "agentic-console"  # the console's OIDC client at ISSUER


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
def peers() -> Iterator[Peers]:
    """Local stand-ins of ArgoCD, Terraform Cloud, Prometheus, GitLab, Slack, Anthropic (session-wide)."""
    started = start_peers()
    yield started
    started.stop()


CONSOLE_FILES = {
    "index.html": '<!doctype html><div id="root"></div><script type="module" src="/assets/app.js"></script>',
    "assets/app.js": "fetch('/config.json').then((r) => r.json());",
}
"""A console build output as the deploy gets it: the infra tests check what the stack does with it."""


def write_console_build(folder: Path) -> Path:
    for name, text in CONSOLE_FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


@pytest.fixture(scope="session")
def console_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_console_build(tmp_path_factory.mktemp("console-dist"))


@pytest.fixture(scope="session")
def synth(
    tmp_path_factory: pytest.TempPathFactory, peers: Peers, console_dist: Path
) -> Callable[[str], Synthesized]:
    """``synth(env)``: that environment's stack, synthesized once per session (cdk-nag on, Lambda code = our
    staged source, no wheels), with the context a platform team gives, pointed at the local ``peers``."""
    from agentic_infra.app import build_app  # noqa: PLC0415 - after sys.path and the jsii variables

    done: dict[str, Synthesized] = {}

    def synthesize(env: str) -> Synthesized:
        if env not in done:
            root = tmp_path_factory.mktemp(f"infra-{env}")
            context = {
                "env": env,
                "jwt_issuer": ISSUER,
                "jwt_audience": AUDIENCE,
                "console_oidc_client_id": CONSOLE_CLIENT,
                "lambda_bundle": "source",
                "console_dist": str(console_dist),
                **peers.context(),
            }
            app, stack = build_app(context, outdir=str(root / "cdk.out"), stage_root=root / "stage")
            assembly = app.synth()  # raises ValidationFailed if cdk-nag reports an unacknowledged error
            artifact = assembly.get_stack_artifact(stack.artifact_id)
            template = json.loads((Path(assembly.directory) / artifact.template_file).read_text())
            done[env] = Synthesized(
                stack=stack, template=template, outdir=Path(assembly.directory), context=context
            )
        return done[env]

    return synthesize


@pytest.fixture(scope="session")
def synthesized(synth: Callable[[str], Synthesized]) -> Synthesized:
    """The dev stack from the real topology."""
    return synth("dev")
