"""The few HTML pages the platform serves: auto-submitting forms and plain messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape


def autosubmit_form(
    action: str,
    fields: Mapping[str, str] | Iterable[tuple[str, str]],
    *,
    form_name: str = "ltiAuthForm",
) -> str:
    """A page whose form POSTs ``fields`` to ``action`` as soon as it loads (as Moodle does)."""
    items = fields.items() if isinstance(fields, Mapping) else fields
    inputs = "\n".join(
        f'    <input type="hidden" name="{escape(name)}" value="{escape(value)}"/>'
        for name, value in items
    )
    return (
        "<!DOCTYPE html>\n<html><head><title>Launching…</title></head><body>\n"
        f'<form action="{escape(action)}" name="{form_name}" id="{form_name}" method="post" '
        'enctype="application/x-www-form-urlencoded">\n'
        f"{inputs}\n"
        '    <noscript><input type="submit" value="Continue"/></noscript>\n'
        "</form>\n"
        '<script type="text/javascript">'
        f'document.getElementById("{form_name}").submit();</script>\n'
        "</body></html>\n"
    )


def message_page(title: str, text: str) -> str:
    """A plain page with a heading and one paragraph."""
    return (
        f"<!DOCTYPE html>\n<html><head><title>{escape(title)}</title></head><body>\n"
        f"<h1>{escape(title)}</h1>\n<p>{escape(text)}</p>\n</body></html>\n"
    )


# The platform side of the 1EdTech "LTI Client Side postMessages" / platform storage messages
# (lti.capabilities, lti.put_data, lti.get_data, with or without the "org.imsglobal." prefix),
# keyed by the sending tool's origin. Only a real browser runs it (the self-tests have none).
STORAGE_SCRIPT = """
(function () {
  var store = {};
  var handled = ["lti.capabilities", "lti.put_data", "lti.get_data"];
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || typeof data.subject !== "string") { return; }
    var prefix = data.subject.indexOf("org.imsglobal.") === 0 ? "org.imsglobal." : "";
    var subject = data.subject.substring(prefix.length);
    if (handled.indexOf(subject) < 0) { return; }
    var reply = {subject: prefix + subject + ".response", message_id: data.message_id};
    var slot = event.origin + "\\n" + data.key;
    if (subject === "lti.capabilities") {
      reply.supported_messages = handled.map(function (s) {
        return {subject: prefix + s, frame: "_parent"};
      });
    } else if (!data.key) {
      reply.error = {code: "bad_request", message: "key is required"};
    } else if (subject === "lti.put_data") {
      store[slot] = data.value;
      reply.key = data.key;
      reply.value = data.value;
    } else {
      reply.key = data.key;
      reply.value = Object.prototype.hasOwnProperty.call(store, slot) ? store[slot] : null;
    }
    window.__ltiStorageLog = (window.__ltiStorageLog || []).concat([[data, reply]]);
    event.source.postMessage(reply, event.origin);
  });
})();
"""


def frame_page(launch_url: str, title: str = "LTI Test Course") -> str:
    """A course page that embeds a launch in an iframe and answers platform-storage messages."""
    return (
        f"<!DOCTYPE html>\n<html><head><title>{escape(title)}</title>\n"
        f'<script type="text/javascript">{STORAGE_SCRIPT}</script>\n</head><body>\n'
        f"<h1>{escape(title)}</h1>\n"
        f'<iframe id="tool_frame" name="tool_frame" src="{escape(launch_url)}" '
        'width="100%" height="600" allow="clipboard-write"></iframe>\n'
        "</body></html>\n"
    )
