"""The app's own Click commands: init, demo, backup, restore, storage (``flask --app compmgr --help``).

Each feature's commands ride on its blueprint (``cli_group=None``), e.g. ``certificates``.
"""

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from compmgr import storage
from compmgr.auth.models import User
from compmgr.auth.passwords import password_problem
from compmgr.auth.services import normalise_email
from compmgr.backup import BackupError, backup, restore
from compmgr.cli import CommandError
from compmgr.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from compmgr.extensions import db
from compmgr.registration.models import Document


@click.command("init")
@click.option("--email", help="E-Mail-Adresse der ersten Administration.")
@click.option("--name", help="Name der ersten Administration.")
@click.option("--password", help="Passwort (sonst wird gefragt).")
@click.option("--no-admin", is_flag=True, help="Nur die Datenbank anlegen bzw. migrieren.")
@with_appcontext
def init_command(email, name, password, no_admin):
    """Create or upgrade the database and the first instance admin."""
    _upgrade()
    click.echo("Datenbank ist auf dem neuesten Stand.")
    if no_admin:
        return
    email = normalise_email(email or click.prompt("E-Mail der Administration"))
    if db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none():
        raise CommandError(f"Ein Konto mit {email} gibt es schon.")
    name = name or click.prompt("Name", default="Administration")
    if password is None:
        password = click.prompt("Passwort", hide_input=True, confirmation_prompt=True)
    problem = _password_problem(password, [email, name])
    if problem:
        raise CommandError(problem)
    user = User(email=email, name=name, is_admin=True)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Administration {email} angelegt.")


def _password_problem(password, user_inputs):
    """Return the password policy's German refusal for the CLI, or None."""
    with force_locale("de"):
        problem = password_problem(password, user_inputs)
        return str(problem) if problem else None


@click.command("demo")
@with_appcontext
def demo_command():
    """Load the demo competition (once) and print the demo logins."""
    created = load_demo()
    click.echo("Demo-Wettbewerb angelegt." if created else "Demo-Wettbewerb ist schon vorhanden.")
    click.echo("")
    click.echo(f"Demo-Zugänge (Passwort für alle: {DEMO_PASSWORD})")
    for email, role in DEMO_LOGINS:
        click.echo(f"  {role:<32} {email}")
    click.echo("")


@click.command("backup")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="Zieldatei der Sicherung.",
)
@with_appcontext
def backup_command(output):
    """Make a consistent online backup of the database while the app runs."""
    try:
        path = backup(output)
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"Sicherung geschrieben: {path}")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Ohne Rückfrage wiederherstellen.")
@with_appcontext
def restore_command(source, yes):
    """Restore the database from a backup made with the backup command."""
    if not Path(source).is_file():  # before asking: a typo needs no confirmation
        raise CommandError(f"Die Datei {source} gibt es nicht.")
    if not yes and not click.confirm(
        "Alle aktuellen Daten werden durch die Sicherung ersetzt. Fortfahren?"
    ):
        click.echo("Abgebrochen, nichts geändert.", err=True)
        sys.exit(1)
    try:
        manifest = restore(source, prepare_schema=_migrate_to)
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    _upgrade()  # a bundle of an older release: its data, then today's schema
    if manifest is not None:
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        click.echo(f"{files} Dateien geprüft und abgelegt.")
    click.echo("Sicherung wiederhergestellt.")


def _migrate_to(revisions):
    """Build an empty database's schema at a bundle's revision(s) before its rows go in."""
    for revision in revisions or ["heads"]:
        _upgrade(revision)


def _upgrade(revision="heads"):
    """Migrate the database to revision (Flask-Migrate and Alembic load here, when used)."""
    from flask_migrate import upgrade

    upgrade(revision=revision)


@click.group("storage")
def storage_group():
    """Stored files: papers, forms, logos, signatures."""


@storage_group.command("migrate")
@click.option("--to", "target_url", required=True, help="Ziel, z. B. s3://bucket/prefix?endpoint=…")
@with_appcontext
def storage_migrate_command(target_url):
    """Copy every stored file to another backend and verify each checksum; safe to re-run.

    The files stay where they are; set STORAGE_URL to the new place afterwards.
    """
    try:
        target = storage.from_url(target_url)
    except storage.StorageError as exc:
        raise CommandError(str(exc)) from exc
    source = storage.backend()
    expected = dict(db.session.execute(db.select(Document.stored_name, Document.sha256)).all())
    click.echo(f"Von {source.url}\nnach {target.url}")
    copied, skipped, problems = storage.copy_all(source, target, expected=expected)
    click.echo(f"{copied} kopiert und geprüft, {skipped} waren schon da.")
    if problems:
        for line in problems:
            click.echo(line, err=True)
        raise CommandError(f"{len(problems)} Dateien nicht übertragen; erneut starten.")
    click.echo(f"Fertig. Jetzt STORAGE_URL={target.url} setzen.")


def register(app):
    """Add the commands of the whole app (features bring their own on their blueprints)."""
    for command in (init_command, demo_command, backup_command, restore_command, storage_group):
        app.cli.add_command(command)
