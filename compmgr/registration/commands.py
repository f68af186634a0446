"""Click commands of this feature: import and export registrations."""

import sys

import click

from compmgr.cli import CommandError
from compmgr.competitions.commands import get_competition
from compmgr.extensions import db
from compmgr.registration import bp, exports, import_format, imports


@bp.cli.command("import-registrations")
@click.option(
    "--competition", "competition_id", type=int, required=True, help="ID des Wettbewerbs."
)
@click.argument("file", type=click.File("rb"))
def import_registrations(competition_id, file):
    """Import participants and projects from a CSV or XLSX file, all or nothing."""
    comp = get_competition(competition_id)
    try:
        result = imports.import_file(comp, import_format.read_upload(file))
        db.session.commit()
    except imports.ImportFailed as exc:
        db.session.rollback()
        click.echo("Nichts importiert. Bitte korrigieren Sie diese Zeilen:", err=True)
        for line, message in exc.errors:
            click.echo(f"  Zeile {line}: {message}" if line else f"  {message}", err=True)
        sys.exit(1)
    click.echo(result.summary())


@bp.cli.command("export-registrations")
@click.option(
    "--competition", "competition_id", type=int, required=True, help="ID des Wettbewerbs."
)
@click.option(
    "--table",
    "which",
    type=click.Choice(["participants", "projects"]),
    default="participants",
    show_default=True,
    help="Was exportiert wird.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Zieldatei (sonst der Dateiname des Exports im aktuellen Ordner).",
)
def export_registrations(competition_id, which, fmt, output):
    """Export participants or projects as CSV (German Excel) or XLSX."""
    data, _mimetype, name = exports.export(get_competition(competition_id), which, fmt)
    path = output or name
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise CommandError(f"Die Datei {path} lässt sich nicht schreiben: {exc.strerror}.") from exc
    click.echo(f"{path} geschrieben ({len(data)} Bytes).")
