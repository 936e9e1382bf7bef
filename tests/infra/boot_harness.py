"""Run one deployed entry point in this process, as its runtime would, and report what its bootstrap built.

``python boot_harness.py lambda <event.json> <report.json>``: the Lambda entry shim's ``handler`` (which
reads the function's secrets and calls ``AGENTIC_HANDLER``) with the event; the report holds its result.
``python boot_harness.py worker <package> <report.json>``: the worker's real ``main()``; the report is
written once the bootstrap returns (the worker then polls its queue until SIGTERM).

The report's ``types`` are the classes of our own objects reachable from what the bootstrap built
(closures included), so a test can assert which adapters were chosen. Nothing here changes behaviour.
"""

from __future__ import annotations

import functools
import gc
import importlib
import json
import sys
import types
from pathlib import Path
from typing import Any

LIMIT = 50_000
HOLDERS = (types.MethodType, functools.partial, dict, list, tuple, set, frozenset)


def _ours(obj: object) -> bool:
    return type(obj).__module__.startswith("agentic_")


def _router(obj: object) -> bool:
    """Powertools resolvers hold the API's routes, whose closures hold what the bootstrap passed them."""
    return type(obj).__module__.startswith("aws_lambda_powertools.event_handler")


def reachable_types(roots: list[object]) -> list[str]:
    """Class names (``module.Class``) of our objects reachable from ``roots``."""
    seen: set[int] = set()
    found: set[str] = set()
    pending = list(roots)
    while pending and len(seen) < LIMIT:
        obj = pending.pop()
        if id(obj) in seen or isinstance(obj, (type, types.ModuleType, str, bytes, int, float)):
            continue
        seen.add(id(obj))
        if _ours(obj):
            found.add(f"{type(obj).__module__}.{type(obj).__qualname__}")
            pending.extend(gc.get_referents(obj))
        elif isinstance(obj, types.FunctionType):
            pending.extend(cell.cell_contents for cell in obj.__closure__ or () if _filled(cell))
            pending.extend(obj.__defaults__ or ())
        elif isinstance(obj, HOLDERS) or _router(obj):
            pending.extend(gc.get_referents(obj))
    return sorted(found)


def _filled(cell: types.CellType) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
    except ValueError:
        return False
    return True


def _handler_roots() -> list[object]:
    roots: list[object] = []
    for name, module in list(sys.modules.items()):
        if name.startswith("agentic_") and name.rsplit(".", 1)[-1] in ("handler", "api"):
            for value in vars(module).values():
                if isinstance(value, functools._lru_cache_wrapper) and value.cache_info().currsize:
                    roots.append(value())  # a @cache'd builder: the object it built
                elif _ours(value) or _router(value):
                    roots.append(value)
    return roots


class Context:
    """The parts of the Lambda context object our handlers and Powertools read."""

    function_name = "boot"
    aws_request_id = "boot-request"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:boot"
    memory_limit_in_mb = 2048

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 60_000


def run_lambda(event_file: str, report_file: str) -> None:
    entry = importlib.import_module("agentic_lambda_entry")
    result = entry.handler(json.loads(Path(event_file).read_text()), Context())
    report = {"result": result, "types": reachable_types(_handler_roots())}
    Path(report_file).write_text(json.dumps(report, default=str))


def run_worker(package: str, report_file: str) -> None:
    worker = importlib.import_module(f"{package}.worker")
    real_fail_fast = worker.fail_fast

    def observed(build: Any) -> Any:
        service = real_fail_fast(build)
        Path(report_file).write_text(json.dumps({"types": reachable_types([service])}))
        return service

    worker.fail_fast = observed
    worker.main()


if __name__ == "__main__":
    mode, argument, report = sys.argv[1:4]
    if mode == "lambda":
        run_lambda(argument, report)
    else:
        run_worker(argument, report)
