"""Learning Locker's statements service (npm ``xapi-statements`` 5.0.1) as a loopback LRS.

Shared by the test fixtures and ``benchmarks/xapi_delivery.py``. It imports nothing from
``xapi`` so it can serve as an independent peer. Storage is in memory: a restart forgets every
statement, which the fault tests account for by counting through a recording proxy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from tests.support.net import free_port, port_open, wait_until

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SERVER_JS = PROJECT_ROOT / "node_modules" / "xapi-statements" / "dist" / "server.js"
HOST = "127.0.0.1"
AUTH = ("semh-test", "semh-test-password")  # the test auth repo accepts any basic credentials
HEADERS = {"X-Experience-API-Version": "1.0.3"}


def unavailable_reason() -> str | None:
    """Why the real LRS cannot be started here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed, so Learning Locker's xapi-statements LRS cannot run"
    if not SERVER_JS.is_file():
        return f"{SERVER_JS} is missing: run `npm install` in {PROJECT_ROOT}"
    return None


class LearningLockerLRS:
    """One ``xapi-statements`` server process on a fixed loopback port.

    Args:
        port: The port to listen on; a free one when omitted. Kept across restarts.
        workdir: Where the server's storage and access logs go; a temporary directory
            when omitted.
    """

    def __init__(self, port: int | None = None, workdir: Path | None = None) -> None:
        self.port = port or free_port(HOST)
        self._own_workdir = workdir is None
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="xapi-lrs-"))
        self.log_path = self.workdir / "server.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{HOST}:{self.port}"

    @property
    def endpoint(self) -> str:
        """The xAPI base URL, with its trailing slash."""
        return f"{self.origin}/xAPI/"

    @property
    def running(self) -> bool:
        """True while the server process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 60.0) -> None:
        """Start the server and wait until ``GET /xAPI/about`` answers."""
        if self.running:
            return
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.workdir),
            "MODELS_REPO": "memory",
            "STORAGE_REPO": "local",
            "AUTH_REPO": "test",
            "EVENTS_REPO": "test",
            "EXPRESS_PORT": str(self.port),
            "FS_LOCAL_STORAGE_DIR": str(self.workdir / "storage"),
            "EXPRESS_MORGAN_DIRECTORY": str(self.workdir / "access-logs"),
            "WINSTON_CONSOLE_LEVEL": "warning",
        }
        log = self.log_path.open("ab")
        try:
            self._process = subprocess.Popen(
                ["node", str(SERVER_JS)],
                cwd=self.workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        try:
            wait_until(self._answers, timeout=timeout, what=f"xapi-statements LRS on {self.port}")
        except (TimeoutError, RuntimeError):
            self.stop()
            raise TimeoutError(f"the LRS did not start; its log says:\n{self.log_tail()}") from None

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and wait until its port is closed."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout)
        wait_until(
            lambda: not port_open(HOST, self.port),
            timeout=timeout,
            what=f"port {self.port} to close",
        )

    def restart(self) -> None:
        """Stop and start again on the same port; memory storage starts empty."""
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop the server and remove a temporary work directory."""
        self.stop()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> LearningLockerLRS:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server's output, for failure messages."""
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def statements(self, **params: str) -> Iterator[dict[str, Any]]:
        """Yield every stored statement matching the xAPI query ``params``, following ``more``."""
        with httpx.Client(auth=AUTH, headers=HEADERS, timeout=30) as client:
            url: str | None = f"{self.endpoint}statements"
            query: dict[str, str] | None = {"limit": "500", **params}
            for _ in range(10_000):
                if url is None:
                    return
                response = client.get(url, params=query)
                response.raise_for_status()
                page = response.json()
                yield from page["statements"]
                more = page.get("more")
                url, query = (f"{self.origin}{more}" if more else None), None
            raise RuntimeError("more than 10,000 pages of statements")

    def stored(self, statement_id: str) -> dict[str, Any] | None:
        """The statement stored under ``statement_id``, or None."""
        response = httpx.get(
            f"{self.endpoint}statements",
            params={"statementId": statement_id},
            auth=AUTH,
            headers=HEADERS,
            timeout=30,
        )
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return dict(response.json())

    def statement_ids(self, **params: str) -> list[str]:
        """Ids of every stored statement matching ``params``, duplicates kept."""
        return [statement["id"] for statement in self.statements(**params)]

    def _answers(self) -> bool:
        if self._process is None or self._process.poll() is not None:
            # Not an OSError, which wait_until would swallow and keep polling.
            raise RuntimeError(f"the LRS exited; its log says:\n{self.log_tail()}")
        try:
            response = httpx.get(f"{self.endpoint}about", timeout=1.0)
        except httpx.TransportError:
            return False
        return response.status_code == 200
