"""An LTI 1.3 platform (LMS stand-in) for functional tests, and a browser to drive it.

The platform uses ``lti1p3platform==0.1.8`` for the LTI work (login initiation parameters,
launch message, RS256 signing and JWKS, access-token exchange, AGS/NRPS service handlers,
Deep Linking response verification) and Flask glue of ours for the rest (HTTP, OIDC
authorization-request checks, Moodle 4.5's extra claims, tampering, score/line-item validation,
Dynamic Registration). It runs as a real Werkzeug server on a loopback address of its own
(default 127.0.0.2, free port), so JWKS and service calls cross real HTTP(S).

Platform::

    from tests.support.platform import TestPlatform, Browser, User, Context, Tamper

    with TestPlatform(host="127.0.0.2", ssl_context=None, outbound_verify=True) as platform:
        platform.issuer              # "http://127.0.0.2:54321"
        platform.jwks_url            # platform keys (JWKS, RS256, kid = JWK thumbprint)
        platform.auth_login_url      # OIDC authorization endpoint (GET or POST)
        platform.auth_token_url      # OAuth2 token endpoint: client_credentials +
                                     # private_key_jwt, assertion checked against the tool JWKS
        platform.openid_configuration_url(legacy_moodle_shape=False)

        platform.register_tool(
            "client-1", deployment_id="1", login_url=..., launch_url=..., jwks_url=...,
            redirect_uris=None,        # default: [launch_url, deep_link_url]
            deep_link_url=None, name="Test tool", custom_parameters=None,
            scopes=None)               # None: every scope; else what tokens may grant
        # -> ToolRegistration (client_id, deployment_id, type_id, ...). Several tools allowed.

        url = platform.launch_url(
            "client-1",
            user=SAM_STUDENT,                  # User(sub, name, given_name, family_name, email,
                                               #      username, person_sourcedid, locale)
            roles=["Learner"],                 # full URIs or short names (see roles.role_uri)
            message_type="LtiResourceLinkRequest",   # or "LtiDeepLinkingRequest"
            context=LTI101,                    # Context(id="2", label="LTI101", ...) or None
            resource_link_id="1", resource_link_title=..., resource_link_description=...,
            custom={"framework": "primary"},   # merged over the tool's custom_parameters;
                                               # Moodle-like, context_memberships_url is added
            ags=True, ags_lineitem=True,       # AGS claim: lineitems (+ lineitem) with ?type_id
            nrps=True,                         # NRPS claim, service_versions ["1.0", "2.0"]
            lti_message_hint=None,             # default: Moodle-like JSON string
            login_method="POST",               # or "GET" (302 to the tool's login URL)
            storage_target=None,               # e.g. "_parent": sends lti_storage_target
            target_link_uri=None,              # default: launch_url (deep_link_url for DL)
            document_target="iframe", deep_link_data=None,
            tamper=Tamper(...),                # see model.Tamper
            extra_claims=None)                 # claims to add or replace
        # Fetching ``url`` returns an auto-submitting form POST (or a redirect) to the tool's
        # login URL with iss, target_link_uri, login_hint, lti_message_hint, client_id,
        # lti_deployment_id. The authorization endpoint checks the tool's request (client_id,
        # registered redirect_uri, response_type=id_token, scope openid, response_mode
        # form_post, prompt none, nonce, state, login_hint and lti_message_hint of this
        # launch) and answers with an auto-submitting form POSTing id_token + state to the
        # redirect_uri; refusals are 400 pages, reasons in ``platform.auth_errors``.

        platform.launches / platform.last_launch    # IssuedLaunch: id_token, header, claims
        platform.scores             # ScoreRecord for every score POST (lineitem_url, body,
                                    # content_type, token_scopes, client_id, status)
        platform.lineitems          # current line items as AGS serves them
        platform.find_lineitem(tag="x")             # or any AGS field
        platform.results            # Result per (line item, user), rescaled like Moodle
        platform.add_lineitem(client_id, label, score_maximum=100, tag=..., ...)
        platform.add_member(user, roles, context)   # NRPS roster (launches enrol too)
        platform.set_services_down(True)    # token/AGS/NRPS answer 503 (Retry-After: 1)
        platform.reject_stale_scores = True # Moodle: score not newer than stored -> 409
        platform.deep_link_responses        # DeepLinkResponse: verified claims and items
        platform.deep_link_errors           # why responses were refused (400)
        platform.rotate_key()               # new signing key; JWKS keeps the old one
        platform.token_requests, platform.service_errors, platform.returns
        platform.server_errors              # platform crashes (tracebacks): keep it empty
        platform.frame_url(url)             # a course page embedding the launch in an iframe
                                            # and answering lti.put_data/lti.get_data
                                            # postMessages (for headless Chromium tests)

        # LTI Dynamic Registration 1.0
        url = platform.dynamic_registration_url(tool_registration_url,
                                                legacy_moodle_shape=False, token_lifetime=3600)
        # -> tool_registration_url?openid_configuration=...&registration_token=... The
        # registration endpoint wants the one-time bearer token, validates the client
        # registration, assigns client_id and deployment_id (= type id, as Moodle), answers
        # with the registration + client_id + lti-tool-configuration incl. deployment_id,
        # and registers the tool. ``platform.registrations`` lists them.

URLs are Moodle's paths (so a tool may derive them as it would for Moodle):
``/mod/lti/certs.php`` (JWKS), ``/mod/lti/auth.php``, ``/mod/lti/token.php``,
``/mod/lti/openid-configuration.php`` (``?shape=legacy`` for older Moodle's shape),
``/mod/lti/openid-registration.php``, and services under ``/mod/lti/services.php``:
``/{context}/lineitems?type_id=N``, ``/{context}/lineitems/{id}/lineitem?type_id=N``
(``/scores`` and ``/results`` go on the path before the query),
``/CourseSection/{context}/bindings/N/memberships``. Only the launch start
(``/launch/{id}``) and ``/course/frame/{id}`` are the platform's own.
Service content types are enforced (415), score and line-item bodies validated (400), token
scopes checked per operation (403), ``type_id`` must belong to the token's tool (403).
Pagination (``limit``/``page``) answers a quoted ``Link: <...>; rel="next"``.

Browser::

    with Browser(verify=False) as browser:   # verify: bool or ssl.SSLContext
        final = browser.open(url)             # follows redirects and auto-submitting forms
        browser.history                       # [Hop(method, url, status, via, fields)]
        browser.last_launch_form              # PostedForm(url, fields) with the id_token
        browser.last_id_token, browser.last_state
        browser.replay_last_launch()          # POST the same id_token + state again
        browser.post(url, {"id_token": ..., "state": ...})   # arbitrary form data
        browser.cookies

Servers for tools under test: ``LoopbackServer(app, host, port=0, ssl_context=None)`` runs
any WSGI app the same way (context manager; ``.url``), and joins its threads on exit.
"""

from tests.support.platform.browser import Browser, Hop, PostedForm
from tests.support.platform.model import (
    ADMIN_USER,
    LTI101,
    SAM_STUDENT,
    TERRY_TEACHER,
    Context,
    DeepLinkResponse,
    DynamicRegistrationRecord,
    IssuedLaunch,
    Result,
    ScoreRecord,
    Tamper,
    ToolRegistration,
    User,
)
from tests.support.platform.roles import ADMIN_ROLES, STUDENT_ROLES, TEACHER_ROLES, role_uri
from tests.support.platform.runtime import PlatformInfo
from tests.support.platform.server import LoopbackServer
from tests.support.platform.testplatform import TestPlatform

__all__ = [
    "ADMIN_ROLES",
    "ADMIN_USER",
    "LTI101",
    "SAM_STUDENT",
    "STUDENT_ROLES",
    "TEACHER_ROLES",
    "TERRY_TEACHER",
    "Browser",
    "Context",
    "DeepLinkResponse",
    "DynamicRegistrationRecord",
    "Hop",
    "IssuedLaunch",
    "LoopbackServer",
    "PlatformInfo",
    "PostedForm",
    "Result",
    "ScoreRecord",
    "Tamper",
    "TestPlatform",
    "ToolRegistration",
    "User",
    "role_uri",
]
