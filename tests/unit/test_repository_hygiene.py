"""No tracked file names a path that exists on one machine only, so a clone works in any folder.

What counts as a machine path (an absolute path: one not preceded by a letter, digit, ``.``, ``~``,
``$``, ``}``, ``)``, ``]``, ``/``, ``\\`` or ``-``, so relative, ``~``, ``$HOME`` and URL paths never match):
- a home directory: root's, ``home/<name>`` (Linux), ``Users/<name>`` (macOS), a drive's ``Users`` (Windows);
- a workspace mount of one machine: ``work``, ``workspace``;
- a per-user temporary directory: ``tmp/pytest-of-<name>``, ``var/folders``, ``private/var/folders``;
- a virtual environment reached by an absolute path (a ``.venv`` folder), unless it lives under a
  container location (``app``, ``opt``, ``usr``, ``srv``, ``var``, ``tmp``, ``etc``);
- the absolute path of this checkout itself, wherever it was cloned (when it is at least two levels deep).
In-container and system locations (``/tmp/agentic``, ``/opt/...``, ``/usr/bin/...``, ``/var/task``) are
not machine paths, and neither is ``.venv/bin/uv`` relative to the checkout.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
_START = r"(?<![\w.~$})\]/\\-])"
_NAME = r"[^/\\\s\"'`]+"
_CONTAINER_ROOTS = "app|opt|usr|srv|var|tmp|etc"
_MACHINE_ROOTS = (  # each written without its leading slash, so that this file names none of them
    "root",
    f"home/{_NAME}",
    f"Users/{_NAME}",
    "work",
    "workspace",
    f"tmp/pytest-of-{_NAME}",
    "var/folders",
    "private/var/folders",
)
MACHINE_PATH = re.compile(
    _START
    + "(?:"
    + "|".join(
        (
            "/(?:" + "|".join(_MACHINE_ROOTS) + ")/",
            r"[A-Za-z]:(?:\\\\|\\|/)Users(?:\\\\|\\|/)",
            rf"/(?!(?:{_CONTAINER_ROOTS})/){_NAME}/(?:{_NAME}/)*\.venv/",
        )
    )
    + ")"
)


def machine_paths(line: str, checkout: Path = REPO_ROOT) -> list[str]:
    """The machine paths ``line`` names: matches of the rule above, then this checkout's own location."""
    found = [match.group(0) for match in MACHINE_PATH.finditer(line)]
    own = checkout.as_posix().rstrip("/") + "/"
    if len(checkout.parts) > 2 and own in line:
        found.append(own)
    return found


def _tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, check=False, timeout=60
    )
    assert listed.returncode == 0, f"git ls-files failed in {REPO_ROOT}: {listed.stderr.decode()}"
    return [REPO_ROOT / name for name in listed.stdout.decode().split("\0") if name]


def _text(path: Path) -> str | None:
    """The file's text, or None for a binary file or one deleted in the working tree."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


S, B = "/", "\\"  # examples are spelled f"{S}root/..." so that this file names no machine path itself


@pytest.mark.parametrize(
    "line",
    [
        f'UV = Path("{S}work/main/.venv/bin/uv")',
        f"cache: {S}root/.cache/uv",
        f"export PATH={S}home/alice/bin:$PATH",
        f"open('{S}Users/bob/project/x.json')",
        f"python = r'C:{B}Users{B}carol{B}venv{B}python.exe'",
        f'"{S}tmp/pytest-of-dave/pytest-3/x"',
        f"cd {S}data/checkouts/agentic/.venv/bin",
        f"{S}private/var/folders/xy/T/tmp1",
    ],
)
def test_a_line_naming_a_machine_path_is_caught(line: str) -> None:
    # Given a line that names a path of one particular machine
    # When it is matched against the rule
    # Then the path is reported
    assert machine_paths(line, checkout=Path("/")) != []


@pytest.mark.parametrize(
    "line",
    [
        'ENV AGENTIC_HOME="/tmp/agentic"',
        "COPY --from=build /opt/venv /opt/venv",
        "RUN /usr/bin/env python3 -m pip install /app/.venv/wheels",
        "ln -s ../.venv/bin/python .venv/bin/uv",
        "see https://example.com/root/work/home/x/",
        "cache: ~/.cache/agentic/tools and $HOME/work/x",
        f"{S}var/task/agentic_lambda_entry.py",
    ],
)
def test_an_in_container_system_or_relative_path_is_not_a_machine_path(line: str) -> None:
    # Given a line with container, system, relative or URL paths only
    # When it is matched against the rule
    # Then nothing is reported
    assert machine_paths(line, checkout=Path("/")) == []


def test_the_checkouts_own_location_is_a_machine_path() -> None:
    # Given a checkout cloned into a folder no other rule knows
    checkout = Path("/srv/clones/agentic")
    # When a line names a file by the checkout's absolute path
    # Then that path is reported
    assert machine_paths(f"config = '{checkout}/infra/cdk.json'", checkout=checkout) == [f"{checkout}/"]


def test_no_tracked_file_names_a_machine_path() -> None:
    # Given every file git tracks in this repository
    files = _tracked_files()
    assert files, "git ls-files listed nothing"

    # When each line is matched against the rule
    offenders = [
        f"{path.relative_to(REPO_ROOT)}:{number}: {', '.join(found)}"
        for path in files
        if (text := _text(path)) is not None
        for number, line in enumerate(text.splitlines(), start=1)
        if (found := machine_paths(line))
    ]

    # Then none names a path of one particular machine
    assert offenders == [], "absolute paths of one machine in tracked files:\n" + "\n".join(offenders)
