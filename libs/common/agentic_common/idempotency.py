"""At-most-once processing claims for consumers: a duplicate event (same key) is a no-op.

A claim is ``in_progress`` with a lease while the work runs, ``completed`` after. A failed attempt
releases its claim so a redelivery can try again; a crashed one is retried once the lease expires.
Consumers use ``once``, which holds those rules in one place::

    with once(claims, key, lease_seconds=60) as owned:
        if not owned:
            return  # a duplicate: done, or running elsewhere under a live lease
        do_the_work()  # raises: the claim is released; returns: the claim is completed
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from botocore.exceptions import ClientError

COMPLETED_TTL_SECONDS = 7 * 24 * 3600


class ClaimStore(Protocol):
    def claim(self, key: str, lease_seconds: int) -> bool:
        """True if the caller now owns the key; False if it is done or owned by a live lease."""

    def complete(self, key: str) -> None: ...

    def release(self, key: str) -> None: ...


@contextmanager
def once(claims: ClaimStore, key: str, lease_seconds: int) -> Iterator[bool]:
    """Claim ``key`` for the block: yields whether the caller owns it. When it does, the claim is
    completed if the block ends normally and released if it raises (so a redelivery can try again);
    when it does not, nothing is written whatever the block does."""
    owned = claims.claim(key, lease_seconds=lease_seconds)
    if not owned:
        yield False
        return
    try:
        yield True
    except BaseException:
        claims.release(key)
        raise
    claims.complete(key)


class DynamoDBClaimStore:
    def __init__(self, client: Any, table_name: str, clock: Callable[[], float] = time.time) -> None:
        self._db = client
        self._table = table_name
        self._clock = clock

    def claim(self, key: str, lease_seconds: int) -> bool:
        now = int(self._clock())
        try:
            self._db.put_item(
                TableName=self._table,
                Item={
                    "id": {"S": key},
                    "status": {"S": "in_progress"},
                    "lease_until": {"N": str(now + lease_seconds)},
                    "expires_at": {"N": str(now + COMPLETED_TTL_SECONDS)},
                },
                ConditionExpression="attribute_not_exists(id) OR (#s = :p AND lease_until < :now)",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":p": {"S": "in_progress"}, ":now": {"N": str(now)}},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def complete(self, key: str) -> None:
        self._db.update_item(
            TableName=self._table,
            Key={"id": {"S": key}},
            UpdateExpression="SET #s = :c",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":c": {"S": "completed"}},
        )

    def release(self, key: str) -> None:
        self._db.delete_item(TableName=self._table, Key={"id": {"S": key}})


class InMemoryClaimStore:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._claims: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def claim(self, key: str, lease_seconds: int) -> bool:
        with self._lock:
            existing = self._claims.get(key)
            now = self._clock()
            if existing and (existing[0] == "completed" or existing[1] >= now):
                return False
            self._claims[key] = ("in_progress", now + lease_seconds)
            return True

    def complete(self, key: str) -> None:
        with self._lock:
            self._claims[key] = ("completed", 0.0)

    def release(self, key: str) -> None:
        with self._lock:
            self._claims.pop(key, None)
