"""Dependency rules: every requirement in ``requirements*.txt`` is pinned to one version with ``==``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from fnmatch import fnmatch

from agentic_policy.logic.repo import Repo
from agentic_policy.logic.rules.base import Finding, Rule

_COMMENT = re.compile(r"(^|\s)#.*$")
_REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://|^git\+", re.IGNORECASE)


def is_requirements_file(name: str) -> bool:
    return fnmatch(name.lower(), "requirements*.txt")


def requirement_lines(text: str) -> Iterator[tuple[int, str]]:
    """Logical requirement lines (continuations joined, comments and blank lines dropped), with the
    line each starts on. Option lines (``-r``, ``-c``, ``--index-url``, ``-e`` ...) are skipped."""
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw).rstrip()
        start = start if buffer else number
        if line.endswith("\\"):
            buffer.append(line[:-1].strip())
            continue
        logical = " ".join([*buffer, line.strip()]).strip()
        buffer = []
        if logical and not logical.startswith("-"):
            yield start, logical


def pin_problem(requirement: str) -> str | None:
    """Why a requirement line is not pinned with ``==``, or None when it is."""
    spec = re.split(r"\s--", requirement.split(";", 1)[0], maxsplit=1)[0].strip()
    match = _REQUIREMENT.match(spec)
    if match is None or _URL.match(spec):
        return "a requirement that is not a package name is not pinned with =="
    name, _extras, specifier = match.groups()
    if specifier.startswith("@") or "://" in specifier:
        return f"requirement {name!r} is a direct URL reference, not a version pinned with =="
    clauses = [clause.strip() for clause in specifier.split(",")]
    if any(clause.startswith("==") and "*" not in clause for clause in clauses):
        return None
    found = specifier or "no version constraint"
    return f"requirement {name!r} is not pinned with == (found {found!r})"


def _unpinned_requirements(repo: Repo) -> Iterator[Finding]:
    for path in repo.paths(is_requirements_file):
        for line, requirement in requirement_lines(repo.text(path)):
            problem = pin_problem(requirement)
            if problem:
                yield Finding(problem, path, line)


REQUIREMENTS_PINNED = Rule(
    id="DEPS-001",
    name="requirements-pinned",
    severity="medium",
    category="supply-chain",
    description="Every requirement in requirements*.txt is pinned to one version with ==.",
    remediation="pin each requirement to the version you tested, e.g. 'fastapi==0.115.6' (see pip freeze)",
    check=_unpinned_requirements,
)

RULES = (REQUIREMENTS_PINNED,)
