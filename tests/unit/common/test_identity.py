"""Identity from the token: subject, groups (groups, cognito:groups, Backstage ent), acting for others."""

from __future__ import annotations

import pytest
from agentic_common.identity import IdentityMismatchError, identity_of, requester

BACKSTAGE_USER = {
    "sub": "user:default/jane",
    "ent": ["user:default/jane", "group:default/platform-approvers", "group:ops/oncall"],
}


def test_the_identity_is_the_tokens_subject_with_its_email() -> None:
    who = identity_of({"sub": "u-123", "email": "jane@example.com"})
    assert (who.subject, who.names) == ("u-123", ("u-123", "jane@example.com"))


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "a", "groups": ["deploy-approvers"]},
        {"sub": "a", "cognito:groups": "[deploy-approvers admins]"},  # API Gateway's string form
        {"sub": "a", "groups": "deploy-approvers,admins"},
        {"sub": "a", "ent": ["group:default/deploy-approvers"]},
    ],
)
def test_a_group_is_read_from_every_claim_form(claims: dict[str, object]) -> None:
    assert identity_of(claims).member_of(["deploy-approvers"])


def test_a_backstage_group_ref_matches_by_ref_or_by_bare_name_in_the_default_namespace() -> None:
    # Given a Backstage user token whose ent claim lists its groups
    who = identity_of(BACKSTAGE_USER)
    # Then the groups match by full ref (any case) and, in the default namespace, by bare name
    assert who.member_of(["group:default/platform-approvers"])
    assert who.member_of(["Group:Default/Platform-Approvers"])
    assert who.member_of(["platform-approvers"])
    assert who.member_of(["group:ops/oncall"])


def test_a_group_in_another_namespace_does_not_match_a_bare_name() -> None:
    assert not identity_of(BACKSTAGE_USER).member_of(["oncall"])


def test_the_user_entity_ref_in_ent_is_not_a_group() -> None:
    assert not identity_of(BACKSTAGE_USER).member_of(["jane", "user:default/jane"])


def test_no_requested_by_means_the_token_subject_requests() -> None:
    assert requester(identity_of({"sub": "dev@x.io"}), None, ()) == ("dev@x.io", None)


def test_requested_by_naming_the_caller_by_email_is_the_subject() -> None:
    who = identity_of({"sub": "u-1", "email": "Dev@X.io"})
    assert requester(who, "dev@x.io", ()) == ("u-1", None)


def test_requested_by_naming_someone_else_is_refused_naming_both() -> None:
    with pytest.raises(IdentityMismatchError, match=r"'user@example.com'.*'developer@agentic.local'"):
        requester(identity_of({"sub": "developer@agentic.local"}), "user@example.com", ())


def test_a_service_principal_acts_for_the_user_and_is_recorded_as_via() -> None:
    backstage = identity_of({"sub": "backstage-backend"})
    assert requester(backstage, "user:default/jane", ["backstage-backend"]) == (
        "user:default/jane",
        "backstage-backend",
    )
