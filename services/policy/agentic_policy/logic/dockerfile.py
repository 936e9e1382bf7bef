"""A small Dockerfile parser: logical lines (continuations, comments, heredocs), stages and global ARGs.

It understands what the rules need and no more: instructions with the line they start on, the
``escape`` parser directive, ``FROM [--flags] image [AS name]`` stages, and substitution of global
``ARG`` defaults (``$NAME``, ``${NAME}``, ``${NAME:-word}``) in ``FROM`` images.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

_DIRECTIVE = re.compile(r"^#\s*([A-Za-z]+)\s*=\s*(\S+)\s*$")
_HEREDOC = re.compile(r"<<-?([\"']?)([A-Za-z_][A-Za-z0-9_]*)\1")
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str
    line: int


@dataclass(frozen=True)
class Stage:
    image: str
    name: str | None
    line: int
    instructions: tuple[Instruction, ...]


@dataclass(frozen=True)
class Dockerfile:
    stages: tuple[Stage, ...]

    @property
    def final_stage(self) -> Stage | None:
        return self.stages[-1] if self.stages else None

    def parent(self, stage: Stage) -> Stage | None:
        """The earlier stage ``stage`` is built FROM, if its image names one (``FROM builder``)."""
        earlier = self.stages[: self.stages.index(stage)]
        return next((s for s in reversed(earlier) if s.name and s.name == stage.image.lower()), None)

    def effective(self, stage: Stage, keyword: str) -> Instruction | None:
        """The last ``keyword`` instruction in force in ``stage``, inherited from parent stages."""
        own = [i for i in stage.instructions if i.keyword == keyword]
        if own:
            return own[-1]
        parent = self.parent(stage)
        return self.effective(parent, keyword) if parent else None


def parse_dockerfile(text: str) -> Dockerfile:
    lines = text.splitlines()
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    current: list[Instruction] = []
    for instruction in _instructions(lines, _escape_char(lines)):
        if instruction.keyword == "FROM":
            if stages:
                stages[-1] = _with_instructions(stages[-1], current)
            stages.append(_stage(instruction, global_args))
            current = []
        elif not stages and instruction.keyword == "ARG":
            global_args.update(_arg_defaults(instruction.args))
        elif stages:
            current.append(instruction)
    if stages:
        stages[-1] = _with_instructions(stages[-1], current)
    return Dockerfile(stages=tuple(stages))


def _escape_char(lines: list[str]) -> str:
    for line in lines:
        match = _DIRECTIVE.match(line.strip())
        if not match:
            break
        if match.group(1).lower() == "escape":
            return match.group(2)
    return "\\"


def _instructions(lines: list[str], escape: str) -> Iterator[Instruction]:
    buffer: list[str] = []
    start = 0
    heredoc_end: str | None = None
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if heredoc_end is not None:
            heredoc_end = None if stripped == heredoc_end else heredoc_end
            continue
        if not stripped or stripped.startswith("#"):
            continue  # comments and blank lines, also inside a continuation, are not part of any instruction
        start = start if buffer else number
        content = raw.rstrip()
        if content.endswith(escape):
            buffer.append(content[: -len(escape)].strip())
            continue
        buffer.append(content.strip())
        instruction = _instruction(" ".join(buffer), start)
        buffer = []
        heredoc = _HEREDOC.search(instruction.args)
        heredoc_end = heredoc.group(2) if heredoc else None
        yield instruction
    if buffer:
        yield _instruction(" ".join(buffer), start)


def _instruction(logical: str, line: int) -> Instruction:
    keyword, _, args = logical.partition(" ")
    return Instruction(keyword=keyword.upper(), args=args.strip(), line=line)


def _stage(instruction: Instruction, global_args: dict[str, str]) -> Stage:
    tokens = [token for token in instruction.args.split() if not token.startswith("--")]
    image = substitute(tokens[0], global_args) if tokens else ""
    name = tokens[2].lower() if len(tokens) >= 3 and tokens[1].lower() == "as" else None
    return Stage(image=image, name=name, line=instruction.line, instructions=())


def _with_instructions(stage: Stage, instructions: list[Instruction]) -> Stage:
    return Stage(image=stage.image, name=stage.name, line=stage.line, instructions=tuple(instructions))


def _arg_defaults(args: str) -> dict[str, str]:
    try:
        tokens = shlex.split(args)
    except ValueError:
        tokens = args.split()
    return dict(token.split("=", 1) for token in tokens if "=" in token)


def substitute(value: str, variables: dict[str, str]) -> str:
    """Replace ``$NAME`` / ``${NAME}`` / ``${NAME:-word}``; unknown names are left as written."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        if variables.get(name):
            return variables[name]
        default = match.group(2)
        return default if default is not None else match.group(0)

    return _VARIABLE.sub(replace, value)
