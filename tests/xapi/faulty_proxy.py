"""A loopback HTTP proxy in front of the real LRS that fails on purpose and keeps a ledger.

Faults apply to ``POST …/statements`` requests, in the order they were queued:

* ``fail_next(n, status)``: answer ``status`` without forwarding (an LRS answering 500);
* ``delay_next(n, seconds)``: forward, then hold the answer ``seconds`` (the client times out
  although the LRS has stored the statements);
* ``hold_next()``: forward, then hold the answer until released (to kill a worker while the
  LRS has stored a batch whose answer the worker never reads).

``accepted`` records, in order, every statement id the LRS answered 2xx for, across LRS
restarts; that is how tests count "exactly once" when the in-memory LRS forgets on restart.
Every wait is bounded by ``max_hold`` seconds.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from tests.support.net import free_port

HOST = "127.0.0.1"
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "host",
    "proxy-connection",
    "te",
    "trailer",
    "upgrade",
    "content-encoding",
}


@dataclass
class Fault:
    """One queued fault."""

    kind: str  # "pass", "fail", "delay" or "hold"
    status: int = 500
    seconds: float = 0.0
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


class FaultyProxy:
    """Forwards to ``upstream`` (an origin such as ``http://127.0.0.1:8080``).

    Args:
        upstream: The LRS's origin.
        latency: Seconds added before forwarding each statements POST (to interleave workers).
        max_hold: Upper bound on any delay or hold, so no test can hang on the proxy.
    """

    def __init__(self, upstream: str, *, latency: float = 0.0, max_hold: float = 30.0) -> None:
        self.upstream = upstream.rstrip("/")
        self.latency = latency
        self.max_hold = max_hold
        self.port = free_port(HOST)
        self.accepted: list[str] = []
        self.posts: list[int] = []  # the status the client was sent for each statements POST
        self.connections = 0  # TCP connections clients opened to the proxy
        self.authorizations: set[str] = set()
        self.versions: set[str] = set()
        self._faults: deque[Fault] = deque()
        self._lock = threading.Lock()
        self._http = httpx.Client(timeout=httpx.Timeout(60.0, connect=2.0))
        self._server = ThreadingHTTPServer((HOST, self.port), _handler(self))
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        """The xAPI base URL through the proxy."""
        return f"http://{HOST}:{self.port}/xAPI/"

    def start(self) -> FaultyProxy:
        """Start serving; returns self."""
        self._thread.start()
        return self

    def close(self) -> None:
        """Release every held answer and stop serving."""
        with self._lock:
            for fault in self._faults:
                fault.release.set()
            self._faults.clear()
        self._server.shutdown()
        self._server.server_close()
        self._http.close()

    def pass_next(self, count: int) -> None:
        """Forward the next ``count`` statements POSTs untouched (to place a later fault)."""
        with self._lock:
            self._faults.extend(Fault("pass") for _ in range(count))

    def fail_next(self, count: int, status: int = 500) -> None:
        """Answer the next ``count`` statements POSTs with ``status``, not forwarding them."""
        with self._lock:
            self._faults.extend(Fault("fail", status=status) for _ in range(count))

    def delay_next(self, count: int, seconds: float) -> None:
        """Forward the next ``count`` POSTs but hold their answers ``seconds``."""
        with self._lock:
            self._faults.extend(Fault("delay", seconds=seconds) for _ in range(count))

    def hold_next(self) -> Fault:
        """Forward the next POST and hold its answer until ``fault.release`` is set."""
        fault = Fault("hold")
        with self._lock:
            self._faults.append(fault)
        return fault

    def accepted_counts(self) -> Counter[str]:
        """How many times the LRS accepted each statement id."""
        with self._lock:
            return Counter(self.accepted)

    def _next_fault(self) -> Fault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def _record(self, body: bytes, status: int) -> None:
        if not 200 <= status < 300:
            return
        try:
            ids = json.loads(body)
        except ValueError:
            return
        if isinstance(ids, list):
            with self._lock:
                self.accepted.extend(str(item) for item in ids)


def _handler(proxy: FaultyProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def setup(self) -> None:
            super().setup()
            with proxy._lock:
                proxy.connections += 1

        def do_GET(self) -> None:
            self._forward(b"")

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with proxy._lock:
                proxy.authorizations.add(self.headers.get("Authorization", ""))
                proxy.versions.add(self.headers.get("X-Experience-API-Version", ""))
            if not self.path.split("?")[0].endswith("/statements"):
                self._forward(body)
                return
            if proxy.latency:
                time.sleep(proxy.latency)
            fault = proxy._next_fault()
            if fault is not None and fault.kind == "fail":
                self._reply(fault.status, b'{"message":"injected fault"}', {})
                status = fault.status
            else:
                status = self._forward(body, hold=fault if fault and fault.kind != "pass" else None)
            with proxy._lock:
                proxy.posts.append(status)

        def _forward(self, body: bytes, hold: Fault | None = None) -> int:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            try:
                upstream = proxy._http.request(
                    self.command, proxy.upstream + self.path, headers=headers, content=body or None
                )
            except httpx.TransportError as exc:
                self._reply(502, json.dumps({"message": f"LRS unreachable: {exc}"}).encode(), {})
                return 502
            if self.command == "POST":
                proxy._record(upstream.content, upstream.status_code)
            if hold is not None:
                hold.held.set()
                wait = hold.seconds if hold.kind == "delay" else proxy.max_hold
                hold.release.wait(min(wait, proxy.max_hold))
            self._reply(
                upstream.status_code,
                upstream.content,
                {k: v for k, v in upstream.headers.items() if k.lower() not in _HOP_BY_HOP},
            )
            return upstream.status_code

        def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "content-type" not in {k.lower() for k in headers}:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up waiting (a timeout test) or was killed

    return Handler
