"""moto's server mode with DynamoDB requests served one at a time (``python -m agentic_local.moto_launcher``).

Why (docs/decisions/0006-crash-recovery.md): moto 5.2.5 serves requests on many threads, and its
``DynamoDBBackend.transact_write_items`` is not isolated. It deep-copies each table the transaction
touches, applies the items one by one and, when any condition fails, puts the copies back. Nothing
locks the tables meanwhile, so a write that another thread committed between the copy and the
rollback is silently undone (and a reader can see half of a transaction). Serialising DynamoDB
requests gives every request, transactions included, the atomicity and isolation DynamoDB has.
Other services (SQS, EventBridge, S3, ...) stay concurrent.

Arguments are moto.server's (``-H host -p port``).
"""

from __future__ import annotations

import functools
import sys
import threading
from typing import Any

from moto.dynamodb.responses import DynamoHandler
from moto.server import main as moto_main

_DYNAMODB = threading.RLock()
_MARK = "_agentic_serialised"


def serialise_dynamodb() -> None:
    """Make every DynamoDB request (one ``DynamoHandler.call_action``) hold one lock. Idempotent."""
    original = DynamoHandler.call_action
    if getattr(original, _MARK, False):
        return

    @functools.wraps(original)
    def call_action(self: DynamoHandler) -> Any:
        with _DYNAMODB:
            return original(self)

    setattr(call_action, _MARK, True)
    DynamoHandler.call_action = call_action  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> None:
    serialise_dynamodb()
    moto_main(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
