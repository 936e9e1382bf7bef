"""Generate the JSON Schemas of every event detail into docs/events/ (`make schemas`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from agentic_common.events.registry import EVENT_MODELS


def render_all() -> dict[str, str]:
    """File name → JSON Schema text, one per detail-type."""
    files = {}
    for detail_type, model in sorted(EVENT_MODELS.items()):
        schema = model.model_json_schema(mode="serialization")
        schema["$id"] = f"https://agentic.dev/events/{detail_type}.json"
        schema["x-detail-type"] = detail_type
        schema["x-source"] = f"agentic.{model.SOURCE_SERVICE}"
        files[f"{detail_type}.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return files


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/events")
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob("*.json"):
        stale.unlink()
    for name, text in render_all().items():
        (target / name).write_text(text)
    print(f"wrote {len(EVENT_MODELS)} event schemas to {target}/")


if __name__ == "__main__":
    main()
