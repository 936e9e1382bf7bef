"""Who is calling, read from the verified token's claims, never from a request body.

The identity is the token's subject (``sub``). Its groups come from the ``groups`` and
``cognito:groups`` claims and from Backstage's ``ent`` claim (entity refs such as
``group:default/platform-approvers``). API Gateway's JWT authorizer passes a list claim as one string
(``"[a b]"``); both forms are read.

A configured service principal (e.g. the Backstage backend) may act for a user: the user is then
the requester and the principal is recorded as ``via``. Anyone else asking for someone else is refused.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

GROUP_CLAIMS = ("groups", "cognito:groups")
ENTITY_CLAIM = "ent"
DEFAULT_NAMESPACE = "default"


class IdentityMismatchError(PermissionError):
    """The body names someone other than the token's subject, and the token may not act for others."""


def _claim_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part for part in value.strip().strip("[]").replace(",", " ").split() if part]
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


def _group_ref(ref: str) -> str | None:
    """``group:default/x`` (kind and namespace optional in config: ``group:x``) → canonical lower-case ref."""
    kind, sep, rest = ref.strip().lower().partition(":")
    if not sep or kind != "group" or not rest:
        return None
    namespace, slash, name = rest.partition("/")
    return f"group:{namespace}/{name}" if slash else f"group:{DEFAULT_NAMESPACE}/{namespace}"


def _names(groups: Collection[str]) -> frozenset[str]:
    """Each group as the names it answers to: its full ref, and its bare name in the default namespace."""
    found: set[str] = set()
    for group in groups:
        ref = _group_ref(group)
        if ref is None:
            found.add(group.strip().lower())
            continue
        found.add(ref)
        namespace, _, name = ref.removeprefix("group:").partition("/")
        if namespace == DEFAULT_NAMESPACE:
            found.add(name)
    return frozenset(found)


@dataclass(frozen=True)
class Identity:
    subject: str
    email: str | None
    groups: frozenset[str]

    @property
    def names(self) -> tuple[str, ...]:
        """Every name this caller answers to (subject first), for "is this the same person" checks."""
        return tuple(n for n in (self.subject, self.email) if n)

    def is_one_of(self, people: Collection[str]) -> bool:
        wanted = {p.strip().casefold() for p in people if p.strip()}
        return any(name.casefold() in wanted for name in self.names)

    def member_of(self, groups: Collection[str]) -> bool:
        """True when a token group matches one of ``groups`` (bare names or ``group:ns/name`` refs)."""
        return bool(_names(self.groups) & _names(groups))


def identity_of(claims: Mapping[str, Any]) -> Identity:
    groups = [g for claim in GROUP_CLAIMS for g in _claim_list(claims.get(claim))]
    groups += [ref for ref in _claim_list(claims.get(ENTITY_CLAIM)) if _group_ref(ref)]
    email = claims.get("email")
    return Identity(
        subject=str(claims.get("sub") or ""),
        email=str(email) if email else None,
        groups=frozenset(groups),
    )


def requester(
    identity: Identity, requested_by: str | None, service_principals: Collection[str]
) -> tuple[str, str | None]:
    """(the requester, the service principal that asked for them or None).

    With no ``requestedBy``, or one naming the caller, the requester is the token's subject. A
    service principal may name someone else; anyone else gets IdentityMismatchError.
    """
    if requested_by is None or identity.is_one_of([requested_by]):
        return identity.subject, None
    if identity.is_one_of(service_principals):
        return requested_by, identity.subject
    raise IdentityMismatchError(
        f"requestedBy {requested_by!r} differs from the token's subject {identity.subject!r}: a request "
        "is made by the token's holder; omit requestedBy, or send it from a configured service principal "
        "(AGENTIC_SERVICE_PRINCIPALS) acting for that user"
    )


def split_setting(value: str) -> tuple[str, ...]:
    """A comma-separated setting (``AGENTIC_APPROVERS``, ``AGENTIC_SERVICE_PRINCIPALS``) as its entries."""
    return tuple(part.strip() for part in value.split(",") if part.strip())
