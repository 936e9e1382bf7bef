"""Before "verified": the service reports its real store, and one record makes the round trip.

- ``/ready`` answers 200 and names the store the service declares (never ``memory`` for a database);
- REST: the probe record is created through the service's own API, read back equal, then deleted;
- event: the probe record is sent through the service's queue (or its EventBridge rule) and the
  service counts one more message ``handled`` on ``/metrics`` (it is handled only once stored).

Any failure is a DeployError that says what was sent and what came back.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

import httpx

from agentic_deployment.adapters.local.service_manifest import ServiceManifest, StoreProbe
from agentic_deployment.adapters.local.stores.aws import ClientFactory
from agentic_deployment.ports import DeployError

HANDLED = re.compile(r'^[a-zA-Z_:][\w:]*\{[^}]*outcome="handled"[^}]*\}\s+(\S+)', re.MULTILINE)
EVENT_SECONDS = 30.0


def _fail(what: str) -> DeployError:
    return DeployError(f"store round trip failed: {what}", retryable=False)


def handled_count(metrics_text: str) -> float:
    return sum(float(value) for value in HANDLED.findall(metrics_text))


class StoreRoundTrip:
    def __init__(self, aws: ClientFactory | None) -> None:
        self._aws = aws

    def verify(self, url: str, manifest: ServiceManifest, env: dict[str, str]) -> str:
        """What was checked, for the deployment's record."""
        with httpx.Client(base_url=url, timeout=10.0, trust_env=False) as http:
            store = self._ready(http, manifest)
            if manifest.probe is None:
                return f"/ready reports {store}"
            if manifest.pattern == "rest":
                return f"/ready reports {store}; {self._rest(http, manifest.probe)}"
            return f"/ready reports {store}; {self._event(http, manifest, manifest.probe, env)}"

    def _ready(self, http: httpx.Client, manifest: ServiceManifest) -> str:
        response = http.get("/ready")
        body = (
            response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        )
        if response.status_code != 200:
            raise _fail(f"GET /ready answered {response.status_code}: {response.text[:300]}")
        store = str(body.get("store") or body.get("database") or "?")  # Go and older Node say "database"
        if manifest.database not in ("none", store):
            raise _fail(f"the service declares {manifest.database} but /ready reports the store {store!r}")
        return f"the store {store}"

    def _rest(self, http: httpx.Client, probe: StoreProbe) -> str:
        created = http.post(probe.path, json=probe.record)
        if created.status_code != 201:
            raise _fail(f"POST {probe.path} answered {created.status_code}: {created.text[:300]}")
        record_id = str(created.json().get("id", ""))
        read = http.get(f"{probe.path}/{record_id}")
        if read.status_code != 200:
            raise _fail(f"GET {probe.path}/{record_id} answered {read.status_code} after a 201")
        got = read.json()
        differs = {key: got.get(key) for key, value in probe.record.items() if got.get(key) != value}
        if differs:
            raise _fail(f"GET {probe.path}/{record_id} read back {differs} instead of what was written")
        http.delete(f"{probe.path}/{record_id}")
        return f"POST {probe.path} then GET {probe.path}/{record_id} read the record back"

    def _event(
        self, http: httpx.Client, manifest: ServiceManifest, probe: StoreProbe, env: dict[str, str]
    ) -> str:
        if self._aws is None or "QUEUE_URL" not in env:
            raise _fail("the service consumes a queue but the local target has no local AWS to send through")
        before = handled_count(http.get("/metrics").text)
        record_id = f"deploy-probe-{uuid.uuid4().hex[:12]}"
        via = self._send(manifest, probe, env["QUEUE_URL"], record_id)
        deadline = time.monotonic() + EVENT_SECONDS
        while handled_count(http.get("/metrics").text) <= before:
            if time.monotonic() > deadline:
                raise _fail(
                    f"sent {probe.event} {record_id} {via}, but the service did not count it handled on "
                    f"/metrics within {EVENT_SECONDS:.0f} s (see its log)"
                )
            time.sleep(0.25)
        return f"{probe.event} {record_id} sent {via} was handled"

    def _send(self, manifest: ServiceManifest, probe: StoreProbe, queue_url: str, record_id: str) -> str:
        assert self._aws is not None
        message: dict[str, Any] = {"id": record_id, "data": probe.record}
        if manifest.event_source == "eventbridge":
            self._aws("events").put_events(
                Entries=[
                    {"Source": "agentic.deploy", "DetailType": probe.event, "Detail": json.dumps(message)}
                ]
            )
            return "through the EventBridge rule"
        self._aws("sqs").send_message(
            QueueUrl=queue_url, MessageBody=json.dumps({"type": probe.event, **message})
        )
        return "through the SQS queue"
