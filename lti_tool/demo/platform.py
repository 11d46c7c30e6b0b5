"""The demo platform's identity: its key, registration and people."""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK
from sqlalchemy.orm import Session

from lti_tool.services import platforms
from lti_tool.urls import ToolUrls

CLIENT_ID = "semh-demo"
DEPLOYMENT_ID = "demo-1"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTITUTION = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"


@dataclass(frozen=True)
class Persona:
    """Someone you can launch as in the demo."""

    key: str
    name: str
    role_label: str
    audience_label: str
    roles: tuple[str, ...]


PERSONAS = {
    p.key: p
    for p in (
        Persona("staff", "Sam Patel", "Teaching assistant", "staff", (MEMBERSHIP + "Learner",)),
        Persona(
            "lead",
            "Terry Jones",
            "Class teacher and training lead",
            "training lead",
            (MEMBERSHIP + "Instructor",),
        ),
        Persona(
            "admin",
            "Alex Morgan",
            "Trust learning and development manager",
            "L&D administrator",
            (MEMBERSHIP + "Instructor", INSTITUTION + "Administrator"),
        ),
    )
}


@dataclass(frozen=True)
class DemoPlatform:
    """URLs and signing key of the demo platform served by this same app."""

    urls: ToolUrls
    private_pem: str

    @property
    def issuer(self) -> str:
        """The demo platform's issuer."""
        return f"{self.urls.base}/demo"

    @property
    def auth_url(self) -> str:
        """Its OIDC authorization endpoint."""
        return f"{self.issuer}/auth"

    @property
    def jwks_url(self) -> str:
        """Its public key set."""
        return f"{self.issuer}/jwks"

    def jwk(self) -> dict[str, Any]:
        """Its public key as a JWK with a key id."""
        return _public_jwk(self.private_pem)

    def sign(self, claims: dict[str, Any]) -> str:
        """An RS256 id_token carrying ``claims``."""
        key = _private_key(self.private_pem)
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.jwk()["kid"]})

    def id_token(self, persona: Persona, nonce: str, message: str) -> str:
        """A launch for ``persona`` into the demo course."""
        now = int(time.time())
        given, _, family = persona.name.partition(" ")
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": f"demo-{persona.key}",
            "iat": now,
            "exp": now + 60,
            "nonce": nonce,
            "name": persona.name,
            "given_name": given,
            "family_name": family,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": DEPLOYMENT_ID,
            LTI + "roles": list(persona.roles),
            LTI + "context": {
                "id": "demo-course",
                "label": "SEMH-DEMO",
                "title": "Demo school — staff development",
                "type": ["CourseSection"],
            },
            LTI + "launch_presentation": {"document_target": "iframe", "locale": "en"},
        }
        if message == "deep-link":
            claims[LTI + "message_type"] = "LtiDeepLinkingRequest"
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": f"{self.issuer}/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": False,
            }
        else:
            claims[LTI + "message_type"] = "LtiResourceLinkRequest"
            claims[LTI + "target_link_uri"] = self.urls.launch
            claims[LTI + "resource_link"] = {"id": "demo-activity", "title": "SEMH self-assessment"}
            claims[LTI + "custom"] = {"framework": "primary"}
        return self.sign(claims)


@functools.lru_cache(maxsize=4)
def _private_key(pem: str) -> rsa.RSAPrivateKey:
    # Parsing a PEM key costs tens of milliseconds (OpenSSL checks it); do it once.
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("the demo platform key must be RSA")
    return key


@functools.lru_cache(maxsize=4)
def _public_jwk(pem: str) -> dict[str, Any]:
    key = JWK.from_pem(pem.encode())
    public = json.loads(key.export_public())
    return public | {"kid": key.thumbprint(), "alg": "RS256", "use": "sig"}


def load_demo_platform(instance_path: Path, urls: ToolUrls) -> DemoPlatform:
    """The demo platform, with a key kept in the instance folder (created on first use)."""
    key_path = instance_path / "demo_platform_key.pem"
    if not key_path.exists():
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        instance_path.mkdir(parents=True, exist_ok=True)
        key_path.write_bytes(
            private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        key_path.chmod(0o600)
    return DemoPlatform(urls=urls, private_pem=key_path.read_text())


def ensure_registered(session: Session, demo: DemoPlatform) -> None:
    """Register the demo platform with the tool, once per base URL."""
    if platforms.find_platform(session, demo.issuer, CLIENT_ID) is None:
        platforms.add_platform(
            session,
            platforms.PlatformDetails(
                issuer=demo.issuer,
                client_id=CLIENT_ID,
                auth_login_url=demo.auth_url,
                auth_token_url=f"{demo.issuer}/token",
                key_set_url=demo.jwks_url,
                deployment_ids=(DEPLOYMENT_ID,),
                name="Demo platform (loopback only)",
                product_family="semh-demo",
            ),
            registered_by="demo",
        )
