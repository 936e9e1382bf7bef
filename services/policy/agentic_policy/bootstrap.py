"""Per-process wiring of the policy service: settings → runtime → adapters → TaskAgent consumer / API.

``build`` (the policy-tasks consumer) and ``build_api`` (the HTTP API) share ``wire``; each imports the
parts only it uses (the repository scan and Git host; the resolver and its routes), so neither entry
point's cold start loads the other's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentic_common.artifact_store import S3ArtifactStore
from agentic_common.environments import UnknownEnvironmentError
from agentic_common.runtime import ServiceRuntime, start_runtime
from agentic_common.settings import load_settings

from agentic_policy.adapters.decision_cache import MemoryDecisionCache
from agentic_policy.adapters.dynamodb.stores import DynamoDBDecisionStore, DynamoDBWaiverStore
from agentic_policy.logic.bundle import RegoBundle
from agentic_policy.logic.enforcement import Enforcement
from agentic_policy.logic.evaluate import PolicyEngine
from agentic_policy.logic.fixtures import FixtureResult, run_fixtures
from agentic_policy.logic.input_limits import InputTooLargeError
from agentic_policy.logic.service import PolicyService
from agentic_policy.settings import PolicySettings

if TYPE_CHECKING:
    from agentic_common.consumer import Consumer
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

SERVICE = "policy"


@dataclass
class Wiring:
    settings: PolicySettings
    runtime: ServiceRuntime
    service: PolicyService
    artifacts: S3ArtifactStore


def wire(settings: PolicySettings | None = None) -> Wiring:
    settings = settings or load_settings(PolicySettings)
    runtime = start_runtime(SERVICE, settings)
    dynamodb = runtime.clients.client("dynamodb")
    service = PolicyService(
        engine=PolicyEngine(
            enforcement=Enforcement.parse(settings.policy_enforcement),
            budget_seconds=settings.policy_budget_seconds,
            cache=MemoryDecisionCache(),
        ),
        waivers=DynamoDBWaiverStore(dynamodb, runtime.table("policy-waivers")),
        decisions=DynamoDBDecisionStore(dynamodb, runtime.table("policy-decisions")),
    )
    artifacts = S3ArtifactStore(runtime.clients.client("s3"), runtime.bucket("agent-artifacts"))
    return Wiring(settings, runtime, service, artifacts)


def build(settings: PolicySettings | None = None) -> Consumer:
    """The consumer of the policy-tasks queue. Call once per process (the handler caches it)."""
    # the consumer's part alone: the repository scan, its violation recorder and the Git host
    from agentic_common.git.factory import build_git_host  # noqa: PLC0415

    from agentic_policy.adapters.dynamodb.recorder import DynamoDBViolationRecorder  # noqa: PLC0415
    from agentic_policy.logic.scan_task import RepositoryScan, failure_events  # noqa: PLC0415

    wiring = wire(settings)
    runtime = wiring.runtime
    secrets: Any = runtime.clients.client("secretsmanager") if wiring.settings.gitlab_token_secret else None
    agent = runtime.task_agent(  # runs only current attempts of tasks the planner dispatched
        RepositoryScan(
            artifacts=wiring.artifacts,
            recorder=DynamoDBViolationRecorder(
                runtime.clients.client("dynamodb"), runtime.table("policy-violations")
            ),
            service=wiring.service,
            commenter=build_git_host(wiring.settings, wiring.settings.agentic_home, secrets),
        ),
        failure_events,
    )
    return runtime.consumer(agent.handle)


def build_api(settings: PolicySettings | None = None) -> APIGatewayHttpResolver:
    """The HTTP API. Call once per process (the handler caches it)."""
    # the API's part alone: the Powertools resolver, its routes and the waiver rules
    from agentic_common.identity import split_setting  # noqa: PLC0415

    from agentic_policy.api.app import ApiDeps, build_app  # noqa: PLC0415
    from agentic_policy.logic.waiver_rules import WaiverRules  # noqa: PLC0415

    wiring = wire(settings)
    engine = wiring.service.engine
    waiver_rules = WaiverRules(
        bundle=engine.bundle,
        enforcement=engine.enforcement,
        approver_groups=split_setting(wiring.settings.policy_approver_group),
        approver_subjects=split_setting(wiring.settings.policy_approvers),
    )
    return build_app(
        ApiDeps(
            service=wiring.service,
            waivers=wiring.service.waivers,
            artifacts=wiring.artifacts,
            artifacts_bucket=wiring.runtime.bucket("agent-artifacts"),
            max_body_bytes=wiring.settings.policy_max_body_bytes,
            waiver_rules=waiver_rules,
        )
    )


@dataclass(frozen=True)
class OfflinePolicy:
    """The engine over the Rego bundle with no store, no waiver and no network: what ``agentic policy``
    runs on a developer's machine, exactly as the service evaluates."""

    engine: PolicyEngine
    # what a caller reports as its user's mistake (unknown environment, a file over the input limits)
    input_errors: tuple[type[ValueError], ...] = (UnknownEnvironmentError, InputTooLargeError)

    def fixtures(self) -> list[FixtureResult]:
        """Every rule's pass/fail fixture, evaluated against the bundle."""
        return run_fixtures(self.engine.bundle)


def build_offline(bundle: Path | None = None) -> OfflinePolicy:
    """The offline engine (the installed bundle, or the bundle directory given)."""
    return OfflinePolicy(PolicyEngine(bundle=RegoBundle(bundle) if bundle else RegoBundle()))
