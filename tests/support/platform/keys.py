"""RSA keys for the platform: the signing key(s) it publishes and a rogue key it does not."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.registration import Registration


@dataclass(frozen=True)
class KeyPair:
    """One RSA key in PEM form, with the ``kid`` lti1p3platform derives (the JWK thumbprint)."""

    private_pem: str
    public_pem: str

    @property
    def kid(self) -> str:
        return str(Registration.get_jwk(self.public_pem)["kid"])

    @property
    def public_jwk(self) -> dict[str, object]:
        return dict(Registration.get_jwk(self.public_pem))


def generate_key_pair(bits: int = 2048) -> KeyPair:
    """A fresh RSA key pair."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return KeyPair(private_pem=private_pem, public_pem=public_pem)
