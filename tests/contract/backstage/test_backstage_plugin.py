"""The Backstage plugin (plugins/agentic-workflow): its Jest tests and its build, with Backstage's own CLI.

``make tools`` installs its npm packages from its lock (``npm ci --prefer-offline``, stamped: a second run
does nothing); without node/npm the fixture fails naming the install, never skips.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.tools import NODE_PROJECTS, ensure_node_packages, locate

pytestmark = pytest.mark.slow
PLUGIN = next(p for p in NODE_PROJECTS if p.name == "agentic-workflow")
CONSOLE_COMPONENTS = PLUGIN.parents[1] / "console" / "src" / "components"
TIMEOUT_S = 900  # a cold Jest + TypeScript run on a shared two-core machine


@pytest.fixture(scope="module")
def plugin() -> Path:
    ensure_node_packages(PLUGIN)  # what `make tools` does; nothing when the lock is installed
    return PLUGIN


def _npm(folder: Path, script: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "true", "FORCE_COLOR": "0", "NO_COLOR": "1"}
    command = [str(locate("npm")), "run", script, "--silent"]
    return subprocess.run(
        command, cwd=folder, env=env, capture_output=True, text=True, check=False, timeout=TIMEOUT_S
    )


def test_the_plugin_tests_pass_under_backstage_cli_package_test(plugin):
    # When the plugin's own tests run (backstage-cli package test: Jest, renderInTestApp, a loopback server)
    done = _npm(plugin, "test")
    output = done.stdout + done.stderr
    # Then every suite passed, and the entity tab, the page and the client were among them
    assert done.returncode == 0, output[-4000:]
    totals = re.search(r"Tests:\s+(\d+) passed, (\d+) total", output)
    assert totals is not None, output[-4000:]
    assert totals.group(1) == totals.group(2)
    for suite in ("EntityAgenticWorkflowContent.test.tsx", "AgenticWorkflowPage.test.tsx", "api.test.ts"):
        assert re.search(rf"PASS src/\S*{re.escape(suite)}", output), suite


def test_the_plugin_builds_with_backstage_cli_and_exports_the_tab_and_the_page(plugin):
    # When the plugin is built (tsc declarations, then backstage-cli package build)
    done = _npm(plugin, "build")
    # Then the package's entry points and types exist, exporting the entity tab and the page
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    types = (plugin / "dist" / "index.d.ts").read_text()
    for name in ("EntityAgenticWorkflowContent", "AgenticWorkflowPage", "agenticWorkflowPlugin"):
        assert re.search(rf"\b{name}\b", types), name
    assert (plugin / "dist" / "index.esm.js").is_file()
    # And the components it draws with are built from the console's own sources, not copies
    bundled = plugin / "dist" / "console" / "src" / "components"
    for component in ("WorkflowList", "WorkflowGraph", "DoraTrends"):
        assert (CONSOLE_COMPONENTS / f"{component}.tsx").is_file()
        assert (bundled / f"{component}.esm.js").is_file()
    assert not list((plugin / "src").rglob("WorkflowList*"))
