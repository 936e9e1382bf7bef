"""Execution environments of an API function as Lambda runs them: processes, one request at a time each.

Lambda serves concurrent requests of one function from separate execution environments, each a process
that handles one request at a time. Powertools keeps the request being resolved in class-level state
(``BaseRouter.current_event``), shared by every resolver of a process, so two requests at once in one
process meet (``KeyError: '_route'``, or one request read with another's event). A pool of processes,
started on demand up to a bound, serves concurrent requests the way Lambda does.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import signal
import threading
import uuid
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

log = logging.getLogger(__name__)
Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
STOP_SECONDS = 5.0


class HandlerFailedError(RuntimeError):
    """The function raised (its environment logged the traceback) or its process died."""


class EnvironmentDiedError(HandlerFailedError):
    """The environment's process ended (or its pipe broke): it is never used again."""


class LambdaContext:
    memory_limit_in_mb = 1024

    def __init__(self, service: str) -> None:
        self.function_name = f"{service}-api"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:000000000000:function:{service}-api"
        self.aws_request_id = uuid.uuid4().hex

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def load_handler(ref: str) -> Handler:
    module, _, name = ref.partition(":")
    handler: Handler = getattr(importlib.import_module(module), name)
    return handler


def _environment(ref: str, service: str, conn: Connection) -> None:
    """The child process: import the function once, then answer one event at a time until the pipe closes."""
    from agentic_common.logs import configure_logging  # noqa: PLC0415 - in the child only

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the gateway, which closes the pipe
    configure_logging(f"{service}-api")
    handler = load_handler(ref)
    while True:
        try:
            event = conn.recv()
        except (EOFError, OSError):  # the gateway stopped or died: so does its environment
            return
        try:
            conn.send(("ok", handler(event, LambdaContext(service))))
        except Exception:
            logging.getLogger(__name__).exception("the %s API function failed", service)
            conn.send(("error", None))


class _Instance:
    def __init__(self, ref: str, service: str) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process that runs threads
        self._conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_environment, args=(ref, service, child), name=f"{service}-api", daemon=True
        )
        self.process.start()
        child.close()

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        try:
            self._conn.send(event)
            status, response = self._conn.recv()
        except (EOFError, OSError) as exc:
            raise EnvironmentDiedError(f"its execution environment (pid {self.process.pid}) died") from exc
        if status != "ok":
            raise HandlerFailedError("the function raised; see its log")
        result: dict[str, Any] = response
        return result

    def stop(self) -> None:
        self.ask_to_stop()
        self.wait_stopped()

    def ask_to_stop(self) -> None:
        """Close its pipe: the environment ends once its request in flight, if any, is answered."""
        self._conn.close()

    def wait_stopped(self) -> None:
        self.process.join(STOP_SECONDS)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(STOP_SECONDS)


class InstancePool:
    """Up to ``most`` environments of one function; a request takes an idle one, else starts one (a cold
    start) while under the bound, else waits for one to be free."""

    def __init__(self, ref: str, service: str, most: int) -> None:
        self._ref, self._service, self._most = ref, service, most
        self._free = threading.Condition()
        self._idle: list[_Instance] = []
        self._all: list[_Instance] = []
        self._stopped = False

    @property
    def started(self) -> int:
        with self._free:
            return len(self._all)

    def _take(self) -> _Instance:
        with self._free:
            while not self._idle and len(self._all) >= self._most and not self._stopped:
                self._free.wait()
            if self._stopped:
                raise HandlerFailedError("the gateway is stopping")
            if self._idle:
                return self._idle.pop()
            instance = _Instance(self._ref, self._service)
            self._all.append(instance)
            return instance

    def _give_back(self, instance: _Instance, healthy: bool) -> None:
        with self._free:
            keep = healthy and not self._stopped
            if keep:
                self._idle.append(instance)
            elif instance in self._all:
                self._all.remove(instance)
            self._free.notify()
        if not keep:
            instance.stop()

    def __call__(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        instance = self._take()
        healthy = False
        try:
            response = instance.invoke(event)
            healthy = True
            return response
        except EnvironmentDiedError:
            raise
        except HandlerFailedError:  # the function raised; its environment goes on, as in Lambda
            healthy = True
            raise
        finally:
            self._give_back(instance, healthy)

    def stop(self) -> None:
        with self._free:
            self._stopped = True
            instances, self._all, self._idle = list(self._all), [], []
            self._free.notify_all()
        for instance in instances:  # all asked first, so they end side by side, not one grace period each
            instance.ask_to_stop()
        for instance in instances:
            instance.wait_stopped()
