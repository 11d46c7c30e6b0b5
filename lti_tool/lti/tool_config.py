"""A pylti1p3 tool configuration that reads platform registrations from the database."""

from __future__ import annotations

from typing import Any

from pylti1p3.deployment import Deployment as LtiDeployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract
from sqlalchemy.orm import Session

from lti_tool.models import Platform
from lti_tool.services import platforms
from lti_tool.services.keys import SigningKey


class DatabaseToolConf(ToolConfAbstract):  # type: ignore[type-arg]
    """Registrations come from the ``platforms`` table; one issuer may have many client ids."""

    def __init__(self, session: Session, signing_key: SigningKey) -> None:
        super().__init__()
        self._session = session
        self._key = signing_key
        # pylti1p3 asks for the same registration several times per launch; ask the database once.
        self._platforms: dict[tuple[str, str], Platform | None] = {}

    def platform(self, issuer: str, client_id: str) -> Platform | None:
        """The registration for this issuer and client id, looked up once per request."""
        key = (issuer, client_id)
        if key not in self._platforms:
            self._platforms[key] = platforms.find_platform(self._session, issuer, client_id)
        return self._platforms[key]

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration:
        raise NotImplementedError("registrations are always looked up by issuer and client id")

    def find_deployment(self, iss: str, deployment_id: str) -> LtiDeployment | None:
        raise NotImplementedError("deployments are always looked up by issuer and client id")

    def find_registration_by_params(
        self, iss: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Registration | None:
        platform = self.platform(iss, client_id) if client_id else None
        if platform is None:
            return None
        registration = Registration()
        registration.set_issuer(platform.issuer)
        registration.set_client_id(platform.client_id)
        registration.set_auth_login_url(platform.auth_login_url)
        registration.set_auth_token_url(platform.auth_token_url)
        registration.set_key_set_url(platform.key_set_url)
        if platform.auth_audience:
            registration.set_auth_audience(platform.auth_audience)
        registration.set_tool_private_key(self._key.private_pem)
        registration.set_tool_public_key(self._key.public_pem)
        return registration

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str, *args: Any, **kwargs: Any
    ) -> LtiDeployment | None:
        platform = platforms.find_platform(self._session, iss, client_id)
        if (
            platform is None
            or platforms.find_deployment(self._session, platform, deployment_id) is None
        ):
            return None
        return LtiDeployment().set_deployment_id(deployment_id)
