"""The launch message: lti1p3platform builds and signs it; we add Moodle's extra claims."""

from __future__ import annotations

from typing import Any

from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.request import Request

from tests.support.platform.lti import PlatformConf
from tests.support.platform.model import DeepLinkSession, LaunchSpec, ToolRegistration
from tests.support.platform.roles import role_uris
from tests.support.platform.runtime import Runtime

AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DL_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
LAUNCH_PRESENTATION_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/launch_presentation"
# The four scopes Moodle 4.5 puts in the AGS claim (lti1p3platform leaves out lineitem.readonly).
MOODLE_AGS_SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
]


class PlatformMessageLaunch(LTIAdvantageMessageLaunchAbstract):
    """One launch (resource link or deep linking request) for a :class:`LaunchSpec`."""

    def __init__(
        self,
        request: Request,
        platform_config: PlatformConf,
        *,
        runtime: Runtime,
        spec: LaunchSpec,
        tool: ToolRegistration,
        dl_session: DeepLinkSession | None,
    ) -> None:
        super().__init__(request, platform_config)
        self._rt = runtime
        self._spec = spec
        self._tool = tool
        self._dl_session = dl_session
        self.set_id_token_expiration(runtime.id_token_lifetime)
        self.set_launch_url(spec.target_link_uri)

    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return launch_data  # the view renders the auto-submitting form

    def prepare_launch(self, preflight_response: dict[str, Any]) -> None:
        spec, urls = self._spec, self._rt.state.urls
        user = spec.user
        self.set_user_data(user.sub, role_uris(spec.roles), user.name, user.email)
        if spec.context is not None:
            ctx = spec.context
            self.set_launch_context_claim(ctx.id, list(ctx.type), ctx.title, ctx.label)
        is_dl = self._dl_session is not None
        if not is_dl and spec.resource_link_id is not None:
            self.set_resource_link_claim(
                spec.resource_link_id, spec.resource_link_description, spec.resource_link_title
            )
        return_url = None if is_dl else urls.launch_return(spec.launch_id)
        self.set_launch_presentation_claim(spec.document_target, return_url)
        self._add_locale(user.locale)
        self._set_services(is_dl)
        self.set_custom_parameters_claim(self._custom())
        if self._dl_session is not None:
            self._set_deep_linking(self._dl_session)
        self.set_extra_claims(self._moodle_claims())
        if spec.extra_claims:
            self.set_extra_claims(dict(spec.extra_claims))

    def _add_locale(self, locale: str) -> None:
        assert self.lti_claim_launch_presentation is not None
        self.lti_claim_launch_presentation[LAUNCH_PRESENTATION_CLAIM]["locale"] = locale

    def _custom(self) -> dict[str, str]:
        custom = dict(self._tool.custom_parameters)
        custom.update(self._spec.custom)
        ctx = self._spec.context
        if self._spec.nrps and ctx is not None:  # Moodle adds it to the custom claim too
            url = self._rt.state.urls.memberships(ctx.id, self._tool.type_id)
            custom.setdefault("context_memberships_url", url)
        return custom

    def _set_services(self, is_dl: bool) -> None:
        spec, urls, type_id = self._spec, self._rt.state.urls, self._tool.type_id
        ctx = spec.context
        if ctx is None:
            return
        if spec.ags:
            lineitem_url = None
            if spec.ags_lineitem and not is_dl and spec.resource_link_id is not None:
                item = self._rt.state.lineitem_for_link(
                    ctx.id, self._tool.client_id, spec.resource_link_id
                )
                if item is not None:
                    lineitem_url = urls.lineitem(ctx.id, item.id, type_id)
            self.set_ags(urls.lineitems(ctx.id, type_id), lineitem_url)
            claim = dict(self.extra_claims[AGS_CLAIM])
            claim["scope"] = list(MOODLE_AGS_SCOPES)
            self.set_extra_claims({AGS_CLAIM: claim})
        if spec.nrps:
            self.set_nrps(urls.memberships(ctx.id, type_id))
            claim = dict(self.extra_claims[NRPS_CLAIM])
            claim["service_versions"] = ["1.0", "2.0"]
            self.set_extra_claims({NRPS_CLAIM: claim})

    def _set_deep_linking(self, session: DeepLinkSession) -> None:
        assert self._registration is not None
        self._registration.set_deeplink_launch_url(self._spec.target_link_uri)
        self.set_dl(
            self._rt.state.urls.deep_link_return(session.dl_id),
            title="DLtest",
            description="",
            accept_types=set(session.accept_types),
        )
        assert self._deep_linking_launch_data is not None
        settings = dict(self._deep_linking_launch_data[DL_CLAIM])
        settings.update(  # Moodle 4.5's values; lti1p3platform's differ
            {
                "accept_types": list(session.accept_types),
                "accept_presentation_document_targets": ["frame", "iframe", "window"],
                "accept_copy_advice": False,
                "accept_multiple": True,
                "accept_unsigned": False,
                "auto_create": False,
                "can_confirm": False,
            }
        )
        if session.data is not None:
            settings["data"] = session.data
        self._deep_linking_launch_data = {DL_CLAIM: settings}

    def _moodle_claims(self) -> dict[str, Any]:
        user, ctx, info = self._spec.user, self._spec.context, self._rt.info
        claims: dict[str, Any] = {
            "https://purl.imsglobal.org/spec/lti/claim/tool_platform": {
                "description": info.description,
                "guid": info.guid,
                "name": info.name,
                "product_family_code": info.product_family_code,
                "version": info.version,
            },
            "https://purl.imsglobal.org/spec/lti/claim/lis": {
                "person_sourcedid": user.person_sourcedid or "",
                "course_section_sourcedid": (ctx.sourcedid or "") if ctx else "",
            },
        }
        if user.given_name:
            claims["given_name"] = user.given_name
        if user.family_name:
            claims["family_name"] = user.family_name
        ext: dict[str, str] = {"lms": "moodle-2"}
        if user.username:
            ext["user_username"] = user.username
        claims["https://purl.imsglobal.org/spec/lti/claim/ext"] = ext
        return claims
