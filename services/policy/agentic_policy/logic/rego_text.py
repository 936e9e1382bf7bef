"""Strings that cross regopy safely.

regopy 1.5.2 writes strings into its JSON output without escaping them, so a double quote, a
backslash or a control character in the input (a file name, a resource name...) that a rule copies
into its result makes the output unreadable. Input strings are therefore mapped before evaluation
(``"`` and ``\\`` to look-alike characters, control characters to spaces) and result strings mapped back.
"""

from __future__ import annotations

import re
from typing import Any

_TO_REGO = {ord('"'): "\u201d", ord("\\"): "\u2216", **{c: " " for c in range(32)}}
_FROM_REGO = re.compile("[\u201d\u2216]")
_BACK = {"\u201d": '"', "\u2216": "\\"}


def to_rego(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate(_TO_REGO)
    if isinstance(value, dict):
        return {to_rego(k): to_rego(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_rego(v) for v in value]
    return value


def from_rego(text: str | None) -> str | None:
    return None if text is None else _FROM_REGO.sub(lambda m: _BACK[m.group(0)], text)
