"""Every failure renders one friendly page with a reference, never a traceback."""

import logging

import pytest
from flask import Flask

from lti_tool.errors import ToolError


def test_unexpected_error_page_hides_the_traceback(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "secret internals" not in page and "Traceback" not in page
    reference = page.split("<code>")[-1].split("</code>")[0]
    assert reference in caplog.text and "secret internals" in caplog.text


def test_not_found_page(client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "There is no page at this address." in response.get_data(as_text=True)


def test_json_clients_get_json(client) -> None:
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"] == "Page not found"


def test_tool_error_subclasses_have_messages() -> None:
    def leaves(cls: type) -> list[type]:
        subs = cls.__subclasses__()
        return [cls] if not subs else [leaf for s in subs for leaf in leaves(s)]

    for cls in leaves(ToolError):
        assert cls.message and cls.title and 400 <= cls.status_code < 600, cls


def test_expired_launch_reference(client) -> None:
    response = client.get("/home?lr=not-a-real-reference")
    assert response.status_code == 401
    assert "Nothing you saved has been lost" in response.get_data(as_text=True)
