"""A throw-away certificate authority for HTTPS tests on both loopback addresses."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

import trustme


@dataclass(frozen=True)
class TestTLS:
    """Contexts for servers and clients, and the CA file for libraries that want a path."""

    __test__ = False

    server: ssl.SSLContext
    client: ssl.SSLContext
    ca_file: str


def make_test_tls(directory: Path, *hosts: str) -> TestTLS:
    """Issue one certificate covering ``hosts`` (default 127.0.0.1 and 127.0.0.2)."""
    ca = trustme.CA()
    cert = ca.issue_cert(*(hosts or ("127.0.0.1", "127.0.0.2")))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(server)
    client = ssl.create_default_context()
    ca.configure_trust(client)
    ca_file = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return TestTLS(server=server, client=client, ca_file=str(ca_file))
