"""boto3 clients built once per process, honouring ``AWS_ENDPOINT_URL`` (moto locally)."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from agentic_common.settings import CommonSettings

_CONFIG = Config(retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=30)


class AwsClients:
    def __init__(self, settings: CommonSettings) -> None:
        self._session = boto3.session.Session(region_name=settings.aws_region)
        self._endpoint = settings.aws_endpoint_url
        self._cache: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._cache:
            self._cache[service] = self._session.client(
                service, endpoint_url=self._endpoint, config=_CONFIG  # type: ignore[call-overload]
            )
        return self._cache[service]
