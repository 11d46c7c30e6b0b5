"""The `frameworks` command: validate, list, export, import, diff and print audits."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from frameworks.audit import render_audit
from frameworks.case_json import case_to_data, export_case_json, import_case_json
from frameworks.errors import FrameworkError, FrameworkValidationError
from frameworks.lint import guidance
from frameworks.loader import get_framework, load_framework, load_shipped, parse_framework
from frameworks.model import Framework
from frameworks.moodle_csv import export_moodle_csv, import_moodle_csv, moodle_csv_to_data
from frameworks.overlay import parse_overlay
from frameworks.records import framework_from_data
from frameworks.versioning import check_version_bump, diff
from frameworks.vocab import GROUPS
from frameworks.writer import dump_data, dump_framework
from frameworks.yamlsource import YamlSyntaxError, read_yaml

F = TypeVar("F", bound=Callable[..., Any])


def _friendly(command: F) -> F:
    """Turn expected failures into a message and exit code 1, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except FrameworkValidationError as exc:
            for issue in exc.errors:
                click.echo(str(issue), err=True)
            n = len(exc.errors)
            click.echo(f"{n} error{'s' if n != 1 else ''}; nothing was loaded.", err=True)
            raise SystemExit(1) from None
        except (FrameworkError, OSError, ValueError, UnicodeDecodeError) as exc:
            raise click.ClickException(_message(exc)) from None
        except (click.ClickException, click.exceptions.Exit, SystemExit):
            raise
        except Exception as exc:
            # A bug, not bad input; still no traceback for the person at the terminal.
            raise click.ClickException(
                f"unexpected {type(exc).__name__}: {exc}; please report this with the input used"
            ) from None

    return wrapper  # type: ignore[return-value]


def _message(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"no such file: {exc.filename}"
    if isinstance(exc, OSError) and exc.filename:
        return f"cannot use {exc.filename}: {exc.strerror}"
    return str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)


def _resolve(id_or_path: str) -> Framework:
    """A framework from a file path, or a shipped framework by id."""
    path = Path(id_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.exists():
            raise FileNotFoundError(2, "No such file", str(path))
        return load_framework(path)
    return get_framework(id_or_path)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Work with SEMH competency framework files (see frameworks/FORMAT.md)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_friendly
def validate(paths: tuple[Path, ...]) -> None:
    """Check framework or overlay files; list every error, or one summary line per file."""
    failed = 0
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            click.echo(f"{path}: {_message(exc)}", err=True)
            failed += 1
            continue
        try:
            if _is_overlay(text):
                ov = parse_overlay(text, path.name)
                click.echo(f"{path.name}: ok — overlay {ov.id} for {ov.base} {ov.base_versions}")
                continue
            fw = parse_framework(text, path.name)
        except FrameworkValidationError as exc:
            for issue in exc.errors:
                click.echo(str(issue), err=True)
            failed += 1
            continue
        click.echo(f"{path.name}: ok — {_summary(fw)}")
        for note in guidance(fw):
            click.echo(f"{path.name}: advice: {note}")
    if failed:
        click.echo(f"{failed} of {len(paths)} file(s) failed validation.", err=True)
        raise SystemExit(1)


def _is_overlay(text: str) -> bool:
    try:
        located, _ = read_yaml(text, "")
    except YamlSyntaxError:
        return False
    data = located.data
    return isinstance(data, dict) and "overlay" in data and "framework" not in data


def _summary(fw: Framework) -> str:
    per_group = "/".join(str(sum(c.group == g for c in fw.competencies)) for g in GROUPS)
    return (
        f"{fw.id} {fw.version} ({fw.phase}): {len(fw.domains)} domains, "
        f"{len(fw.competencies)} competencies (core/enhanced/targeted {per_group}, "
        f"SEND {sum(c.send for c in fw.competencies)}), {len(fw.training)} training items, "
        f"{len(fw.roles)} roles"
    )


@cli.command(name="list")
@_friendly
def list_() -> None:
    """The shipped frameworks with their phase, version and counts."""
    rows = [
        (
            "id",
            "phase",
            "version",
            "domains",
            "competencies",
            "core",
            "enh",
            "tgt",
            "SEND",
            "training",
            "roles",
        )
    ]
    for fw in load_shipped().values():
        rows.append(
            (
                fw.id,
                fw.phase,
                fw.version,
                str(len(fw.domains)),
                str(len(fw.competencies)),
                *(str(sum(c.group == g for c in fw.competencies)) for g in GROUPS),
                str(sum(c.send for c in fw.competencies)),
                str(len(fw.training)),
                str(len(fw.roles)),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@cli.command()
@click.argument("id_or_path")
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["moodle-csv", "case-json"]),
    help="moodle-csv for Moodle's competency framework import; case-json for CASE 1.0.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@_friendly
def export(id_or_path: str, fmt: str, output: Path | None) -> None:
    """Export a shipped framework (by id) or a framework file."""
    fw = _resolve(id_or_path)
    _write(export_moodle_csv(fw) if fmt == "moodle-csv" else export_case_json(fw), output)


def detect_format(text: str) -> str:
    """'case-json', 'moodle-csv' or 'yaml', from the content."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        return "case-json"
    first = head.split("\n", 1)[0].lower()
    if first.startswith(("parent id number", '"parent id number"', "parent idnumber")) or (
        first.count(",") >= 13 and "id number" in first
    ):
        return "moodle-csv"
    return "yaml"


@cli.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    default="auto",
    type=click.Choice(["auto", "moodle-csv", "case-json", "yaml"]),
    help="Input format; by default it is detected from the content.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the YAML data file here instead of standard output.",
)
@click.option(
    "--draft",
    is_flag=True,
    help="Write the YAML even if it does not validate yet, listing what to complete.",
)
@_friendly
def import_(file: Path, fmt: str, output: Path | None, draft: bool) -> None:
    """Import a Moodle CSV or CASE JSON file and write the framework's YAML data file."""
    text = file.read_text(encoding="utf-8")
    kind = detect_format(text) if fmt == "auto" else fmt
    try:
        if kind == "moodle-csv":
            fw = import_moodle_csv(text, file.name)
        elif kind == "case-json":
            fw = import_case_json(text, file.name)
        else:
            fw = parse_framework(text, file.name)
    except FrameworkValidationError as exc:
        if not draft:
            raise FrameworkValidationError([*exc.errors]) from None
        data = _draft_data(text, kind, file.name)
        for issue in exc.errors:
            click.echo(f"to complete: {issue}", err=True)
        _write(
            dump_data(data, header=f"DRAFT imported from {file.name}; complete and validate."),
            output,
        )
        return
    _write(dump_framework(fw, header=f"Imported from {file.name} ({kind})."), output)


def _draft_data(text: str, kind: str, name: str) -> dict[str, Any]:
    if kind == "moodle-csv":
        data, _, _ = moodle_csv_to_data(text, name)
        return data
    if kind == "case-json":
        try:
            return case_to_data(json.loads(text), name)[0]
        except json.JSONDecodeError:
            return {}
    raise click.ClickException("--draft only applies to Moodle CSV or CASE JSON input")


@cli.command(name="diff")
@click.argument("old")
@click.argument("new")
@_friendly
def diff_(old: str, new: str) -> None:
    """Compare two versions of a framework (paths or shipped ids) and check the version bump.

    Exits 1 when the new version number is not a big enough step for what changed.
    """
    a, b = _resolve(old), _resolve(new)
    changes = diff(a, b)
    click.echo(f"{a.id}: {a.version} -> {b.version}")
    sections = [
        ("Added", changes.added),
        ("Removed", changes.removed),
        ("Reworded", [f"{r.id} ({', '.join(r.fields)})" for r in changes.reworded]),
        ("Moved to another domain", changes.moved),
        ("Training links changed", changes.relinked),
        ("Domains", changes.domain_changes),
        ("Scale", changes.scale_changes),
        ("Groups", changes.group_changes),
        ("Other changes", changes.link_changes),
    ]
    for title, items in sections:
        if items:
            click.echo(f"{title} ({len(items)}):")
            for item in items:
                click.echo(f"  {item}")
    click.echo(f"Unchanged: {len(changes.unchanged)} competencies (their ratings carry forward)")
    if not changes.scale_compatible:
        click.echo("The scale's levels changed: no ratings carry forward.")
    verdict = check_version_bump(a, b)
    click.echo(("OK: " if verdict.ok else "NOT OK: ") + verdict.message)
    if not verdict.ok:
        raise SystemExit(1)


@cli.command()
@click.argument("id_or_path")
@click.option("--group", required=True, type=click.Choice(list(GROUPS)))
@click.option("--send", is_flag=True, help="Include the SEND enhancement statements.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the HTML here instead of standard output.",
)
@_friendly
def audit(id_or_path: str, group: str, send: bool, output: Path | None) -> None:
    """A printable blank self-audit (HTML for A4) for one group of a framework."""
    _write(render_audit(_resolve(id_or_path), group, send), output)


def main() -> None:
    cli()


__all__ = ["cli", "detect_format", "framework_from_data", "main"]
