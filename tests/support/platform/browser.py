"""`Browser`: a tiny cookie-keeping HTTP client that follows redirects and auto-submitting forms.

It does what a browser does between an LMS and a tool during an LTI launch, without
JavaScript: it follows HTTP redirects, submits a page's form when the page submits it on load
(``document.forms[0].submit()``, ``getElementById(...).submit()``, ``document.NAME.submit()``,
``<body onload=...submit()>``), and follows ``window.location = "..."`` and meta refreshes.
It stops at the first page that does none of these and returns that response.

It keeps cookies per host (httpx's cookie jar) but does not enforce SameSite or partitioning:
use headless Chromium for those.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import TracebackType
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import httpx

Fields = list[tuple[str, str]]
_SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class Hop:
    """One request in a chain: ``via`` is open, redirect, form or script."""

    method: str
    url: str
    status: int
    via: str
    fields: Fields | None = None


@dataclass(frozen=True)
class PostedForm:
    """A form the browser POSTed (auto-submitted or by :meth:`Browser.post`)."""

    url: str
    fields: Fields

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.fields if k == name), None)

    def as_dict(self) -> dict[str, str]:
        return dict(self.fields)


@dataclass
class _Form:
    attrs: dict[str, str]
    fields: Fields = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self.scripts: list[str] = []
        self.onload = ""
        self.refresh: str | None = None
        self._form: _Form | None = None
        self._in_script = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = _Form(a)
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in _SKIPPED_INPUTS or (kind in ("checkbox", "radio") and "checked" not in a):
                return
            self._form.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and self._form is not None and a.get("name"):
            self._textarea = a["name"]
            self._form.fields.append((a["name"], ""))
        elif tag == "script":
            self._in_script = True
            self.scripts.append("")
        elif tag == "body":
            self.onload = a.get("onload", "")
        elif tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url\s*=\s*['\"]?([^'\"]+)", a.get("content", ""), re.I)
            self.refresh = match.group(1).strip() if match else None

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "script":
            self._in_script = False
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        elif self._textarea is not None and self._form is not None:
            name, value = self._form.fields[-1]
            self._form.fields[-1] = (name, value + data)


def _runs_on_load(script: str) -> bool:
    """A script that runs straight away, or from an onload/DOMContentLoaded handler."""
    if "function" not in script and "=>" not in script:
        return True
    return "onload" in script or "DOMContentLoaded" in script


def _submitted_form(parser: _PageParser) -> _Form | None:
    """The form the page submits on load, if any."""
    code = parser.onload + "\n" + "\n".join(s for s in parser.scripts if _runs_on_load(s))
    if not parser.forms or ".submit()" not in code:
        return None
    by_id = re.search(r"getElementById\(\s*['\"]([^'\"]+)['\"]\s*\)\s*\.submit\(\)", code)
    by_index = re.search(r"document\.forms\[\s*(\d+)\s*\]\s*\.submit\(\)", code)
    by_name = re.search(
        r"document\.(?:forms\.)?(?:forms\[\s*['\"])?([A-Za-z_][\w]*)(?:['\"]\s*\])?\.submit\(\)",
        code,
    )
    for form in parser.forms:
        if by_id and form.attrs.get("id") == by_id.group(1):
            return form
        if by_name and by_name.group(1) in (form.attrs.get("name"), form.attrs.get("id")):
            return form
    if by_index and int(by_index.group(1)) < len(parser.forms):
        return parser.forms[int(by_index.group(1))]
    return parser.forms[0]


def _script_location(parser: _PageParser) -> str | None:
    code = "\n".join(s for s in parser.scripts if _runs_on_load(s))
    match = re.search(
        r"location(?:\.href)?\s*=\s*['\"]([^'\"]+)['\"]|location\.replace\(\s*['\"]([^'\"]+)",
        code,
    )
    if match:
        return match.group(1) or match.group(2)
    return parser.refresh


def _as_fields(data: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> Fields:
    if data is None:
        return []
    items = data.items() if isinstance(data, Mapping) else data
    return [(str(k), str(v)) for k, v in items]


def _with_query(url: str, fields: Fields) -> str:
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(fields)) if q)
    return urlunsplit(parts._replace(query=query))


class Browser:
    """A cookie-keeping client; each :meth:`open` follows a launch chain to its end."""

    def __init__(
        self,
        verify: bool | ssl.SSLContext = True,
        *,
        timeout: float = 10.0,
        max_hops: int = 25,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self._client = httpx.Client(
            verify=verify, timeout=timeout, follow_redirects=False, headers=dict(headers or {})
        )
        self.max_hops = max_hops
        self.history: list[Hop] = []  # the chain of the last open()/post()
        self.all_history: list[Hop] = []
        self.posted_forms: list[PostedForm] = []

    @property
    def cookies(self) -> httpx.Cookies:
        return self._client.cookies

    @property
    def client(self) -> httpx.Client:
        """The underlying httpx client (shares this browser's cookies)."""
        return self._client

    def open(
        self,
        url: str,
        *,
        method: str = "GET",
        data: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        follow: bool = True,
    ) -> httpx.Response:
        """Request ``url``; with ``follow``, keep going through redirects and auto-forms."""
        self.history = []
        return self._run(method.upper(), url, _as_fields(data) or None, "open", follow)

    def get(self, url: str, *, follow: bool = True) -> httpx.Response:
        return self.open(url, follow=follow)

    def post(
        self,
        url: str,
        data: Mapping[str, str] | Iterable[tuple[str, str]],
        *,
        follow: bool = True,
    ) -> httpx.Response:
        """POST arbitrary form data (e.g. a forged or replayed id_token)."""
        return self.open(url, method="POST", data=data, follow=follow)

    @property
    def last_launch_form(self) -> PostedForm | None:
        """The last form POSTed that carried an ``id_token``."""
        return next((f for f in reversed(self.posted_forms) if f.get("id_token")), None)

    @property
    def last_id_token(self) -> str | None:
        form = self.last_launch_form
        return form.get("id_token") if form else None

    @property
    def last_state(self) -> str | None:
        form = self.last_launch_form
        return form.get("state") if form else None

    def replay_last_launch(self, *, follow: bool = True) -> httpx.Response:
        """POST the last id_token + state form again, to the same URL."""
        form = self.last_launch_form
        if form is None:
            raise LookupError("no id_token form was posted yet")
        return self.post(form.url, form.fields, follow=follow)

    def _run(
        self, method: str, url: str, fields: Fields | None, via: str, follow: bool
    ) -> httpx.Response:
        for _ in range(self.max_hops):
            if method == "POST":
                self.posted_forms.append(PostedForm(url, list(fields or [])))
            resp = self._send(method, url, fields)
            hop = Hop(method, url, resp.status_code, via, fields)
            self.history.append(hop)
            self.all_history.append(hop)
            if not follow:
                return resp
            step = self._next_step(resp, method, fields)
            if step is None:
                return resp
            method, url, fields, via = step
        raise RuntimeError(f"more than {self.max_hops} hops: {[h.url for h in self.history]}")

    def _send(self, method: str, url: str, fields: Fields | None) -> httpx.Response:
        if method == "GET" or not fields:
            return self._client.request(method, url)
        return self._client.request(
            method,
            url,
            content=urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def _next_step(
        self, resp: httpx.Response, method: str, fields: Fields | None
    ) -> tuple[str, str, Fields | None, str] | None:
        here = str(resp.url)
        if resp.status_code in _REDIRECTS and "location" in resp.headers:
            target = urljoin(here, resp.headers["location"])
            if resp.status_code in (307, 308):
                return method, target, fields, "redirect"
            return "GET", target, None, "redirect"
        if "html" not in resp.headers.get("content-type", ""):
            return None
        parser = _PageParser()
        parser.feed(resp.text)
        form = _submitted_form(parser)
        if form is not None:
            action = urljoin(here, form.attrs.get("action") or here)
            if form.attrs.get("method", "get").lower() == "post":
                return "POST", action, form.fields, "form"
            return "GET", _with_query(action, form.fields), None, "form"
        location = _script_location(parser)
        if location is not None:
            return "GET", urljoin(here, location), None, "script"
        return None

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Browser:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
