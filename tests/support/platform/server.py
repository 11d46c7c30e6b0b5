"""Run a WSGI app on loopback in a thread, and stop it with nothing left behind."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from types import TracebackType
from typing import Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from tests.support.net import port_open, wait_until


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """No access log: pytest output stays readable (errors are still logged)."""


class _TrackedServer(ThreadedWSGIServer):
    """Werkzeug's threaded server that can close keep-alive connections and join its threads."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            open_now = list(self._connections)
        for conn in open_now:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class LoopbackServer:
    """``app`` served on ``host`` (a loopback address) at a free port, HTTP or HTTPS.

    The port is bound when the object is made (port 0: the kernel picks a free one, so there
    is no race), so :attr:`url` is known before :meth:`start`.
    """

    def __init__(
        self,
        app: Any,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._server = _TrackedServer(
            host, port, app, handler=_QuietHandler, ssl_context=ssl_context
        )
        self.host = host
        self.port = int(self._server.server_address[1])
        scheme = "https" if ssl_context is not None else "http"
        self.url = f"{scheme}://{host}:{self.port}"
        self._thread: threading.Thread | None = None

    def start(self) -> LoopbackServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"loopback-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        wait_until(lambda: port_open(self.host, self.port), timeout=10, what=self.url)
        return self

    def stop(self) -> None:
        """Stop accepting, close open connections, and join every thread."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._server.close_connections()
        self._server.server_close()  # joins the request threads

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
