"""The deploy target for real infrastructure: Terraform Cloud for the module, ArgoCD for the app.

It checks the commit out (only to read its ``terraform/`` module, sent to Terraform Cloud as a
tar.gz), then hands over to the ``RemoteDeployer`` built once in ``bootstrap.py``. Nothing runs on
this worker, so there is nothing to stop or reap. Remediation actions map to ArgoCD: restart → the
Rollout's ``restart`` action, rollback → the previous history entry, resync → a sync to the live
revision.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agentic_deployment.adapters.git_checkout import checkout
from agentic_deployment.adapters.remote.argocd import ArgoCd
from agentic_deployment.logic.polling import Deadline
from agentic_deployment.logic.remote_deploy import RemoteDeployer, RemoteDeployRequest
from agentic_deployment.ports import DeployError, DeployRequest, RunningService


def module_archive(source: Path) -> bytes | None:
    """``terraform/`` of the checkout as a deterministic tar.gz rooted at the module, or None."""
    module = source / "terraform"
    if not module.is_dir():
        return None
    buffer = io.BytesIO()
    # the gzip header carries a time too: 0, so the same module is the same bytes in any second
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as zipped,
        tarfile.open(fileobj=zipped, mode="w") as tar,
    ):
        for path in sorted(p for p in module.rglob("*") if p.is_file()):
            info = tar.gettarinfo(str(path), arcname=str(path.relative_to(module)))
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            with path.open("rb") as handle:
                tar.addfile(info, handle)
    return buffer.getvalue()


class RemoteTarget:
    name = "argocd"

    def __init__(self, deployer: RemoteDeployer, argocd: ArgoCd, project: str = "default") -> None:
        self.deployer, self.argocd, self.project = deployer, argocd, project

    def deploy(self, request: DeployRequest) -> RunningService:
        with tempfile.TemporaryDirectory(prefix="agentic-remote-") as work:
            source = Path(work) / "src"
            checkout(request.repo_url, request.commit, source, Deadline.after(request.timeout_seconds))
            archive = module_archive(source)
        remote = RemoteDeployRequest(
            deployment_id=request.deployment_id,
            workflow_id=request.workflow_id,
            task_id=request.deployment_id,
            service=request.service_name,
            environment=request.environment,
            repo_url=request.repo_url,
            commit=request.commit,
            gate=request.gate,
            strategy=request.strategy,
            terraform_archive=archive,
            project=self.project,
        )
        result = self.deployer.deploy(remote, cancelled=lambda: False)
        if result.awaiting_apply:
            raise DeployError(
                f"the Terraform plan for {remote.app_name} waits for a person to confirm the apply in "
                f"Terraform Cloud ({result.terraform.url if result.terraform else 'see the workspace'})",
                retryable=False,
            )
        return RunningService(
            deployment_id=request.deployment_id,
            url=self.argocd.app_url(result.app_name),
            commit=request.commit,
            started_at=datetime.now(UTC),
            steps=tuple(step.as_dict() for step in result.gates),
        )

    def stop_all(self) -> None:
        return None

    def reap_orphans(self) -> int:
        return 0


class ArgoActions:
    """Remediation actions on an ArgoCD application; before/after are the application's state."""

    def __init__(self, argocd: ArgoCd) -> None:
        self.argocd = argocd

    def _snapshot(self, app: str) -> dict[str, Any]:
        state = self.argocd.state(app)
        return {"sync": state.sync, "health": state.health, "revision": state.revision}

    def _act(self, service: str, environment: str, do: Callable[[str], object]) -> tuple[Any, Any]:
        app = f"{service}-{environment}"
        before = self._snapshot(app)
        do(app)
        return before, self._snapshot(app)

    def restart(self, service: str, environment: str, parameters: dict[str, Any]) -> tuple[Any, Any]:
        return self._act(
            service, environment, lambda app: self.argocd.rollout_action(app, service, service, "restart")
        )

    def rollback(self, service: str, environment: str, parameters: dict[str, Any]) -> tuple[Any, Any]:
        return self._act(service, environment, self.argocd.rollback)

    def resync(self, service: str, environment: str, parameters: dict[str, Any]) -> tuple[Any, Any]:
        return self._act(
            service,
            environment,
            lambda app: self.argocd.sync(app, str(self.argocd.state(app).revision or "HEAD")),
        )

    def scale(self, service: str, environment: str, parameters: dict[str, Any]) -> tuple[Any, Any]:
        raise DeployError(
            "scaling is the HPA's job in the cluster; change its bounds in the chart values", retryable=False
        )
