"""Ranker backed by Claude (one forced tool call through ``agentic_common.claude``). It sees the
trigger's facts and the allowed playbooks with their parameter schemas; it holds no credentials and
chooses no tier. Its answer is validated by ``logic.ranking`` against the allow-list before anything uses it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from agentic_common.claude import ClaudeTool, ModelAnswerError, ModelUnavailableError

from agentic_remediation.logic.facts import Facts
from agentic_remediation.logic.playbook_models import Playbook
from agentic_remediation.ports import Choice, RankingError

TOOL_NAME = "rank_playbooks"
SYSTEM = (
    "You are the remediation ranker of a platform. Given an incident's facts and the playbooks the "
    "platform allows for it, call rank_playbooks once, best first, with parameter values inside each "
    "playbook's parameter schema and a one-sentence reason each. Use only the playbooks given. You do "
    "not decide whether an action runs automatically; policy does."
)


def _tool(playbooks: Sequence[Playbook]) -> dict[str, Any]:
    return {
        "name": TOOL_NAME,
        "description": "Rank the allowed remediation playbooks for this incident, best first.",
        "input_schema": {
            "type": "object",
            "required": ["ranking"],
            "properties": {
                "ranking": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["playbook", "reason"],
                        "properties": {
                            "playbook": {"type": "string", "enum": [p.id for p in playbooks]},
                            "parameters": {"type": "object"},
                            "reason": {"type": "string"},
                        },
                    },
                }
            },
        },
    }


def _catalogue(playbooks: Sequence[Playbook]) -> str:
    return json.dumps(
        [
            {
                "id": p.id,
                "description": p.description,
                "blast_radius": p.blast_radius,
                "actions": [a.action for a in p.actions],
                "parameters": p.parameters_schema(),
                "defaults": p.defaults(),
            }
            for p in playbooks
        ],
        indent=1,
        sort_keys=True,
    )


def _choices(answer: Any) -> list[Choice]:
    if not isinstance(answer, dict) or not isinstance(answer.get("ranking"), list):
        raise RankingError("the model's answer has no ranking list")
    choices = []
    for item in answer["ranking"]:
        if not isinstance(item, dict) or not isinstance(item.get("playbook"), str):
            raise RankingError("a ranking item has no playbook id")
        parameters = item.get("parameters") or {}
        if not isinstance(parameters, dict):
            raise RankingError(f"parameters of {item['playbook']} are not an object")
        choices.append(Choice(item["playbook"], parameters, str(item.get("reason", ""))[:500]))
    return choices


class ClaudeRanker:
    def __init__(self, api_key: str, model: str, base_url: str | None = None, timeout: float = 20.0) -> None:
        self._claude = ClaudeTool(api_key, model, base_url=base_url, timeout=timeout, max_retries=1)
        self.name = f"claude:{model}"

    def rank(self, playbooks: Sequence[Playbook], facts: Facts) -> list[Choice]:
        prompt = (
            f"Incident facts:\n{json.dumps(facts, sort_keys=True, default=str)}\n\n"
            f"Allowed playbooks:\n{_catalogue(playbooks)}"
        )
        try:
            call = self._claude.call(system=SYSTEM, tool=_tool(playbooks), prompt=prompt, max_tokens=1024)
        except ModelAnswerError as exc:
            raise RankingError(str(exc)) from None
        except ModelUnavailableError as exc:
            raise RankingError(f"Claude API error: {exc}") from None
        return _choices(call.input)
