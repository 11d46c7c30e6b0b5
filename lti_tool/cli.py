"""The `semh-lti` command: run the tool, manage platform registrations and keys.

Every command also works as ``flask --app lti_tool …``; ``semh-lti db …`` is Flask-Migrate.
"""

from __future__ import annotations

import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from lti_tool.extensions import db
from lti_tool.services import keys, platforms
from lti_tool.urls import ToolUrls

DEFAULT_BASE = "http://127.0.0.1:5000"


def _settings():  # type: ignore[no-untyped-def]
    return current_app.extensions["semh_settings"]


def _urls(base_url: str | None) -> ToolUrls:
    base = (base_url or _settings().base_url or DEFAULT_BASE).rstrip("/")
    return ToolUrls(base)


def _fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
    sys.exit(1)


def print_instructions(urls: ToolUrls) -> None:
    """What to paste into the LMS's tool settings."""
    click.echo(
        "\nPaste these into the LMS (Moodle: Site administration › Plugins › Activity modules ›\n"
        "External tool › Manage tools › configure a tool manually; LTI version 1.3):\n"
        f"  Tool URL / target link URI ...... {urls.launch}\n"
        f"  Initiate login URL .............. {urls.login}\n"
        f"  Redirection URI(s) .............. {' '.join(urls.redirect_uris)}\n"
        f"  Public key type ................. Keyset URL\n"
        f"  Public keyset URL ............... {urls.jwks}\n"
        f"  Content selection (deep linking)  {urls.deep_linking}\n"
        f"  Or use dynamic registration with  {urls.registration}\n"
    )


@click.group("platforms")
def platforms_group() -> None:
    """Register LMS platforms with the tool."""


@platforms_group.command("add")
@click.option("--issuer", required=True, help="The platform's issuer (Moodle: its site URL).")
@click.option("--client-id", required=True, help="The client id the LMS gave the tool.")
@click.option("--login-url", required=True, help="The platform's authentication request URL.")
@click.option("--token-url", required=True, help="The platform's access token URL.")
@click.option("--jwks-url", required=True, help="The platform's public keyset URL.")
@click.option(
    "--deployment-id", "deployment_ids", multiple=True, help="A deployment id (repeat for several)."
)
@click.option("--name", default="", help="A name to recognise the platform by.")
@click.option("--base-url", default=None, help="The tool's public URL (default SEMH_BASE_URL).")
@with_appcontext
def add_platform(
    issuer: str,
    client_id: str,
    login_url: str,
    token_url: str,
    jwks_url: str,
    deployment_ids: tuple[str, ...],
    name: str,
    base_url: str | None,
) -> None:
    """Register a platform by hand."""
    details = platforms.PlatformDetails(
        issuer=issuer.rstrip("/") if issuer.count("/") > 2 else issuer,
        client_id=client_id,
        auth_login_url=login_url,
        auth_token_url=token_url,
        key_set_url=jwks_url,
        deployment_ids=deployment_ids,
        name=name,
    )
    try:
        platform = platforms.add_platform(db.session, details)
    except platforms.RegistrationConflictError as error:
        _fail(str(error))
    db.session.commit()
    click.echo(
        f"Registered platform {platform.id}: {platform.issuer} (client id {platform.client_id})."
    )
    if not deployment_ids:
        click.echo("No deployment id yet: add one with `semh-lti platforms add-deployment`.")
    print_instructions(_urls(base_url))


@platforms_group.command("add-deployment")
@click.argument("platform_id", type=int)
@click.argument("deployment_id")
@with_appcontext
def add_deployment(platform_id: int, deployment_id: str) -> None:
    """Add a deployment id to a registered platform."""
    try:
        platform = platforms.get_platform(db.session, platform_id)
    except platforms.RegistrationConflictError as error:
        _fail(str(error))
    platforms.add_deployment(db.session, platform, deployment_id)
    db.session.commit()
    click.echo(f"Platform {platform_id} now accepts deployment {deployment_id}.")


@platforms_group.command("support-url")
@click.argument("platform_id", type=int)
@click.argument("deployment_id")
@click.argument("url", required=False)
@with_appcontext
def support_url(platform_id: int, deployment_id: str, url: str | None) -> None:
    """Set the wellbeing support link staff of one deployment see (no URL: the default)."""
    try:
        platform = platforms.get_platform(db.session, platform_id)
        platforms.set_support_url(db.session, platform, deployment_id, url)
    except platforms.RegistrationConflictError as error:
        _fail(str(error))
    db.session.commit()
    shown = url or f"the tool's default ({_settings().support_url})"
    click.echo(f"Staff of deployment {deployment_id} now see {shown}.")


@platforms_group.command("list")
@with_appcontext
def list_platforms() -> None:
    """List registered platforms."""
    rows = platforms.list_platforms(db.session)
    if not rows:
        click.echo(
            "No platforms registered yet. Use `semh-lti platforms add` or dynamic registration."
        )
        return
    for p in rows:
        deployments = ", ".join(d.deployment_id for d in p.deployments) or "none"
        click.echo(
            f"{p.id:>4}  {p.issuer}  client {p.client_id}  deployments: {deployments}"
            f"  ({p.registered_by})"
        )


@platforms_group.command("show")
@click.argument("platform_id", type=int)
@click.option("--base-url", default=None, help="The tool's public URL (default SEMH_BASE_URL).")
@with_appcontext
def show_platform(platform_id: int, base_url: str | None) -> None:
    """Show one registration and what to paste into the LMS."""
    try:
        p = platforms.get_platform(db.session, platform_id)
    except platforms.RegistrationConflictError as error:
        _fail(str(error))
    click.echo(
        f"Platform {p.id}: {p.name}\n"
        f"  Issuer ............ {p.issuer}\n"
        f"  Client id ......... {p.client_id}\n"
        f"  Login URL ......... {p.auth_login_url}\n"
        f"  Token URL ......... {p.auth_token_url}\n"
        f"  Keyset URL ........ {p.key_set_url}\n"
        f"  Deployments ....... {', '.join(d.deployment_id for d in p.deployments) or 'none'}\n"
        f"  Registered ........ {p.created_at:%Y-%m-%d %H:%M} UTC ({p.registered_by})"
    )
    print_instructions(_urls(base_url))


@platforms_group.command("remove")
@click.argument("platform_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def remove_platform(platform_id: int, yes: bool) -> None:
    """Remove a registration and everything launched through it."""
    try:
        p = platforms.get_platform(db.session, platform_id)
    except platforms.RegistrationConflictError as error:
        _fail(str(error))
    if not yes:
        click.confirm(
            f"Remove {p.issuer} (client {p.client_id}) and all its people's data?", abort=True
        )
    platforms.remove_platform(db.session, platform_id)
    db.session.commit()
    click.echo(f"Removed platform {platform_id}.")


@platforms_group.command("instructions")
@click.option("--base-url", default=None, help="The tool's public URL (default SEMH_BASE_URL).")
@with_appcontext
def instructions(base_url: str | None) -> None:
    """Print the URLs an LMS administrator needs."""
    print_instructions(_urls(base_url))


@click.group("keys")
def keys_group() -> None:
    """The tool's signing keys."""


@keys_group.command("rotate")
@with_appcontext
def rotate() -> None:
    """Start signing with a new key; old keys stay published for the grace period."""
    new_kid, retired = keys.rotate_keys(db.session)
    db.session.commit()
    grace = _settings().key_rotation_grace_days
    click.echo(f"Now signing with key {new_kid}.")
    for kid in retired:
        click.echo(f"Key {kid} retired; still published for {grace} days.")


@keys_group.command("list")
@with_appcontext
def list_keys() -> None:
    """List keys and whether each is published."""
    grace = timedelta(days=_settings().key_rotation_grace_days)
    published = {k["kid"] for k in keys.published_jwks(db.session, grace)["keys"]}
    for key in keys.list_keys(db.session):
        state = (
            "signing"
            if key.retired_at is None
            else ("retired, published" if key.kid in published else "retired")
        )
        click.echo(f"{key.kid}  created {key.created_at:%Y-%m-%d %H:%M}  {state}")


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--demo/--no-demo",
    default=None,
    help="Serve the demo platform (default: on when the host is loopback).",
)
def run(host: str, port: int, demo: bool | None) -> None:
    """Apply migrations, then serve the tool (and the demo platform on loopback)."""
    import os

    from flask_migrate import upgrade
    from werkzeug.serving import run_simple

    loopback = host in {"127.0.0.1", "localhost", "::1"}
    if demo is None:
        demo = loopback
    if demo and not loopback:
        _fail("The demo platform only runs on loopback (--host 127.0.0.1).")
    os.environ["SEMH_DEMO"] = "1" if demo else "0"
    app = _create_app()
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        keys.ensure_signing_key(db.session)
        db.session.commit()
    base = f"http://{host}:{port}"
    click.echo(f"semh-lti is running at {base}/")
    if demo:
        click.echo(f"Try it without an LMS: {base}/demo/")
    click.echo("Press Ctrl+C to stop.")
    run_simple(host, port, app, threaded=True, use_reloader=False)


def _create_app():  # type: ignore[no-untyped-def]
    from lti_tool import create_app
    from lti_tool.config import ConfigError

    try:
        return create_app()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


main = FlaskGroup(
    create_app=_create_app,
    add_default_commands=False,
    help="semh-lti: SEMH competency self-assessment, an LTI 1.3 tool.",
)
main.add_command(run)
