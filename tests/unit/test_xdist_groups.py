"""`make test` keeps each costly shared thing on one pytest-xdist worker (tests/conftest.py groups).

Run for real: pytest with three xdist workers over a small suite laid out like ours, whose conftest is
our grouping hook (tests/xdist_groups.py, which imports only pytest); the verbose report names the
worker of every test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]

CONFTEST = (
    "from tests.xdist_groups import pytest_collection_modifyitems  # noqa: F401 - the hook under test\n"
)
SLOW_TEST = """import time

import pytest


@pytest.mark.parametrize("case", range(6))
def test_case(case):
    time.sleep(0.1)
"""


def test_the_tests_of_one_group_all_run_on_one_worker(tmp_path: Path) -> None:
    # Given a suite with e2e tests, infra tests and ungrouped tests, grouped by our hook
    for folder in ("tests/e2e", "tests/infra", "tests/other"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / f"test_{Path(folder).name}.py").write_text(SLOW_TEST)
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n")
    env = os.environ | {"PYTHONPATH": str(PROJECT), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    # When pytest runs them on three workers with --dist loadgroup
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "xdist.plugin",  # the only plugin it needs: the others installed here take seconds per worker
        "-n",
        "3",
        "--dist",
        "loadgroup",
        "-v",
        "-p",
        "no:cacheprovider",
        # a temp root of its own: with the shared one, the inner pytest began by clearing the older runs'
        # directories under it (the suite's own, gigabytes in CI: 70-160 s of this test)
        f"--basetemp={tmp_path / 'inner-tmp'}",
    ]
    done = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=900
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    # Then every e2e test ran on one worker, every infra test on one worker, with the group in its id
    ran = re.findall(r"\[(gw\d)\] .*PASSED tests/(\w+)/\S+?(@\w+)?\s*$", done.stdout, re.MULTILINE)
    workers = {folder: {w for w, f, _ in ran if f == folder} for folder in ("e2e", "infra", "other")}
    assert len([r for r in ran if r[1] == "e2e"]) == 6
    assert len(workers["e2e"]) == 1
    assert len(workers["infra"]) == 1
    assert {g for _, f, g in ran if f == "e2e"} == {"@e2e"}
