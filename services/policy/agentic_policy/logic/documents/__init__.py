"""Turn files into the document the Rego bundle reads (``input``); parse errors name file and problem."""

from agentic_policy.logic.documents.errors import UnreadableInputError

__all__ = ["UnreadableInputError"]
