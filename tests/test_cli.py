"""Every command speaks German on errors, the same way, and leaves with exit code 1."""

import pytest

from tests.factories import CompetitionFactory

MISSING = "Fehler: Einen Wettbewerb mit der ID 99 gibt es nicht."


@pytest.mark.parametrize(
    "args",
    [
        ["import-registrations", "--competition", "99", "{file}"],
        ["export-registrations", "--competition", "99", "-o", "{out}"],
        ["certificates", "--competition", "99", "-o", "{out}"],
        ["purge", "--competition", "99"],
    ],
)
def test_a_missing_competition_reads_the_same_in_every_command(runner, db, tmp_path, args):
    upload = tmp_path / "anmeldungen.csv"
    upload.write_text("Projektschlüssel;Projekttitel\n", encoding="utf-8")
    args = [a.format(file=upload, out=tmp_path / "ziel.pdf") for a in args]
    result = runner.invoke(args=args)
    assert result.exit_code == 1, result.output
    assert result.output.strip() == MISSING
    assert not (tmp_path / "ziel.pdf").exists()


def test_export_to_a_missing_folder_says_so(runner, db, tmp_path):
    comp = CompetitionFactory()
    db.session.commit()
    target = tmp_path / "fehlt" / "teilnehmende.csv"
    result = runner.invoke(
        args=["export-registrations", "--competition", str(comp.id), "-o", str(target)]
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"Fehler: Die Datei {target} lässt sich nicht schreiben")
    assert "Traceback" not in result.output


def test_backup_into_a_missing_folder_says_so_without_a_traceback(runner, db, tmp_path):
    target = tmp_path / "fehlt" / "x.sqlite"
    result = runner.invoke(args=["backup", "-o", str(target)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Fehler: Den Ordner {target.parent} gibt es nicht."
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_backup_onto_a_file_that_is_no_database_says_so(runner, db, tmp_path):
    if db.engine.url.get_backend_name() != "sqlite":
        pytest.skip("pg_dump writes its own file")
    target = tmp_path / "notizen.sqlite"
    target.write_text("Das ist keine Datenbank, sondern ein langer Text. " * 20)
    result = runner.invoke(args=["backup", "-o", str(target)])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Fehler: Die Sicherung lässt sich nicht nach {target} schreiben"
    )


def test_restore_checks_the_file_before_asking(runner, db, tmp_path):
    missing = tmp_path / "fehlt.sqlite"
    result = runner.invoke(args=["restore", str(missing)], input="j\n")
    assert result.exit_code == 1
    assert result.output.strip() == f"Fehler: Die Datei {missing} gibt es nicht."
    assert "Fortfahren" not in result.output


def test_restore_asks_and_changes_nothing_on_no(runner, db, tmp_path):
    backup = tmp_path / "sicherung.sqlite"
    assert runner.invoke(args=["backup", "-o", str(backup)]).exit_code == 0
    result = runner.invoke(args=["restore", str(backup)], input="n\n")
    assert result.exit_code == 1
    assert "Fortfahren?" in result.output and "Abgebrochen, nichts geändert." in result.output


def test_init_errors_are_german_too(runner, db):
    result = runner.invoke(
        args=["init", "--email", "a@example.org", "--name", "A", "--password", "kurz"]
    )
    assert result.exit_code == 1
    assert result.output.strip().endswith(
        "Fehler: Das Passwort muss mindestens 10 Zeichen lang sein."
    )
