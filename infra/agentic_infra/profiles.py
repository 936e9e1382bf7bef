"""What each service may touch (tables, buckets, secrets) and how it is packaged: the IAM source of truth.

Queues, rules, schedules and API routes come from the topology; this module adds only what the topology
does not say: which tables and secrets a service uses, and the entry points of its Lambda functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class SecretSpec:
    """A Secrets Manager secret (JSON) and the environment variables its keys become in a service."""

    name: str
    description: str
    env: dict[str, str]  # environment variable → JSON key in the secret
    public_keys: tuple[str, ...] = ()  # keys that are not credentials (URLs, names): not masked in logs


SECRETS: tuple[SecretSpec, ...] = (
    SecretSpec("gitlab", "GitLab API token (api scope)", {"GITLAB_TOKEN": "token"}),
    SecretSpec("argocd", "ArgoCD API token (project-scoped)", {"ARGOCD_TOKEN": "token"}),
    SecretSpec("terraform-cloud", "Terraform Cloud team token", {"TFC_TOKEN": "token"}),
    SecretSpec(
        "policy-api",
        "bearer token the deployment worker sends to POST /policy/validate",
        {"POLICY_API_TOKEN": "token"},
    ),
    SecretSpec("slack", "Slack incoming webhook URL", {"SLACK_WEBHOOK_URL": "webhook_url"}),
    SecretSpec("anthropic", "Anthropic API key", {"ANTHROPIC_API_KEY": "api_key"}),
)


@dataclass(frozen=True)
class ServiceProfile:
    name: str
    runtime: Literal["lambda", "fargate"]
    tables: tuple[str, ...] = ()  # read and write
    read_tables: tuple[str, ...] = ()
    buckets: tuple[str, ...] = ()  # read and write
    read_buckets: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()
    queue_handler: str | None = None  # Lambda services: module:function of the SQS batch handler
    packaging: Literal["zip", "image"] = "zip"  # Lambda only; image = container image Lambda
    image_apt_packages: tuple[str, ...] = ()  # Fargate only: pinned Debian packages its worker runs

    @property
    def source(self) -> str:
        """The EventBridge source the service publishes with (``agentic.<service>``)."""
        return f"agentic.{self.name}"


PROFILES: dict[str, ServiceProfile] = {
    p.name: p
    for p in (
        ServiceProfile(
            "planner",
            "lambda",
            tables=("workflows", "idempotency", "approvals"),
            read_tables=("deployments",),
            secrets=("slack", "anthropic", "gitlab"),  # gitlab: a deploy's version resolved to a commit
            queue_handler="agentic_planner.handler:events_handler",
        ),
        ServiceProfile(
            "codegen",
            "lambda",
            tables=("idempotency",),
            read_tables=("workflows",),  # the current attempt of a task, before any side effect
            buckets=("agent-artifacts",),
            secrets=("gitlab", "anthropic"),
            queue_handler="agentic_codegen.handler:lambda_handler",
        ),
        ServiceProfile(
            "policy",
            "lambda",
            tables=("idempotency", "policy-violations", "policy-waivers", "policy-decisions"),
            read_tables=("workflows",),  # the current attempt of a task (agentic_common.agent)
            buckets=("agent-artifacts",),
            read_buckets=("policy-bundles",),
            secrets=("gitlab",),  # merge request comments
            queue_handler="agentic_policy.handler:lambda_handler",
            packaging="image",
        ),
        ServiceProfile(
            "deployment",
            "fargate",
            tables=("idempotency", "deployments", "approvals"),
            read_tables=("workflows",),  # the current attempt of a task (agentic_common.agent)
            read_buckets=("agent-artifacts",),
            secrets=("argocd", "terraform-cloud", "policy-api"),
            # git: the ArgoCD target checks out the commit to upload its terraform/ module to Terraform Cloud
            image_apt_packages=("git=1:2.39.5-0+deb12u3",),
        ),
        ServiceProfile(
            "observability",
            "fargate",
            tables=("idempotency", "alerts"),
            read_tables=("deployments", "workflows"),  # workflows: a task's current attempt, declared SLOs
            buckets=("telemetry-archive",),
            secrets=("anthropic",),
        ),
        ServiceProfile(
            "remediation",
            "fargate",
            tables=("idempotency", "remediation-audit", "approvals"),
            read_tables=("deployments", "policy-violations"),
            secrets=("anthropic",),
        ),
    )
}


def secret_spec(name: str) -> SecretSpec:
    return next(s for s in SECRETS if s.name == name)


def schedule_handler(service: str, entry_point: str) -> str:
    """A topology schedule's entry point → its handler: ``agentic_<service>.handler:<entry>_handler``."""
    return f"agentic_{service}.handler:{entry_point}_handler"
