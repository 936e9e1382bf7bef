"""What the local gateway refuses before any handler runs: framing a server must not trust.

API Gateway itself answers these (and never holds a connection for a body that does not come): a
Content-Length that is not a non-negative number, a body over the limit, a chunked body (HTTP APIs
need a length here), and a body that stops short of its Content-Length within the read timeout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    detail: str
    field: str


class BodyError(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.detail)
        self.refusal = refusal


def body_length(
    content_length: str | None, transfer_encoding: str | None, limit: int = MAX_BODY_BYTES
) -> int:
    """The announced body length, or a ``BodyError`` saying what is wrong with the framing."""
    if transfer_encoding and transfer_encoding.strip().lower() != "identity":
        raise BodyError(
            Refusal(
                411, "length_required", "send the body with a Content-Length, not chunked", "Content-Length"
            )
        )
    text = (content_length or "0").strip()
    if not text.isdigit():
        raise BodyError(
            Refusal(
                400,
                "invalid_content_length",
                f"Content-Length {text!r} is not a number of bytes",
                "Content-Length",
            )
        )
    length = int(text)
    if length > limit:
        raise BodyError(
            Refusal(413, "payload_too_large", f"the body is {length} bytes; the limit is {limit}", "body")
        )
    return length


def read_body(stream: BinaryIO, length: int) -> bytes:
    """Exactly ``length`` bytes, or a 400 when the client sends fewer (closed or timed out)."""
    data = b""
    try:
        while len(data) < length:
            chunk = stream.read(length - len(data))
            if not chunk:
                break
            data += chunk
    except TimeoutError:
        pass
    if len(data) < length:
        raise BodyError(
            Refusal(
                400,
                "incomplete_body",
                f"the body ended after {len(data)} of the {length} bytes its Content-Length announced",
                "Content-Length",
            )
        )
    return data
