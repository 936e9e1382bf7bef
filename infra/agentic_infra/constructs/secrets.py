"""One Secrets Manager secret per external system; the deployer sets their values after the first deploy."""

from __future__ import annotations

from aws_cdk import RemovalPolicy, SecretValue
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from agentic_infra.nag import acknowledge
from agentic_infra.profiles import SECRETS


class PlatformSecrets(Construct):
    """``secrets`` by name (gitlab, argocd, terraform-cloud, slack, anthropic), named ``<prefix>/<name>``."""

    def __init__(self, scope: Construct, id: str, *, prefix: str, retain: bool) -> None:
        super().__init__(scope, id)
        self.secrets: dict[str, secretsmanager.Secret] = {}
        for spec in SECRETS:
            secret = secretsmanager.Secret(
                self,
                spec.name,
                secret_name=f"{prefix}/{spec.name}",
                description=f"{spec.description} (JSON keys: {', '.join(sorted(spec.env.values()))})",
                # An empty JSON object, not a credential: the deployer puts the real value (see the guide).
                secret_string_value=SecretValue.unsafe_plain_text("{}"),
                removal_policy=RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY,
            )
            acknowledge(
                secret,
                "AwsSolutions-SMG4",
                "third-party tokens (GitLab, ArgoCD, Terraform Cloud, Slack, "
                "Anthropic) are issued by those systems; rotate them there and put the new value",
            )
            self.secrets[spec.name] = secret
