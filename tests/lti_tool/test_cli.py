"""The `semh-lti platforms` and `keys` commands."""

from flask import Flask
from flask.testing import FlaskCliRunner

from lti_tool.extensions import db
from lti_tool.models import Deployment, Platform

MOODLE = [
    "--issuer",
    "https://moodle.example.org",
    "--client-id",
    "zHIy4GXYlvdmKOF",
    "--login-url",
    "https://moodle.example.org/mod/lti/auth.php",
    "--token-url",
    "https://moodle.example.org/mod/lti/token.php",
    "--jwks-url",
    "https://moodle.example.org/mod/lti/certs.php",
]


def test_add_list_show_remove(app: Flask, runner: FlaskCliRunner) -> None:
    added = runner.invoke(
        args=[
            "platforms",
            "add",
            *MOODLE,
            "--deployment-id",
            "1",
            "--base-url",
            "https://tool.example.org",
        ]
    )
    assert added.exit_code == 0, added.output
    assert "Initiate login URL .............. https://tool.example.org/lti/login" in added.output
    assert "Public keyset URL ............... https://tool.example.org/lti/jwks" in added.output
    assert "Redirection URI(s) .............. https://tool.example.org/lti/launch" in added.output
    listed = runner.invoke(args=["platforms", "list"])
    assert "https://moodle.example.org  client zHIy4GXYlvdmKOF  deployments: 1" in listed.output
    with app.app_context():
        platform_id = db.session.query(Platform).one().id
    shown = runner.invoke(args=["platforms", "show", str(platform_id)])
    assert "Keyset URL ........ https://moodle.example.org/mod/lti/certs.php" in shown.output
    removed = runner.invoke(args=["platforms", "remove", str(platform_id), "--yes"])
    assert removed.exit_code == 0
    with app.app_context():
        assert db.session.query(Platform).count() == 0
        assert db.session.query(Deployment).count() == 0


def test_second_client_id_for_same_issuer_is_allowed(app: Flask, runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["platforms", "add", *MOODLE]).exit_code == 0
    other = [*MOODLE]
    other[3] = "second-client"
    assert runner.invoke(args=["platforms", "add", *other]).exit_code == 0
    with app.app_context():
        assert db.session.query(Platform).count() == 2


def test_duplicate_registration_is_refused_without_traceback(
    app: Flask, runner: FlaskCliRunner
) -> None:
    runner.invoke(args=["platforms", "add", *MOODLE])
    again = runner.invoke(args=["platforms", "add", *MOODLE])
    assert again.exit_code == 1
    assert "already registered" in again.output
    assert "Traceback" not in again.output


def test_bad_url_is_refused_and_nothing_written(app: Flask, runner: FlaskCliRunner) -> None:
    bad = [*MOODLE]
    bad[bad.index("--jwks-url") + 1] = "certs.php"
    result = runner.invoke(args=["platforms", "add", *bad])
    assert result.exit_code == 1
    assert "The key set URL must be a full http(s) URL" in result.output
    with app.app_context():
        assert db.session.query(Platform).count() == 0


def test_show_unknown_platform(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["platforms", "show", "99"])
    assert result.exit_code == 1
    assert "There is no platform registration 99" in result.output


def test_add_deployment(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(args=["platforms", "add", *MOODLE])
    with app.app_context():
        pid = db.session.query(Platform).one().id
    assert runner.invoke(args=["platforms", "add-deployment", str(pid), "7"]).exit_code == 0
    with app.app_context():
        assert [d.deployment_id for d in db.session.query(Deployment)] == ["7"]


def test_keys_rotate_and_list(runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["keys", "rotate"])
    second = runner.invoke(args=["keys", "rotate"])
    assert "retired; still published for 7 days" in second.output
    listed = runner.invoke(args=["keys", "list"]).output
    assert listed.count("retired, published") == 1 and listed.count("signing") == 1
    assert "PRIVATE" not in first.output + second.output + listed
