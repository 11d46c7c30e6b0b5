"""`TestPlatform`: the LTI 1.3 platform the functional tests launch from."""

from __future__ import annotations

import json
import secrets
import ssl
import time
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

from tests.support.platform.app import create_app
from tests.support.platform.keys import generate_key_pair
from tests.support.platform.model import (
    LTI101,
    SAM_STUDENT,
    Context,
    DeepLinkResponse,
    DynamicRegistrationRecord,
    IssuedLaunch,
    LaunchSpec,
    LineItem,
    LoginMethod,
    MessageType,
    RegistrationToken,
    Result,
    ScoreRecord,
    Tamper,
    ToolRegistration,
    User,
)
from tests.support.platform.roles import STUDENT_ROLES, role_uris
from tests.support.platform.runtime import EXTENSION_KEY, PlatformInfo, Runtime
from tests.support.platform.server import LoopbackServer
from tests.support.platform.state import PlatformState, PlatformUrls


class TestPlatform:
    """An LTI 1.3 platform (LMS stand-in) served over real HTTP(S) on a loopback address.

    Use it as a context manager; the server runs from ``__enter__`` to ``__exit__``.
    """

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        host: str = "127.0.0.2",
        ssl_context: ssl.SSLContext | None = None,
        *,
        port: int = 0,
        outbound_verify: bool | str = True,
        id_token_lifetime: int = 60,
        info: PlatformInfo | None = None,
    ) -> None:
        """``outbound_verify`` is requests' ``verify`` for fetching tool JWKS (a CA file path
        for a trustme CA). ``id_token_lifetime`` is 60 s as in Moodle."""
        self._app = create_app()
        self._server = LoopbackServer(self._app, host, port, ssl_context)
        self._state = PlatformState(
            urls=PlatformUrls(self._server.url),
            keys=[generate_key_pair()],
            rogue_key=generate_key_pair(),
        )
        self._runtime = Runtime(
            self._state, info or PlatformInfo(), outbound_verify, id_token_lifetime
        )
        self._app.extensions[EXTENSION_KEY] = self._runtime
        self._started = False

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> TestPlatform:
        self._server.start()
        self._started = True
        return self

    def stop(self) -> None:
        self._server.stop()
        self._started = False

    def __enter__(self) -> TestPlatform:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- endpoints ----------------------------------------------------------------------------

    @property
    def issuer(self) -> str:
        return self._state.urls.issuer

    @property
    def jwks_url(self) -> str:
        return self._state.urls.jwks

    @property
    def auth_login_url(self) -> str:
        """The OIDC authorization endpoint (the tool's ``auth_login_url``)."""
        return self._state.urls.auth

    @property
    def auth_token_url(self) -> str:
        """The OAuth2 token endpoint (the tool's ``auth_token_url``)."""
        return self._state.urls.token

    def openid_configuration_url(self, legacy_moodle_shape: bool = False) -> str:
        return self._state.urls.openid_configuration(legacy_moodle_shape)

    @property
    def signing_kid(self) -> str:
        return self._state.signing_key.kid

    # -- set-up -------------------------------------------------------------------------------

    def register_tool(
        self,
        client_id: str,
        *,
        deployment_id: str = "1",
        login_url: str,
        launch_url: str,
        jwks_url: str,
        redirect_uris: Sequence[str] | None = None,
        deep_link_url: str | None = None,
        name: str = "Test tool",
        custom_parameters: Mapping[str, str] | None = None,
        scopes: Sequence[str] | None = None,
    ) -> ToolRegistration:
        """Register a tool by hand. ``redirect_uris`` defaults to the launch and deep link URLs."""
        redirects = list(redirect_uris or [u for u in (launch_url, deep_link_url) if u])
        tool = ToolRegistration(
            client_id=client_id,
            deployment_id=deployment_id,
            login_url=login_url,
            launch_url=launch_url,
            redirect_uris=redirects,
            jwks_url=jwks_url,
            deep_link_url=deep_link_url,
            type_id=self._state.take_type_id(),
            name=name,
            custom_parameters=dict(custom_parameters or {}),
            scopes=list(scopes) if scopes is not None else None,
        )
        self._state.add_tool(tool)
        return tool

    def add_member(
        self, user: User, roles: Iterable[str] = STUDENT_ROLES, context: Context = LTI101
    ) -> None:
        """Enrol someone in a course (launching enrols the launching user too)."""
        self._state.enrol(context, user, role_uris(roles))

    def add_lineitem(
        self,
        client_id: str,
        label: str,
        *,
        score_maximum: float = 100,
        context_id: str = LTI101.id,
        tag: str = "",
        resource_id: str = "",
        resource_link_id: str | None = None,
    ) -> dict[str, object]:
        """Create a gradebook column for a tool; returns it as AGS serves it."""
        item = self._state.add_lineitem(
            LineItem(
                0,
                context_id,
                client_id,
                label,
                float(score_maximum),
                resource_id,
                tag,
                resource_link_id,
            )
        )
        with self._state.lock:
            return self._state.lineitem_json(item)

    def rotate_key(self) -> str:
        """Sign with a new key from now on; the JWKS publishes old and new. Returns its kid."""
        pair = generate_key_pair()
        with self._state.lock:
            self._state.keys.append(pair)
        return pair.kid

    def set_services_down(self, down: bool = True) -> None:
        """While down, the token, AGS and NRPS endpoints answer 503."""
        with self._state.lock:
            self._state.services_down = down

    @property
    def reject_stale_scores(self) -> bool:
        """Moodle's rule: a score whose timestamp is not newer than the stored one gets 409."""
        return self._state.reject_stale_scores

    @reject_stale_scores.setter
    def reject_stale_scores(self, value: bool) -> None:
        with self._state.lock:
            self._state.reject_stale_scores = value

    # -- launching ----------------------------------------------------------------------------

    def launch_url(
        self,
        client_id: str,
        *,
        user: User = SAM_STUDENT,
        roles: Iterable[str] = STUDENT_ROLES,
        message_type: MessageType = "LtiResourceLinkRequest",
        context: Context | None = LTI101,
        resource_link_id: str | None = "1",
        resource_link_title: str | None = "Stub tool activity",
        resource_link_description: str | None = "Launches the stub tool",
        custom: Mapping[str, str] | None = None,
        ags: bool = True,
        ags_lineitem: bool = True,
        nrps: bool = True,
        lti_message_hint: str | None = None,
        login_method: LoginMethod = "POST",
        storage_target: str | None = None,
        target_link_uri: str | None = None,
        document_target: str | None = "iframe",
        deep_link_data: str | None = None,
        tamper: Tamper | None = None,
        extra_claims: Mapping[str, Any] | None = None,
    ) -> str:
        """A platform URL that, fetched by a browser, starts this launch. Reusable: each fetch
        is a fresh login (new nonce, state and id_token)."""
        with self._state.lock:
            tool = self._state.tools.get(client_id)
        if tool is None:
            raise KeyError(f"no tool registered with client_id {client_id!r}")
        is_dl = message_type == "LtiDeepLinkingRequest"
        target = target_link_uri or (
            (tool.deep_link_url or tool.launch_url) if is_dl else tool.launch_url
        )
        launch_id = secrets.token_urlsafe(9)
        hint = (
            lti_message_hint
            if lti_message_hint is not None
            else _moodle_hint(resource_link_id, is_dl)
        )
        spec = LaunchSpec(
            launch_id=launch_id,
            client_id=client_id,
            user=user,
            roles=role_uris(roles),
            message_type=message_type,
            context=context,
            resource_link_id=resource_link_id,
            resource_link_title=resource_link_title,
            resource_link_description=resource_link_description,
            custom=dict(custom or {}),
            ags=ags,
            ags_lineitem=ags_lineitem,
            nrps=nrps,
            lti_message_hint=hint,
            login_method=login_method,
            storage_target=storage_target,
            target_link_uri=target,
            document_target=None if is_dl else document_target,
            deep_link_data=deep_link_data,
            tamper=tamper,
            extra_claims=dict(extra_claims or {}),
        )
        with self._state.lock:
            self._state.launches[launch_id] = spec
            self._state.hints[hint] = launch_id
        return self._state.urls.launch(launch_id)

    def frame_url(self, launch_url: str) -> str:
        """A course page on the platform that embeds ``launch_url`` (from :meth:`launch_url`)
        in an iframe and answers the 1EdTech platform-storage postMessages (``lti.put_data``,
        ``lti.get_data``, ``lti.capabilities``) for ``storage_target="_parent"``. For headless
        Chromium tests; the :class:`Browser` does not run it."""
        launch_id = launch_url.rstrip("/").rsplit("/", 1)[-1]
        if not launch_url.startswith(self._state.urls.launch(launch_id)):
            raise ValueError(f"not a launch URL of this platform: {launch_url}")
        return self._state.urls.frame(launch_id)

    # -- dynamic registration -----------------------------------------------------------------

    def dynamic_registration_url(
        self,
        tool_registration_url: str,
        legacy_moodle_shape: bool = False,
        *,
        token_lifetime: float = 3600,
    ) -> str:
        """The tool's registration URL with ``openid_configuration`` and a one-time
        ``registration_token`` (valid ``token_lifetime`` seconds), as Moodle opens it."""
        token = RegistrationToken(
            token=secrets.token_urlsafe(24),
            expires_at=time.time() + token_lifetime,
            legacy_moodle_shape=legacy_moodle_shape,
        )
        with self._state.lock:
            self._state.registration_tokens[token.token] = token
        query = urlencode(
            {
                "openid_configuration": self.openid_configuration_url(legacy_moodle_shape),
                "registration_token": token.token,
            }
        )
        sep = "&" if "?" in tool_registration_url else "?"
        return f"{tool_registration_url}{sep}{query}"

    # -- what happened ------------------------------------------------------------------------

    def _copy(self, name: str) -> list[Any]:
        with self._state.lock:
            return list(getattr(self._state, name))

    @property
    def tools(self) -> dict[str, ToolRegistration]:
        with self._state.lock:
            return dict(self._state.tools)

    @property
    def launches(self) -> list[IssuedLaunch]:
        """Every id_token issued, with its header and (possibly tampered) claims."""
        return self._copy("issued")

    @property
    def last_launch(self) -> IssuedLaunch | None:
        issued = self.launches
        return issued[-1] if issued else None

    @property
    def auth_errors(self) -> list[str]:
        """Why the OIDC authorization endpoint refused requests (it answered 400)."""
        return self._copy("auth_errors")

    @property
    def scores(self) -> list[ScoreRecord]:
        """Every score POST received, accepted or not, with the status it got."""
        return self._copy("scores")

    @property
    def lineitems(self) -> list[dict[str, object]]:
        """Current line items, as AGS serves them."""
        with self._state.lock:
            items = sorted(self._state.lineitems.values(), key=lambda i: i.id)
            return [self._state.lineitem_json(i) for i in items]

    def find_lineitem(self, **fields: object) -> dict[str, object] | None:
        """The first line item whose AGS fields equal ``fields`` (e.g. ``tag="x"``)."""
        return next(
            (i for i in self.lineitems if all(i.get(k) == v for k, v in fields.items())), None
        )

    @property
    def results(self) -> list[Result]:
        with self._state.lock:
            return list(self._state.results.values())

    @property
    def deep_link_responses(self) -> list[DeepLinkResponse]:
        return self._copy("deep_link_responses")

    @property
    def deep_link_errors(self) -> list[str]:
        return self._copy("deep_link_errors")

    @property
    def registrations(self) -> list[DynamicRegistrationRecord]:
        return self._copy("registrations")

    @property
    def token_requests(self) -> list[dict[str, object]]:
        """Access tokens issued: client_id and granted scope."""
        return self._copy("token_requests")

    @property
    def service_errors(self) -> list[str]:
        """Why token/AGS/NRPS requests were refused."""
        return self._copy("service_errors")

    @property
    def returns(self) -> list[dict[str, str]]:
        """Query strings the tool sent to the launch_presentation return_url."""
        return self._copy("returns")

    @property
    def server_errors(self) -> list[str]:
        """Tracebacks of crashes inside the platform (should stay empty)."""
        return self._copy("server_errors")


def _moodle_hint(resource_link_id: str | None, is_dl: bool) -> str:
    """An lti_message_hint shaped like Moodle 4.5's (a JSON string)."""
    link = resource_link_id or "0"
    launch = f"ltilaunch{link}_{secrets.randbelow(10**10):010d}"
    body: dict[str, object] = (
        {"launchid": launch}
        if is_dl
        else {
            "cmid": int(link) if link.isdigit() else link,
            "launchid": launch,
        }
    )
    return json.dumps(body, separators=(",", ":"))
