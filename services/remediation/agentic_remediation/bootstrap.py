"""Per-process wiring of the remediation worker: settings → runtime → catalogue, stores → consumer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from agentic_common.approvals.dynamodb import DynamoDBApprovalStore
from agentic_common.consumer import Consumer
from agentic_common.redact import register_secret
from agentic_common.runtime import ServiceRuntime, start_runtime
from agentic_common.settings import SettingsError, load_settings

from agentic_remediation.adapters.dynamodb.audit import DynamoDBAuditStore
from agentic_remediation.logic.agent import RemediationAgent
from agentic_remediation.logic.catalogue import CatalogueError, load_catalogue
from agentic_remediation.logic.context import LoopBound, Remediation
from agentic_remediation.logic.decide import Decider
from agentic_remediation.logic.ranking import DeterministicRanker
from agentic_remediation.logic.tiers import load_tier_policy
from agentic_remediation.ports import Ranker
from agentic_remediation.settings import RemediationSettings

SERVICE = "remediation"


@dataclass(frozen=True)
class Service:
    runtime: ServiceRuntime
    consumer: Consumer
    remediation: Remediation


def _ranker(settings: RemediationSettings) -> Ranker:
    if settings.anthropic_api_key is None:
        return DeterministicRanker()
    # Imported only when used: the anthropic package takes seconds to import, most workers run without it.
    from agentic_remediation.adapters.claude_ranker import ClaudeRanker  # noqa: PLC0415

    key = settings.anthropic_api_key.get_secret_value()
    register_secret(key)
    return ClaudeRanker(key, settings.anthropic_model, settings.anthropic_base_url)


def _decider(config: RemediationSettings) -> Decider:
    """The shipped playbooks and tier policy; an invalid file stops the worker with its name and field."""
    try:
        catalogue, tiers = load_catalogue(), load_tier_policy()
    except CatalogueError as exc:
        raise SettingsError(f"invalid remediation playbooks or tier policy: {exc}") from None
    return Decider(catalogue, tiers, _ranker(config))


def assemble(settings: RemediationSettings | None = None) -> Service:
    """Build the runtime, the remediation flows and the consumer (the worker needs all three)."""
    config = settings or load_settings(RemediationSettings)
    runtime = start_runtime(SERVICE, config)
    queue = runtime.own_queue()
    dynamodb = runtime.clients.client("dynamodb")
    remediation = Remediation(
        publisher=runtime.publisher,
        audit=DynamoDBAuditStore(dynamodb, runtime.table("remediation-audit")),
        approvals=DynamoDBApprovalStore(dynamodb, runtime.table("approvals")),
        decider=_decider(config),
        bound=LoopBound(config.remediation_max_actions, timedelta(seconds=config.remediation_window_seconds)),
        approval_ttl=timedelta(seconds=config.remediation_approval_ttl_seconds),
    )
    agent = RemediationAgent(remediation, runtime.claims, lease_seconds=queue.visibility_timeout_seconds)
    return Service(runtime=runtime, consumer=runtime.consumer(agent.handle, queue), remediation=remediation)


def build(settings: RemediationSettings | None = None) -> Consumer:
    return assemble(settings).consumer
