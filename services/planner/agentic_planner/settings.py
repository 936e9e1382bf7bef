"""Planner settings: one class inheriting the shared ones (environment variables: field names, upper case)."""

from __future__ import annotations

from agentic_common.identity import split_setting
from agentic_common.settings import AnthropicSettings, CommonSettings
from pydantic import Field, SecretStr


class PlannerSettings(CommonSettings, AnthropicSettings):
    slack_webhook_url: SecretStr | None = None
    agentic_api_url: str | None = None  # the API's URL; links in messages use it when it is not loopback
    # the platform's public URL for links people click (Slack buttons, records, policy reports);
    # wins over AGENTIC_API_URL. A loopback URL is never linked.
    agentic_public_url: str | None = None
    # approvals: a bare group name or a Backstage group ref (comma-separated), read from the token's
    # groups / cognito:groups / ent claims; or subjects / e-mails listed in AGENTIC_APPROVERS
    agentic_approver_group: str = "deploy-approvers"
    agentic_approvers: str = ""  # comma-separated subjects or e-mails allowed besides the group
    agentic_service_principals: str = ""  # comma-separated token subjects that may act for a user
    # the longest the sweep goes without reading its due index when this process wrote nothing falling
    # due (docs/decisions/0017): in AWS the schedule's rate, so each scheduled sweep reads once; the
    # local stack, sweeping every second beside the planner's own events, sets 600
    agentic_sweep_idle_seconds: float = Field(default=60.0, gt=0, le=3600)

    @property
    def approver_groups(self) -> tuple[str, ...]:
        return split_setting(self.agentic_approver_group)

    @property
    def approvers(self) -> tuple[str, ...]:
        return split_setting(self.agentic_approvers)

    @property
    def service_principals(self) -> tuple[str, ...]:
        return split_setting(self.agentic_service_principals)
