"""Login + launch throughput and latency, in-process and under gunicorn.

Run: .venv/bin/python benchmarks/launch.py [--launches N] [--clients C]

The platform is the tool's own demo platform (real RS256 signatures, JWKS over HTTP). The
benchmark plays the browser: it posts the login initiation, reads state and nonce from the
redirect, has the platform sign an id_token, and posts it to the launch endpoint. Signing is
the platform's work, so it is excluded from the tool's time. The baseline, in the same run, is
a bare RS256 verification of the same tokens with PyJWT.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
from jwt.algorithms import RSAAlgorithm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lti_tool import create_app  # noqa: E402
from lti_tool.demo.platform import (  # noqa: E402
    CLIENT_ID,
    DEPLOYMENT_ID,
    PERSONAS,
    ensure_registered,
    load_demo_platform,
)
from lti_tool.extensions import db  # noqa: E402
from lti_tool.urls import ToolUrls  # noqa: E402
from tests.support.net import free_port, port_open, wait_until  # noqa: E402
from tests.support.servers import serve  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def login_params(issuer: str, base: str, persona: str) -> dict[str, str]:
    return {
        "iss": issuer,
        "login_hint": persona,
        "target_link_uri": f"{base}/lti/launch",
        "client_id": CLIENT_ID,
        "lti_deployment_id": DEPLOYMENT_ID,
    }


def prepare(instance: Path, base: str) -> None:
    """Migrate the database, create keys and register the demo platform for ``base``."""
    from flask_migrate import upgrade

    from lti_tool.services.keys import ensure_signing_key

    app = create_app({"instance_path": instance, "base_url": base, "demo_enabled": True})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        ensure_signing_key(db.session)
        ensure_registered(db.session, load_demo_platform(instance, ToolUrls(base)))
        db.session.commit()
        db.engine.dispose()


class Launcher:
    """One browser doing login + launch against a tool at ``base``."""

    def __init__(self, demo, base: str, post) -> None:
        self.demo, self.base, self.post = demo, base, post

    def launch(self, persona: str) -> tuple[float, str]:
        """Returns (seconds the tool spent, the id_token used)."""
        t0 = time.perf_counter()
        login = self.post("/lti/login", login_params(self.demo.issuer, self.base, persona))
        t1 = time.perf_counter()
        query = parse_qs(urlsplit(login.headers["location"]).query)
        token = self.demo.id_token(PERSONAS[persona], query["nonce"][0], "resource")
        t2 = time.perf_counter()
        launched = self.post("/lti/launch", {"id_token": token, "state": query["state"][0]})
        t3 = time.perf_counter()
        if launched.status_code != 303:
            raise RuntimeError(f"launch failed: {launched.status_code} {launched.text[:300]}")
        return (t1 - t0) + (t3 - t2), token


def bare_verify(demo, tokens: list[str]) -> list[float]:
    public = RSAAlgorithm.from_jwk(json.dumps(demo.jwk()))
    times = []
    for token in tokens:
        t0 = time.perf_counter()
        jwt.decode(
            token, public, algorithms=["RS256"], audience=CLIENT_ID, options={"verify_exp": False}
        )
        times.append(time.perf_counter() - t0)
    return times


def in_process(instance: Path, launches: int) -> dict[str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    prepare(instance, base)
    app = create_app({"instance_path": instance, "base_url": base, "demo_enabled": True})
    demo = load_demo_platform(instance, ToolUrls(base))
    client = app.test_client()
    with serve(app, port=port):  # the JWKS fetch crosses real HTTP
        launcher = Launcher(
            demo, base, lambda path, data: client.post(path, data=data, base_url=base)
        )
        launcher.launch("staff")  # warm-up: key set fetch, caches
        results = [launcher.launch("staff") for _ in range(launches)]
    server = [r[0] for r in results]
    verify = bare_verify(demo, [r[1] for r in results])
    return summarise(server, verify, sum(server))


def under_gunicorn(instance: Path, launches: int, clients: int) -> dict[str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    prepare(instance, base)
    env = os.environ | {
        "SEMH_BASE_URL": base,
        "SEMH_DEMO": "1",
        "SEMH_SECRET_KEY": "bench",
        "DATABASE_URL": f"sqlite:///{instance / 'semh-lti.sqlite3'}",
    }
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        "2",
        "--threads",
        "4",
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        f"lti_tool:create_app({{'instance_path': {str(instance)!r}}})",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    try:
        wait_until(lambda: port_open("127.0.0.1", port), what="gunicorn")
        demo = load_demo_platform(instance, ToolUrls(base))
        local = threading.local()
        opened: list[httpx.Client] = []

        def post(path: str, data: dict[str, str]) -> httpx.Response:
            if not hasattr(local, "client"):
                local.client = httpx.Client(base_url=base, timeout=30)
                opened.append(local.client)
            return local.client.post(path, data=data)

        launcher = Launcher(demo, base, post)
        launcher.launch("staff")
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            results = list(pool.map(lambda _: launcher.launch("staff"), range(launches)))
        wall = time.perf_counter() - started
        for client in opened:
            client.close()  # idle keep-alive connections would hold gunicorn's graceful exit
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    server = [r[0] for r in results]
    verify = bare_verify(demo, [r[1] for r in results])
    return summarise(server, verify, wall)


def summarise(server: list[float], verify: list[float], wall: float) -> dict[str, float]:
    return {
        "launches": len(server),
        "launches_per_s": len(server) / wall,
        "p50_ms": statistics.median(server) * 1000,
        "p95_ms": percentile(server, 0.95) * 1000,
        "bare_verify_p50_ms": statistics.median(verify) * 1000,
        "ratio_to_bare_verify": statistics.median(server) / statistics.median(verify),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.pop("DATABASE_URL", None)
        inproc = in_process(Path(tmp) / "a", args.launches)
        gun = under_gunicorn(Path(tmp) / "b", args.launches, args.clients)
    for name, figures in (
        ("in-process", inproc),
        (f"gunicorn 2 workers, {args.clients} clients", gun),
    ):
        print(f"{name}: " + ", ".join(f"{k}={v:.2f}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
