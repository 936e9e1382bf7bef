"""Ports the planner's logic takes: notifier, plan proposer (LLM), revisions, service names.

State, bus and the deployments record (``agentic_common.records.deployments``) come from libs/common."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field


class Notification(BaseModel):
    """What a person reads: title, text, facts (label → value), commands to run, links, actions.

    ``event`` names what happened within the workflow (``workflow.failed``,
    ``approval.requested:apr-1``): a notification is delivered once per (workflow, event, channel).
    ``record_url`` points at the full record when the text had to be cut. ``actions`` are buttons
    (label → public URL); ``fact_links`` link a fact's value (label → URL), e.g. the commit.
    """

    model_config = ConfigDict(frozen=True)

    workflow_id: str
    event: str
    status: str
    title: str
    text: str
    links: dict[str, str]
    facts: dict[str, str] = Field(default_factory=dict)
    commands: tuple[str, ...] = ()
    record_url: str | None = None
    actions: dict[str, str] = Field(default_factory=dict)
    fact_links: dict[str, str] = Field(default_factory=dict)


class DeliveryError(RuntimeError):
    """A channel could not deliver. ``answer`` is what the far end said (``400 invalid_blocks``)."""

    def __init__(self, channel: str, answer: str, *, retryable: bool) -> None:
        super().__init__(f"{channel} answered {answer}")
        self.channel = channel
        self.answer = answer
        self.retryable = retryable


class Notifier(Protocol):
    """One delivery channel (the notifications log, Slack). Raises ``DeliveryError`` when it can't."""

    @property
    def channel(self) -> str: ...

    def notify(self, notification: Notification) -> None: ...


class ProposedPlan(BaseModel):
    """What an LLM proposes for a free-text request: a catalogue template and its parameters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    template: str
    parameters: dict[str, Any]
    rationale: str = ""


class ProposalError(ValueError):
    """The model answered, but not with a usable proposal (no tool call, off-schema arguments)."""


class ProposerUnavailableError(RuntimeError):
    """The model's API could not be used now (overloaded, rate-limited, down, unreachable, refused our
    key). ``retry_after`` is how many seconds to wait before asking again. Never holds the key."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PlanProposer(Protocol):
    def propose(self, request: str, templates: dict[str, dict[str, Any]]) -> ProposedPlan:
        """Map a free-text request onto one of ``templates`` (name → parameters JSON Schema).

        Raises ``ProposalError`` for an unusable answer, ``ProposerUnavailableError`` when the model
        cannot be asked now."""


class RevisionResolver(Protocol):
    def resolve(self, project: str, ref: str) -> str | None:
        """The 40-hex commit ``ref`` (a tag, a branch or a commit) names in the Git host's ``project``;
        None when it names none there. Raises ``GitHostError``: not retryable when the project does
        not exist, retryable when the host could not answer."""


class ServiceClaim(BaseModel):
    """Who a service name belongs to: the service's language and pattern, and the workflow that set them."""

    model_config = ConfigDict(frozen=True)

    name: str
    language: str
    pattern: str
    workflow_id: str


class ServiceNames(Protocol):
    def get(self, name: str) -> ServiceClaim | None: ...

    def put(self, claim: ServiceClaim, replacing: ServiceClaim | None) -> tuple[bool, ServiceClaim | None]:
        """Record ``claim`` if the name is free (``replacing`` None) or still held by ``replacing``
        (conditional write): ``(True, None)``; else ``(False, holder)``, the claim the refused write found
        (None if the name turned out free), so a caller needs no read before or after it."""
        ...


class OutcomeRecorder(Protocol):
    def record(self, workflow_id: str, key: str, outcome: str) -> None:
        """Remember ``outcome`` for ``key`` (``<event> via <channel>``) on the workflow."""
