"""Backup and restore round trip, taken while writes go on."""

import threading

from sqlalchemy import create_engine, text

from compmgr.registration.models import School
from tests.factories import CompetitionFactory


def _writer(url, competition_id, stop, written):
    """Insert schools one transaction at a time, as a running app would."""
    engine = create_engine(url)
    n = 0
    while not stop.is_set() and n < 2000:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO schools (competition_id, name, city, created_at, updated_at) "
                    "VALUES (:c, :n, 'Neuß', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"c": competition_id, "n": f"Schule {n}"},
            )
        n += 1
        written.append(n)
    engine.dispose()


def test_backup_while_writing_then_restore(app, db, runner, tmp_path):
    comp = CompetitionFactory(name="Regionalwettbewerb Großstadt")
    db.session.commit()
    comp_id = comp.id
    db.session.rollback()  # no read snapshot of ours may outlive the writer's work
    url = db.engine.url.render_as_string(hide_password=False)
    stop, written = threading.Event(), []
    thread = threading.Thread(target=_writer, args=(url, comp_id, stop, written))
    thread.start()
    while len(written) < 20:
        pass
    target = tmp_path / "backup.dump"
    result = runner.invoke(args=["backup", "-o", str(target)])
    at_backup = len(written)
    stop.set()
    thread.join()
    assert result.exit_code == 0, result.output
    db.session.rollback()
    total = db.session.scalar(db.select(db.func.count(School.id)))
    assert total == len(written) > at_backup - 1

    result = runner.invoke(args=["restore", "--yes", str(target)])
    assert result.exit_code == 0, result.output
    db.session.remove()
    restored = db.session.scalar(db.select(db.func.count(School.id)))
    # A consistent snapshot: whole transactions only, taken while the writer ran.
    assert 20 <= restored <= total
    names = set(db.session.scalars(db.select(School.name)))
    assert names == {f"Schule {i}" for i in range(restored)}
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(School).where(School.city == "Neuß")
        )
        == restored
    )


def test_restore_refuses_a_file_that_is_no_backup(runner, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("kein Backup")
    result = runner.invoke(args=["restore", "--yes", str(bogus)])
    assert result.exit_code == 1
    assert "keine" in result.output and "Sicherung" in result.output


def test_restore_refuses_a_missing_file(runner, tmp_path):
    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "fehlt.db")])
    assert result.exit_code == 1
    assert "gibt es nicht" in result.output
