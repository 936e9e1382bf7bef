"""The xdist groups of `make test` (imported by tests/conftest.py; light, so a test can run it alone)."""

from __future__ import annotations

import pytest

# `make test` runs the suite on pytest-xdist workers (--dist loadgroup). Tests that share one costly
# session thing stay on one worker: the e2e tests share one running stack (tests/e2e/conftest.py), the
# infra tests one synth per environment written under infra/ (two synths at once would share its folders).
# The 24 catalogue combinations (the longest e2e module, mostly waiting on builds) get a stack of their own
# on another worker, so they run beside the other e2e tests instead of after them. The local Go target's
# tests share one fresh Go cache (tests/integration/deployment/test_local_go_target.py): on two workers,
# each compiled the standard library into a cache of its own (82 + 83 s in CI). First prefix wins.
ONE_WORKER_GROUPS = {
    "e2e-combinations": "tests/e2e/test_catalogue_combinations.py",
    "go-target": "tests/integration/deployment/test_local_go_target.py",
    "e2e": "tests/e2e/",
    "infra": "tests/infra/",
}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks (its hook names the group in the node id)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = config.rootpath
    for item in items:
        path = item.path.relative_to(root).as_posix()
        group = next((g for g, prefix in ONE_WORKER_GROUPS.items() if path.startswith(prefix)), None)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
