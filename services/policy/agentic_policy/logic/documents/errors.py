"""The one error every parser raises: which file (or request field) and what is wrong with it."""

from __future__ import annotations


class UnreadableInputError(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
