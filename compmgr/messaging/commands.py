"""Click commands of messaging: the mail worker."""

import click
from flask import current_app

from compmgr.messaging import bp
from compmgr.messaging.worker import run_forever, run_once


@bp.cli.command("worker")
@click.option("--once", is_flag=True, help="Einmal zustellen und planen, dann beenden.")
@click.option("--poll", type=float, default=None, help="Sekunden zwischen zwei Runden.")
def worker_command(once, poll):
    """Deliver queued mails with retries and send the scheduled reminders (runs until stopped)."""
    app = current_app._get_current_object()
    if once:
        click.echo(f"{run_once(app)} E-Mail(s) zugestellt.")
        return
    click.echo("Mail-Worker läuft (Strg+C beendet).")
    try:
        run_forever(app, poll)
    except KeyboardInterrupt:
        pass
