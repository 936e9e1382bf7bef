"""The one severity map for checkov and hadolint checks, used by the codegen gate and the policy service.

checkov (without a Prisma Cloud key) reports no severities, and hadolint's levels are its own; the map
in ``severity_map.json`` next to this module says how much each check matters here. Checks not named in
it get the tool's default from the same file.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from agentic_checks.findings import normalise_severity

MAP_FILE = Path(__file__).with_name("severity_map.json")


@cache
def severity_map() -> dict[str, Any]:
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def checkov_severity(check_id: str) -> str:
    table = severity_map()["checkov"]
    return str(table["checks"].get(check_id, table["default"]))


def hadolint_severity(code: str, level: str) -> str:
    """A per-code override from the map, else hadolint's level mapped (error→high … style→info)."""
    table = severity_map()["hadolint"]
    override = table["checks"].get(code)
    if override:
        return str(override)
    return str(table["levels"].get(level.lower(), normalise_severity(level, table["default"])))
