"""``once(key)``: the claim rules every consumer shares (claim, run, complete; release on a fault)."""

from __future__ import annotations

import pytest
from agentic_common.idempotency import InMemoryClaimStore, once


class BoomError(Exception):
    pass


def test_a_block_that_ends_normally_completes_the_claim_so_a_duplicate_is_skipped() -> None:
    # Given a block that ran once under the key
    claims = InMemoryClaimStore()
    with once(claims, "k", lease_seconds=60) as owned:
        assert owned

    # When the same key comes again long after any lease
    with once(claims, "k", lease_seconds=60) as again:
        # Then it is not owned: the work is done
        assert not again


def test_a_block_that_raises_releases_the_claim_so_a_redelivery_can_run() -> None:
    # Given a block that fails under the key
    claims = InMemoryClaimStore()
    with pytest.raises(BoomError), once(claims, "k", lease_seconds=60):
        raise BoomError

    # Then the key can be claimed again at once
    assert claims.claim("k", lease_seconds=60)


def test_a_key_held_by_a_live_lease_is_not_owned_and_not_touched() -> None:
    # Given a key another consumer holds
    claims = InMemoryClaimStore()
    assert claims.claim("k", lease_seconds=60)

    # When a duplicate's block raises
    seen: list[bool] = []

    def duplicate() -> None:
        with once(claims, "k", lease_seconds=60) as owned:
            seen.append(owned)
            raise BoomError

    with pytest.raises(BoomError):
        duplicate()
    assert seen == [False]

    # Then the other consumer's claim is neither released nor completed
    assert not claims.claim("k", lease_seconds=60)
    claims.release("k")
    assert claims.claim("k", lease_seconds=60)
