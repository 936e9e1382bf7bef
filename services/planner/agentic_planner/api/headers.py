"""Request headers the planner API reads, checked before they reach a store.

An ``Idempotency-Key`` becomes part of a DynamoDB key (at most 2,048 bytes), so one over the
documented 200 printable ASCII characters was a 500 from DynamoDB; it is a 400 naming the header.
"""

from __future__ import annotations

import re

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

MAX_IDEMPOTENCY_KEY = 200
_PRINTABLE = re.compile(r"^[\x21-\x7e]+$")


class InvalidHeaderError(ValueError):
    def __init__(self, header: str, problem: str) -> None:
        super().__init__(f"{header}: {problem}")
        self.header, self.problem = header, problem


def idempotency_key(app: APIGatewayHttpResolver) -> str | None:
    """The request's Idempotency-Key (None when absent), or ``InvalidHeaderError``."""
    key = app.current_event.headers.get("idempotency-key")
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY or not _PRINTABLE.match(key):
        raise InvalidHeaderError(
            "Idempotency-Key", f"must be 1 to {MAX_IDEMPOTENCY_KEY} printable ASCII characters, e.g. a UUID"
        )
    return key
