"""The Browser's navigation rules, and the loopback server's clean shutdown."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator

import httpx
import pytest
from flask import Flask, Response, jsonify, redirect, request

from tests.support.net import port_open
from tests.support.platform import Browser, LoopbackServer, TestPlatform
from tests.support.platform.html import STORAGE_SCRIPT

FORM = (
    '<form {attrs} action="/echo"><input type="hidden" name="id_token" value="a&amp;b"/>'
    '<input type="text" name="state" value="s1"/><input type="checkbox" name="off" value="1"/>'
    '<input type="checkbox" name="on" value="1" checked/><textarea name="note">hi</textarea>'
    '<input type="submit" name="go" value="Go"/></form>'
)
PAGES = {
    "forms0": FORM.format(attrs='method="post"') + "<script>document.forms[0].submit();</script>",
    "onload": '<body onload="document.f.submit()">' + FORM.format(attrs='name="f" method="post"'),
    "by-id": '<form id="first" action="/nowhere" method="post"></form>'
    + FORM.format(attrs='id="second" method="post"')
    + "<script>document.getElementById('second').submit();</script>",
    "get-form": FORM.format(attrs='method="get"') + "<script>document.forms[0].submit()</script>",
    "location": '<script>window.location = "/echo?via=script";</script>',
    "meta": '<meta http-equiv="refresh" content="0; url=/echo?via=meta">',
    "manual": FORM.format(attrs='method="post"'),
    "function-only": FORM.format(attrs='method="post"')
    + "<script>function later() { document.forms[0].submit(); }</script>",
}


def _app() -> Flask:
    app = Flask("browser_test")

    @app.route("/page/<name>")
    def page(name: str) -> Response:
        return Response(f"<html>{PAGES[name]}</html>", mimetype="text/html")

    @app.route("/echo", methods=["GET", "POST"])
    def echo() -> Response:
        return jsonify(
            method=request.method,
            form=list(request.form.items(multi=True)),
            args=request.args.to_dict(),
            cookies=request.cookies.to_dict(),
        )

    @app.route("/keep", methods=["POST"])
    def keep() -> Response:
        return redirect("/echo", code=307)

    @app.route("/loop")
    def loop() -> Response:
        return redirect("/loop")

    @app.route("/set-cookie")
    def set_cookie() -> Response:
        resp = redirect("/echo")
        resp.set_cookie("who", "me")
        return resp

    return app


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with LoopbackServer(_app(), "127.0.0.3") as server:
        yield server.url


EXPECTED_FORM = [["id_token", "a&b"], ["state", "s1"], ["on", "1"], ["note", "hi"]]


@pytest.mark.parametrize("name", ["forms0", "onload", "by-id"])
def test_auto_submitted_post_forms_are_followed(site: str, browser: Browser, name: str) -> None:
    final = browser.open(f"{site}/page/{name}")

    assert final.json()["method"] == "POST"
    assert final.json()["form"] == EXPECTED_FORM
    assert browser.history[-1].via == "form"
    assert browser.last_id_token == "a&b"
    assert browser.last_state == "s1"


def test_auto_submitted_get_form_goes_into_the_query(site: str, browser: Browser) -> None:
    final = browser.open(f"{site}/page/get-form")

    assert final.json()["method"] == "GET"
    assert final.json()["args"]["id_token"] == "a&b"


@pytest.mark.parametrize(("name", "marker"), [("location", "script"), ("meta", "meta")])
def test_script_and_meta_redirects_are_followed(
    site: str, browser: Browser, name: str, marker: str
) -> None:
    final = browser.open(f"{site}/page/{name}")

    assert final.json()["args"]["via"] == marker
    assert browser.history[-1].via == "script"


@pytest.mark.parametrize("name", ["manual", "function-only"])
def test_pages_that_wait_for_the_user_end_the_chain(site: str, browser: Browser, name: str) -> None:
    final = browser.open(f"{site}/page/{name}")

    assert final.status_code == 200
    assert len(browser.history) == 1


def test_307_keeps_the_post_and_cookies_are_kept(site: str, browser: Browser) -> None:
    browser.open(f"{site}/set-cookie")
    final = browser.post(f"{site}/keep", {"a": "1"})

    assert final.json()["method"] == "POST"
    assert final.json()["form"] == [["a", "1"]]
    assert final.json()["cookies"] == {"who": "me"}


def test_redirect_loops_are_bounded(site: str) -> None:
    with Browser(max_hops=5) as browser, pytest.raises(RuntimeError, match="more than 5 hops"):
        browser.open(f"{site}/loop")


def test_server_stop_closes_keep_alive_connections_and_joins_threads() -> None:
    server = LoopbackServer(_app(), "127.0.0.3").start()
    with httpx.Client() as client:  # keeps its connection open
        assert client.get(f"{server.url}/echo").status_code == 200

        server.stop()

        assert not port_open(server.host, server.port)
        assert not [
            t for t in threading.enumerate() if "process_request_thread" in t.name and t.is_alive()
        ]


def test_frame_page_embeds_the_launch(browser: Browser) -> None:
    with TestPlatform() as platform:
        platform.register_tool(
            "framed",
            login_url="http://127.0.0.1:9/login",
            launch_url="http://127.0.0.1:9/l",
            jwks_url="http://127.0.0.1:9/jwks",
        )
        launch = platform.launch_url("framed", storage_target="_parent")
        page = browser.open(platform.frame_url(launch))

        assert page.status_code == 200
        assert f'src="{launch}"' in page.text
        assert "lti.put_data" in page.text
        with pytest.raises(ValueError, match="not a launch URL"):
            platform.frame_url("http://elsewhere/launch/x")


STORAGE_HARNESS = """
const handlers = [];
global.window = {addEventListener: (name, fn) => handlers.push(fn)};
%s
const replies = [];
function send(origin, data) {
  handlers[0]({origin, data, source: {postMessage: (m, o) => replies.push([o, m])}});
}
send("https://tool.example", {subject: "lti.capabilities", message_id: "1"});
send("https://tool.example", {subject: "lti.put_data", message_id: "2", key: "k", value: "v"});
send("https://tool.example", {subject: "lti.get_data", message_id: "3", key: "k"});
send("https://other.example", {subject: "org.imsglobal.lti.get_data", message_id: "4", key: "k"});
send("https://tool.example", {subject: "lti.get_data", message_id: "5"});
send("https://tool.example", {subject: "something.else", message_id: "6"});
console.log(JSON.stringify(replies));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the page's script")
def test_frame_page_storage_script_answers_put_and_get() -> None:
    out = subprocess.run(
        ["node", "-e", STORAGE_HARNESS % STORAGE_SCRIPT],
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    )
    replies = json.loads(out.stdout)

    assert [origin for origin, _ in replies] == [
        "https://tool.example",
        "https://tool.example",
        "https://tool.example",
        "https://other.example",
        "https://tool.example",
    ]
    capabilities, put, get, other, missing = (m for _, m in replies)
    assert capabilities["subject"] == "lti.capabilities.response"
    assert {"subject": "lti.put_data", "frame": "_parent"} in capabilities["supported_messages"]
    assert put == {"subject": "lti.put_data.response", "message_id": "2", "key": "k", "value": "v"}
    assert get == {"subject": "lti.get_data.response", "message_id": "3", "key": "k", "value": "v"}
    assert other["subject"] == "org.imsglobal.lti.get_data.response"
    assert other["value"] is None  # storage is per tool origin
    assert missing["error"]["code"] == "bad_request"
