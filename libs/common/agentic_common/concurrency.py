"""Several batches of one queue in flight at once: a bounded pool, lanes that serialize by key.

``BoundedRunner`` receives a batch only when one of its ``concurrency`` slots is free (so no message
waits in this process while its visibility runs out), runs each batch on its own thread and, once
``stop`` is set, receives nothing more and waits for the batches in flight (a clean drain).
``warm_first`` runs the first batch alone, as a cold start: what a handler builds once per process
is built by one thread. ``Lanes`` lets batches of different keys (e.g. services) run side by side
while two batches of one key never overlap.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from typing import Any, Protocol

log = logging.getLogger(__name__)

Messages = list[dict[str, Any]]


class Receiver(Protocol):
    @property
    def queue_name(self) -> str: ...

    def receive(self) -> Messages: ...


class Lanes:
    """One holder at a time per key; different keys never wait for each other."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def _lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    @contextmanager
    def hold(self, keys: Iterable[str | None]) -> Iterator[None]:
        """Hold every named lane (in sorted order, so two holders never deadlock); None is no lane."""
        with ExitStack() as stack:
            for key in sorted({k for k in keys if k is not None}):
                stack.enter_context(self._lock(key))
            yield


class BoundedRunner:
    def __init__(
        self,
        receiver: Receiver,
        run_batch: Callable[[Messages], None],
        *,
        concurrency: int,
        warm_first: bool = False,
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {concurrency}")
        self._receiver = receiver
        self._run_batch = run_batch
        self._concurrency = concurrency
        self._slots = threading.Semaphore(1 if warm_first and concurrency > 1 else concurrency)
        self._cold = warm_first and concurrency > 1

    def run(self, stop: threading.Event) -> None:
        name = f"batch-{self._receiver.queue_name}"
        with ThreadPoolExecutor(max_workers=self._concurrency, thread_name_prefix=name) as pool:
            while not stop.is_set():
                if not self._slots.acquire(timeout=0.5):
                    continue
                try:
                    messages = self._receiver.receive()
                except Exception:  # SQS unreachable must not kill the loop
                    log.exception("could not receive from %s", self._receiver.queue_name)
                    self._slots.release()
                    stop.wait(1)
                    continue
                if not messages:
                    self._slots.release()
                    continue
                pool.submit(self._one, messages)
            log.info("stopping: waiting for the batches in flight on %s", self._receiver.queue_name)

    def _one(self, messages: Messages) -> None:
        try:
            self._run_batch(messages)
        except Exception:  # run_batch handles its own failures; this keeps the slot from leaking
            log.exception("a batch on %s failed outside its handler", self._receiver.queue_name)
        finally:
            if self._cold:  # the first batch is done: the others may now start side by side
                self._cold = False
                for _ in range(self._concurrency - 1):
                    self._slots.release()
            self._slots.release()
