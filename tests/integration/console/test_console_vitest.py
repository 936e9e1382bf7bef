"""The console's own unit tests (Vitest: the graph and the chart components) run in the suite."""

from __future__ import annotations

import subprocess

from scripts.build_console import CONSOLE, install
from tests.tools import locate


def test_the_console_component_tests_pass_under_vitest() -> None:
    # Given the console's npm packages from its lock (as `make console` installs them)
    install()
    # When Vitest runs the component tests
    done = subprocess.run(
        [str(locate("npm")), "test", "--silent", "--", "--reporter=verbose"],
        cwd=CONSOLE,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # Then every test passed, the graph's and the chart's among them
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert "WorkflowGraph.test.tsx" in output
    assert "RolloutChart.test.tsx" in output
    assert " failed" not in output.split("Test Files")[-1]
