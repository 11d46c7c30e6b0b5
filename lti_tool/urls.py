"""The tool's public URLs, for registration instructions and dynamic registration."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ToolUrls:
    """Everything an LMS administrator pastes into the platform's tool settings."""

    base: str

    @property
    def login(self) -> str:
        """OIDC login initiation URL."""
        return f"{self.base}/lti/login"

    @property
    def launch(self) -> str:
        """Target link URI and redirect URI for launches."""
        return f"{self.base}/lti/launch"

    @property
    def deep_linking(self) -> str:
        """Content selection (deep linking) URL: launches arrive at the same endpoint."""
        return f"{self.base}/lti/launch"

    @property
    def jwks(self) -> str:
        """The tool's public key set."""
        return f"{self.base}/lti/jwks"

    @property
    def registration(self) -> str:
        """LTI Dynamic Registration initiation URL."""
        return f"{self.base}/lti/register"

    @property
    def redirect_uris(self) -> tuple[str, ...]:
        """Every URL the platform may send an id_token to."""
        return (self.launch,)

    @property
    def domain(self) -> str:
        """Host and port, as dynamic registration wants them."""
        return self.base.split("://", 1)[1].split("/", 1)[0]
