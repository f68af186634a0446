"""Click commands of this feature: ``flask --app compmgr certificates``."""

import sys

import click

from compmgr.certificates import bp, printing, services
from compmgr.cli import CommandError
from compmgr.competitions.commands import get_competition
from compmgr.extensions import db
from compmgr.registration.models import School


@bp.cli.command("certificates")
@click.option("--competition", "competition_id", type=int, help="ID des Wettbewerbs.")
@click.option("--school", "school_id", type=int, help="Nur die Urkunden dieser Schule (ID).")
@click.option(
    "--kind",
    default="all",
    show_default=True,
    help="all (alle), prizes (nur Preisträger) oder participation (nur Teilnahme).",
)
@click.option(
    "--order",
    default="school",
    show_default=True,
    help="school (Schule, dann Name) oder stand (nach Stand).",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, writable=True),
    help="Ziel-PDF-Datei.",
)
def certificates_command(competition_id, school_id, kind, order, output):
    """Write the certificates of a competition into one PDF file."""
    if competition_id is None:
        raise CommandError("Bitte den Wettbewerb mit --competition ID angeben.")
    if not output:
        raise CommandError("Bitte die Zieldatei mit -o DATEI.pdf angeben.")
    if kind not in services.KINDS:
        raise CommandError(f"Unbekannte Art {kind!r}: erlaubt sind all, prizes, participation.")
    if order not in services.ORDERS:
        raise CommandError(f"Unbekannte Reihenfolge {order!r}: erlaubt sind school, stand.")
    competition = get_competition(competition_id)
    if school_id is not None:
        school = db.session.get(School, school_id)
        if school is None or school.competition_id != competition.id:
            raise CommandError(
                f"Die Schule {school_id} gehört nicht zum Wettbewerb {competition_id}."
            )
    certs = services.certificates(competition, kind=kind, school_id=school_id, order=order)
    if not certs:
        click.echo("Keine Urkunden für diese Auswahl – keine Datei geschrieben.", err=True)
        sys.exit(1)
    try:
        out = open(output, "wb")
    except OSError as exc:
        raise CommandError(
            f"Die Datei {output} lässt sich nicht schreiben: {exc.strerror}."
        ) from None
    with out:
        if sys.stderr.isatty():
            with click.progressbar(length=len(certs), label="Urkunden", file=sys.stderr) as bar:
                pages = printing.write_certificates(competition, certs, out, progress=bar.update)
        else:
            pages = printing.write_certificates(competition, certs, out)
    click.echo(f"{pages} Urkunden geschrieben: {output}")
