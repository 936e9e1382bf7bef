"""An API function for the gateway's concurrency tests: a real Powertools resolver, as the services have.

``GET /workflows/<id>`` notes its arrival in AGENTIC_TEST_RENDEZVOUS and waits until AGENTIC_TEST_PARTIES
requests have arrived (so it answers only if that many are served at the same time), then answers with
the id it was asked for, the path of the event Powertools holds as current *after* the wait, and its
process. Two requests inside one process would share ``BaseRouter.current_event``: the later one's path
would show in the earlier one's answer. ``GET /workflows/crash`` ends its process, as a Lambda runtime
that dies does; ``GET /workflows/raise`` raises.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

WAIT_SECONDS = 60.0
app = APIGatewayHttpResolver()


def _rendezvous(name: str) -> bool:
    folder = Path(os.environ["AGENTIC_TEST_RENDEZVOUS"])
    (folder / name).touch()
    parties = int(os.environ["AGENTIC_TEST_PARTIES"])
    give_up = time.monotonic() + WAIT_SECONDS
    while len(list(folder.iterdir())) < parties:
        if time.monotonic() > give_up:
            return False
        time.sleep(0.01)
    return True


@app.get("/workflows/crash")
def crash() -> dict[str, Any]:
    os._exit(3)


@app.get("/workflows/raise")
def fail() -> dict[str, Any]:
    raise RuntimeError("a function that raises")


@app.get("/workflows/<workflow_id>")
def one(workflow_id: str) -> dict[str, Any]:
    met = _rendezvous(workflow_id)
    return {"asked": workflow_id, "path": app.current_event.path, "pid": os.getpid(), "met": met}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
