"""A local Anthropic Messages API that can hold its answers: it keeps codegen busy mid-task on demand.

While ``hold()`` is in force every request waits (as a slow or hung model would) until ``release()``;
each request's arrival is reported first, so a test knows the agent is inside its task. Answers are
a valid ``propose_resources`` tool call.
"""

from __future__ import annotations

import json
import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PROPOSAL = {"resources": [{"name": "customer", "fields": [{"name": "email", "type": "string"}]}]}
HOLD_AT_MOST_SECONDS = 300


def _answer() -> bytes:
    return json.dumps(
        {
            "id": "msg_local",
            "type": "message",
            "role": "assistant",
            "model": "claude-sonnet-5-5",
            "content": [
                {"type": "tool_use", "id": "toolu_local", "name": "propose_resources", "input": PROPOSAL}
            ],
            "stop_reason": "tool_use",
            "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 10},
        }
    ).encode()


class SlowModel:
    def __init__(self) -> None:
        self.arrivals: queue.Queue[dict[str, Any]] = queue.Queue()
        self._answer_now = threading.Event()
        self._answer_now.set()
        model = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                model.arrivals.put(body)
                model._answer_now.wait(HOLD_AT_MOST_SECONDS)
                data = _answer()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the caller was killed while it waited: nobody to answer
                    pass

            def log_message(self, *_: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> SlowModel:
        self._thread.start()
        return self

    def hold(self) -> None:
        self._answer_now.clear()

    def release(self) -> None:
        self._answer_now.set()

    def wait_for_request(self, timeout: float) -> dict[str, Any]:
        return self.arrivals.get(timeout=timeout)

    def stop(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()
