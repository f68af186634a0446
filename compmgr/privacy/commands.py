"""Click command of the privacy feature: the retention purge."""

import click

from compmgr.cli import CommandError
from compmgr.competitions.commands import get_competition
from compmgr.dates import today
from compmgr.extensions import db
from compmgr.privacy import bp, purge


def _print(report, title):
    click.echo(("Probelauf – nichts wird gelöscht: " if report.dry_run else "Gelöscht: ") + title)
    for label, count in report.as_rows():
        click.echo(f"  {label:<50} {count:>6}")


@bp.cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Nur anzeigen, was gelöscht würde.")
@click.option(
    "--competition",
    "competition_id",
    type=int,
    help="Nur den Wettbewerb mit dieser ID (sonst alle, deren Löschdatum vorbei ist).",
)
def purge_command(dry_run, competition_id):
    """Delete or anonymise the personal data of finished competitions past their retention date."""
    if competition_id is not None:
        comp = get_competition(competition_id)
        reason = purge.refusal(comp, today())
        if reason:
            raise CommandError(reason)
        targets = [comp]
    else:
        targets = purge.due_competitions(today())
        if not targets:
            click.echo("Kein Wettbewerb hat sein Löschdatum überschritten.")
            return
    for comp in targets:
        report = purge.purge(comp, dry_run=dry_run)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
            purge.remove_files(report.stored_names)
        _print(report, f"{comp.title} (Nr. {comp.id})")
