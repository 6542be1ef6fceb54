"""What every simulator shares: an HTTP server on a free local port in a thread of its own,
started and stopped by `with`, and a lock for the state its handler and the test both touch."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl


class LocalServer:
    PATH = "/"  # where its API answers

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{self.PATH}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


Planned = dict[str, Any] | str | tuple[int, bytes, dict[str, str]]


class FormServer(LocalServer):
    """A service answering form-encoded POSTs with JSON (TOP's router, 快递100): every call is
    kept in `calls`; `refuse` plans the next answers — a JSON body of its own, "drop" (the
    connection cut, no answer), or (status, raw bytes, headers) for a broken answer — and
    without a plan `answer(form)` speaks."""

    def __init__(self) -> None:
        self.calls: list[dict[str, str]] = []
        self.refuse: list[Planned] = []
        super().__init__()

    def answer(self, form: dict[str, str]) -> dict[str, Any]:
        raise NotImplementedError

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        sim = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(size).decode(), keep_blank_values=True))
                with sim.lock:
                    sim.calls.append(form)
                    planned = sim.refuse.pop(0) if sim.refuse else None
                if planned == "drop":  # the network cut mid-call: no answer at all
                    self.close_connection = True
                    self.connection.close()
                    return
                if isinstance(planned, tuple):
                    status, data, headers = planned
                else:
                    body = planned if isinstance(planned, dict) else sim.answer(form)
                    status, data = 200, json.dumps(body, ensure_ascii=False).encode()
                    headers = {"Content-Type": "application/json;charset=UTF-8"}
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
