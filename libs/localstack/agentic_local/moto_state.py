"""The local AWS's state on disk: every moto backend in use, pickled, and put back at the next start.

Why this way (docs/decisions/0011-embedded-default-supervised-and-durable.md): moto 5.2.5 has no
persistence of its own, and the launcher runs moto in our own process, so its backends (DynamoDB tables,
SQS queues with their in-flight and dead-lettered messages and receive counts, the bus and its rules,
S3 objects, secrets) can be written as they are. Reading them back through the AWS APIs instead would
lose what the APIs cannot show (in-flight messages, receive counts).

Locks and conditions inside moto's objects are not picklable; they are written as fresh ones. A state
file names the moto version that wrote it: another version refuses it with a clear message instead of
guessing at its classes.
"""

from __future__ import annotations

import copyreg
import io
import logging
import os
import pickle
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import moto
from moto.backends import get_backend
from moto.core.base_backend import BackendDict

log = logging.getLogger(__name__)

FORMAT = 1
_FRESH: dict[type, Callable[[], Any]] = {
    type(threading.Lock()): threading.Lock,
    type(threading.RLock()): threading.RLock,
    threading.Condition: threading.Condition,
    threading.Event: threading.Event,
}


class StateFileError(RuntimeError):
    """A state file that cannot be used; the message names the file and what to do."""


def _fresh(obj: Any) -> tuple[Callable[[], Any], tuple[()]]:
    return _FRESH[type(obj)], ()


def _dumps(state: Any) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table | {kind: _fresh for kind in _FRESH}
    pickler.dump(state)
    return buffer.getvalue()


def _in_use() -> dict[str, dict[str, dict[str, Any]]]:
    """service → account → region → backend, for every backend a request has created."""
    return {
        backends.service_name: {account: dict(regions) for account, regions in backends.items()}
        for backends in _registry()
        if backends
    }


def _registry() -> list[BackendDict[Any]]:
    """moto's own list of the backends a request has used (what ``moto.core.models.reset`` resets)."""
    instances: list[BackendDict[Any]] = list(getattr(BackendDict, "_instances", []))
    return instances


def snapshot(path: Path, hold: threading.RLock | None = None, attempts: int = 5) -> int:
    """Write every backend in use to ``path`` atomically; returns the size in bytes.

    ``hold`` (the DynamoDB lock) is held while pickling, so no DynamoDB request is half applied in the
    file. Another service changing while it is read makes pickle fail: then it is tried again."""
    for attempt in range(1, attempts + 1):
        try:
            if hold is None:
                data = _dumps({"format": FORMAT, "moto": moto.__version__, "backends": _in_use()})
            else:
                with hold:
                    data = _dumps({"format": FORMAT, "moto": moto.__version__, "backends": _in_use()})
            break
        except RuntimeError as exc:  # "dictionary changed size during iteration"
            if attempt == attempts:
                raise
            log.info("state changed while it was read (%s); reading it again", exc)
    partial = path.with_suffix(".partial")
    partial.touch(mode=0o600)  # it holds the local secrets too: readable by this user only
    partial.chmod(0o600)
    partial.write_bytes(data)
    os.replace(partial, path)
    return len(data)


def restore(path: Path) -> int:
    """Put the backends written in ``path`` back into this process's moto; returns how many."""
    try:
        state = pickle.loads(path.read_bytes())  # noqa: S301 - our own file, see the module docstring
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        raise StateFileError(
            f"cannot read the local AWS state {path}: {exc}. Move the file away to start empty."
        ) from exc
    if not isinstance(state, dict) or state.get("format") != FORMAT or state.get("moto") != moto.__version__:
        found = state.get("moto") if isinstance(state, dict) else "?"
        raise StateFileError(
            f"{path} was written by moto {found}, this is moto {moto.__version__}: move the file away to "
            "start empty (its state cannot be read by another version)"
        )
    restored = 0
    for service, accounts in state["backends"].items():
        live: BackendDict[Any] = get_backend(service)
        for account, regions in accounts.items():
            for region, backend in regions.items():
                dict.__setitem__(live[account], region, backend)
                restored += 1
    return restored
