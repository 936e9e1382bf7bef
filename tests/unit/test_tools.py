"""The tools table and ``make tools``: where binaries are looked for, and what a missing one says."""

from __future__ import annotations

import importlib.util
import stat
from pathlib import Path
from types import ModuleType

import pytest

from tests.tools import POSTGRESQL_BIN, TOOLS, Tool, locate, missing_tools

REPO_ROOT = Path(__file__).resolve().parents[2]
ABSENT = Tool("Frobnicator", ("agentic-no-such-binary",), "frobnicator-2")


def _ensure_tools() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ensure_tools", REPO_ROOT / "scripts" / "ensure_tools.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_missing_tool_says_which_command_installs_it() -> None:
    # Given a tool whose binary is nowhere
    # When the message for the missing binary is built
    message = ABSENT.not_found("agentic-no-such-binary")
    # Then it names make tools and the exact apt-get command
    assert "`make tools`" in message
    assert "apt-get install -y --no-install-recommends frobnicator-2" in message


def test_a_binary_in_the_tools_own_folder_is_found_before_path(tmp_path: Path) -> None:
    # Given an executable in a folder that is not on PATH
    binary = tmp_path / "agentic-no-such-binary"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    tool = Tool("Frobnicator", (binary.name,), "frobnicator-2", folders=(tmp_path,))
    # When it is looked for
    # Then it is found there
    assert tool.find(binary.name) == binary
    assert tool.missing() == []


def test_postgresql_is_looked_for_where_debian_installs_it() -> None:
    # Given the table's PostgreSQL entry
    postgresql = next(tool for tool in TOOLS if "postgres" in tool.binaries)
    # When its folders are read
    # Then Debian 12's folder comes before PATH, and the package is postgresql-15
    assert postgresql.folders == (Path("/usr/lib/postgresql/15/bin"),)
    assert POSTGRESQL_BIN in postgresql.folders
    assert postgresql.package == "postgresql-15"


def test_locating_a_binary_outside_the_table_is_a_programming_error() -> None:
    # Given / When a binary no tool lists is located / Then it is refused
    with pytest.raises(KeyError, match=r"not in tests/tools\.py"):
        locate("agentic-no-such-binary")


def test_every_tool_the_suite_needs_is_on_this_machine() -> None:
    # Given the table of tools (make test runs make tools first, which installs what is missing)
    # When each tool's binaries are looked for
    missing = {tool.name: tool.install_command() for tool in missing_tools()}
    # Then none is missing; a missing one is reported with the command that installs it
    assert missing == {}, f"run `make tools`, or: {missing}"


def test_without_root_a_missing_package_fails_with_the_exact_install_command() -> None:
    # Given make tools run by a user who is not root, with one tool missing
    ensure_tools = _ensure_tools()
    # When it ensures the packages
    with pytest.raises(ensure_tools.InstallError) as raised:
        ensure_tools.ensure_packages(False, [ABSENT])
    # Then it installs nothing and prints the command to run as root
    expected = "apt-get update && apt-get install -y --no-install-recommends frobnicator-2"
    assert expected in str(raised.value)
    assert "Frobnicator (agentic-no-such-binary)" in str(raised.value)


def test_a_tool_without_a_package_is_reported_with_its_instructions_even_as_root() -> None:
    # Given a missing tool the project does not install (Node.js comes with the machine)
    tool = Tool("Widget", ("agentic-no-such-binary",), None, instructions="install Widget from example.test")
    ensure_tools = _ensure_tools()
    # When root ensures the packages
    with pytest.raises(ensure_tools.InstallError, match=r"install Widget from example\.test"):
        ensure_tools.ensure_packages(True, [tool])


def test_nothing_missing_installs_nothing() -> None:
    # Given / When nothing is missing / Then nothing is installed or printed
    assert _ensure_tools().ensure_packages(True, []) == []


def test_uv_is_installed_at_the_version_pyproject_pins() -> None:
    # Given pyproject.toml's dependencies
    pin = _ensure_tools().pinned_uv()
    # When the pin is read / Then it is the one the lock file holds
    assert f'{{ name = "uv", specifier = "=={pin}" }}' in (REPO_ROOT / "uv.lock").read_text()
