"""What the Flask views need: the state, the platform's identity and its outbound TLS policy."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from tests.support.platform.state import PlatformState

EXTENSION_KEY = "lti_test_platform"


@dataclass(frozen=True)
class PlatformInfo:
    """How the platform describes itself (``tool_platform`` claim, openid configuration)."""

    name: str = "ltitest"
    description: str = "LTI Test Moodle"
    guid: str = "feced62acd1790c7b917281cc67806a8"
    product_family_code: str = "moodle"
    version: str = "2024100706"
    release: str = "4.5.6 (Build: 20250811)"


@dataclass(frozen=True)
class Runtime:
    """Shared by every request the platform's server handles."""

    state: PlatformState
    info: PlatformInfo
    outbound_verify: bool | str  # requests' ``verify`` for fetching tool JWKS
    id_token_lifetime: int


def runtime() -> Runtime:
    """The runtime of the platform serving the current request."""
    value = current_app.extensions[EXTENSION_KEY]
    assert isinstance(value, Runtime)
    return value
