"""Real store servers for the generated services' adapter and run tests, one of each per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.local_servers import postgres_server, redis_server


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url
