"""Where each function's code comes from: staged source + a wheels layer, or a container image."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from aws_cdk import aws_ecr_assets as ecr_assets
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from agentic_infra.config import EnvironmentConfig
from agentic_infra.imports import REPO_ROOT
from agentic_infra.packaging import PackagingError, built_layer, stage_source
from agentic_infra.profiles import ServiceProfile

ENTRY_HANDLER = "agentic_lambda_entry.handler"
POLICY_LAMBDA_DOCKERFILE = "infra/images/policy-lambda/Dockerfile"
# Docker build context = the repository, reduced to what the Dockerfiles copy (a .dockerignore in effect).
IMAGE_CONTEXT_EXCLUDE = [
    "*",
    "!libs",
    "!services",
    "!infra",
    "!pyproject.toml",
    "!uv.lock",
    "!README.md",
    "infra/build",
    "infra/cdk.out",
    "**/__pycache__",
    "**/*.pyc",
    "**/.mypy_cache",
    "**/node_modules",
]


def image_asset_options(dockerfile: str) -> dict[str, object]:
    return {
        "directory": str(REPO_ROOT),
        "file": dockerfile,
        "exclude": IMAGE_CONTEXT_EXCLUDE,
        "platform": ecr_assets.Platform.LINUX_ARM64,
    }


@dataclass
class ZipCode:
    code: lambda_.Code
    layers: list[lambda_.ILayerVersion]
    kind: str  # "source+wheels" | "source only (not deployable)"


@dataclass
class LambdaCodeSource:
    """Builds (once per service) the code of its functions, as the environment's ``lambda_bundle`` says."""

    config: EnvironmentConfig
    stage_root: Path
    kinds: dict[str, str] = field(default_factory=dict)

    def zip_code(self, scope: Construct, profile: ServiceProfile, entry_modules: list[str]) -> ZipCode:
        dest = self.stage_root / profile.name
        stage_source(profile.name, entry_modules, dest)
        layer_root = built_layer(profile.name)
        if layer_root is None and self.config.lambda_bundle == "wheels":
            raise PackagingError(f"{profile.name}: no wheels layer; run `python infra/package.py` first")
        layers: list[lambda_.ILayerVersion] = []
        if layer_root is not None and self.config.lambda_bundle != "source":
            layers.append(
                lambda_.LayerVersion(
                    scope,
                    "deps",
                    code=lambda_.Code.from_asset(str(layer_root), exclude=["LAYER.json"]),
                    compatible_architectures=[lambda_.Architecture.ARM_64],
                    compatible_runtimes=[lambda_.Runtime.PYTHON_3_11],
                    description=f"{profile.name}: third-party wheels (manylinux aarch64, cp311) from uv.lock",
                )
            )
            kind = "source+wheels"
        else:
            kind = "source only (not deployable)"
            if self.config.lambda_bundle == "auto":
                sys.stderr.write(
                    f"note: {profile.name} Lambda code is our source without its dependencies; "
                    "run `python infra/package.py` to build the wheels layers\n"
                )
        self.kinds[profile.name] = kind
        return ZipCode(lambda_.Code.from_asset(str(dest)), layers, kind)

    def image_code(self, profile: ServiceProfile) -> lambda_.DockerImageCode:
        self.kinds[profile.name] = "container image"
        if profile.name != "policy":
            raise PackagingError(f"{profile.name}: no container image Dockerfile for its Lambda functions")
        return lambda_.DockerImageCode.from_image_asset(
            cmd=[ENTRY_HANDLER],
            **image_asset_options(POLICY_LAMBDA_DOCKERFILE),  # type: ignore[arg-type]
        )
