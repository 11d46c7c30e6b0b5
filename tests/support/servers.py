"""Serving a WSGI app over real HTTP(S) on loopback for the length of a test."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import make_server

from tests.support.net import free_port


@contextmanager
def serve(
    app: Any,
    host: str = "127.0.0.1",
    port: int | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> Iterator[str]:
    """Serve ``app`` in a thread; yields its base URL and shuts it down afterwards."""
    port = port or free_port(host)
    server = make_server(host, port, app, threaded=True, ssl_context=ssl_context)
    thread = threading.Thread(target=server.serve_forever, name=f"serve-{port}", daemon=True)
    thread.start()
    scheme = "https" if ssl_context else "http"
    try:
        yield f"{scheme}://{host}:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
