"""The local AWS: moto's server, DynamoDB requests one at a time, state kept on disk.

``python -m agentic_local.moto_launcher -H 127.0.0.1 -p PORT [--state FILE] [--snapshot-seconds N]``

DynamoDB one request at a time (docs/decisions/0009-crash-recovery.md): moto 5.2.5 serves requests on
many threads, and its ``DynamoDBBackend.transact_write_items`` is not isolated. It deep-copies each table
the transaction touches, applies the items one by one and, when any condition fails, puts the copies
back. Nothing locks the tables meanwhile, so a write that another thread committed between the copy and
the rollback is silently undone. Serialising DynamoDB requests gives every request, transactions
included, the atomicity and isolation DynamoDB has. Other services (SQS, EventBridge, S3, ...) stay
concurrent.

Transactions copy only the items they touch (``agentic_local.moto_transactions``), not whole tables:
moto's copy made each TransactWriteItems as slow as its table was large.

State on disk (docs/decisions/0011-embedded-default-supervised-and-durable.md): with ``--state``, the
file is read back before the first request is served, written every ``--snapshot-seconds`` while
serving (what a ``kill -9`` can lose is at most that much), and written once more on SIGTERM/SIGINT
after the server has stopped taking requests.
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import pickle
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from moto.dynamodb.responses import DynamoHandler
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from agentic_local import moto_state
from agentic_local.moto_transactions import rollback_touched_items_only

log = logging.getLogger("agentic_local.moto")
_DYNAMODB = threading.RLock()
_MARK = "_agentic_serialised"


def serialise_dynamodb() -> None:
    """Make every DynamoDB request (one ``DynamoHandler.call_action``) hold one lock. Idempotent."""
    original = DynamoHandler.call_action
    if getattr(original, _MARK, False):
        return

    @functools.wraps(original)
    def call_action(self: DynamoHandler) -> Any:
        with _DYNAMODB:
            return original(self)

    setattr(call_action, _MARK, True)
    DynamoHandler.call_action = call_action  # type: ignore[method-assign]


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="agentic_local.moto_launcher")
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=4566)
    parser.add_argument("--state", type=Path, default=None, help="where the state is kept between starts")
    parser.add_argument("--snapshot-seconds", type=float, default=5.0, help="how often it is written")
    return parser.parse_args(argv)


def _snapshot(path: Path, why: str) -> None:
    started = time.monotonic()
    try:
        size = moto_state.snapshot(path, hold=_DYNAMODB)
    except (RuntimeError, TypeError, pickle.PicklingError, OSError):  # keep serving; the last file stays
        log.exception("could not write the state to %s (%s); the previous file is kept", path, why)
        return
    log.info("state written to %s (%s, %d bytes, %.2f s)", path, why, size, time.monotonic() - started)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv if argv is not None else sys.argv[1:])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    serialise_dynamodb()
    rollback_touched_items_only()
    if args.state is not None and args.state.exists():
        restored = moto_state.restore(args.state)
        log.info("state read back from %s (%d backends)", args.state, restored)
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    serving = threading.Thread(target=server.serve_forever, name="moto-server", daemon=True)
    serving.start()
    log.info("serving on http://%s:%d", args.host, args.port)
    while not stop.wait(args.snapshot_seconds):
        if args.state is not None:
            _snapshot(args.state, "periodic")
    server.shutdown()
    if args.state is not None:
        _snapshot(args.state, "on stop")
    logging.shutdown()
    # the state is on disk: exit now, without waiting for request threads still parked in long polls
    os._exit(0)


if __name__ == "__main__":
    main()
