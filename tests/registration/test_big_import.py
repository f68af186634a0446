"""A 5,000-row import: every row lands, a second import changes nothing, one bad row saves nothing.

The import checks outside the write transaction and writes in bulk statements; these tests
hold it to the same results as the school's forms: teams, Gruppensprecher(in), divisions,
schools matched by name and city, and nothing half-saved.
"""

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from bench.imports import registration_rows, to_csv
from compmgr.registration import import_write, imports
from compmgr.registration.models import Participant, Project, ProjectMember, School
from tests.factories import CompetitionFactory

ROWS = 5000


@pytest.fixture
def comp(db):
    comp = CompetitionFactory(registration_deadline=date(2099, 11, 30))
    db.session.commit()
    return comp


def stored(db, comp):
    """Return {project key: (title, subject, division code, school, [(first, last, speaker)])}."""
    projects = {}
    for project in db.session.scalars(db.select(Project).filter_by(competition_id=comp.id)):
        team = [
            (m.participant.first_name, m.participant.last_name, m.is_speaker)
            for m in project.members
        ]
        projects[project.key] = (
            project.title,
            project.subject.name,
            project.division.code,
            (project.school.name, project.school.city),
            team,
        )
    return projects


def expected(rows):
    projects = {}
    for (
        key,
        title,
        subject,
        _abstract,
        first,
        last,
        birth,
        _grade,
        school,
        city,
        *_rest,
        speaker,
    ) in rows:
        age = 2026 - int(birth[-4:])
        entry = projects.setdefault(
            key, (title, subject, "jf" if age >= 15 else "junior", (school, city), [])
        )
        entry[4].append((first, last, speaker == "ja"))
    return projects


def count(db, model):
    return db.session.scalar(db.select(db.func.count(model.id)))


def test_five_thousand_rows_import_completely_and_a_second_time_change_nothing(comp, db):
    rows = registration_rows(ROWS)
    result = imports.import_file(comp, to_csv(rows))
    db.session.commit()
    assert result.counts == dict(
        rows=ROWS,
        schools_created=200,
        participants_created=ROWS,
        participants_updated=0,
        projects_created=2500,
        projects_updated=0,
    )
    assert stored(db, comp) == expected(rows)
    birth = {
        (p.first_name, p.birth_date.strftime("%d.%m.%Y"), p.grade, p.email)
        for p in db.session.scalars(db.select(Participant))
    }
    assert birth == {(r[4], r[6], int(r[7]), r[11]) for r in rows}
    before = (
        count(db, School),
        count(db, Participant),
        count(db, Project),
        count(db, ProjectMember),
    )

    again = imports.import_file(comp, to_csv(rows))
    db.session.commit()
    assert {k: v for k, v in again.counts.items() if k != "rows"} == dict(
        schools_created=0,
        participants_created=0,
        participants_updated=0,
        projects_created=0,
        projects_updated=0,
    )
    assert (
        count(db, School),
        count(db, Participant),
        count(db, Project),
        count(db, ProjectMember),
    ) == before
    assert stored(db, comp) == expected(rows)


def test_a_bad_last_row_saves_nothing_of_five_thousand(comp, db):
    rows = registration_rows(ROWS)
    rows[-1][2] = "Astrologie"
    with pytest.raises(imports.ImportFailed) as info:
        imports.import_file(comp, to_csv(rows))
    db.session.rollback()
    assert info.value.errors == [(ROWS + 1, "unbekanntes Fachgebiet „Astrologie“")]
    assert count(db, Participant) == count(db, Project) == count(db, School) == 0


def test_a_second_file_grows_a_team_moves_the_speaker_and_derives_the_division_again(comp, db):
    rows = registration_rows(2)  # one project of one junior (age 10), then one of two
    imports.import_file(comp, to_csv(rows[:1]))
    db.session.commit()
    older = list(rows[0])
    older[4:8] = ["Ömer", "Groß", "01.01.2010", "11"]  # 16 on the cut-off date: Jugend forscht
    older[12] = "ja"
    first = list(rows[0])
    first[12] = "nein"
    result = imports.import_file(comp, to_csv([first, older]))
    db.session.commit()
    assert (result.counts["projects_updated"], result.counts["participants_created"]) == (1, 1)
    project = db.session.scalars(db.select(Project)).one()
    assert [(m.participant.first_name, m.is_speaker) for m in project.members] == [
        ("Jörg0", False),
        ("Ömer", True),
    ]
    assert project.division.code == "jf"


def test_a_registration_made_between_check_and_write_is_checked_again(comp, db, monkeypatch):
    """The file is checked without a lock; under the write lock a change made meanwhile is seen."""
    rows = registration_rows(3)
    school = School(competition_id=comp.id, name="Andere Schule", city="Anderswo")
    db.session.add(school)
    db.session.commit()
    real_prepare, calls = import_write.prepare, []

    def prepare_while_a_school_registers(competition, checked, state):
        if not calls:  # another connection registers the file's first pupil at another school
            engine = create_engine(db.engine.url)
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO participants (competition_id, school_id, first_name, last_name, birth_date,"
                        " grade, email, phone, created_at, updated_at) VALUES (:c, :s, :f, :l, :b, 5, '', '',"
                        " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    dict(c=comp.id, s=school.id, f=rows[0][4], l=rows[0][5], b=date(2016, 1, 1)),
                )
            engine.dispose()
        calls.append(1)
        return real_prepare(competition, checked, state)

    monkeypatch.setattr(import_write, "prepare", prepare_while_a_school_registers)
    with pytest.raises(imports.ImportFailed) as info:
        imports.import_file(comp, to_csv(rows))
    db.session.rollback()
    assert "ist schon für Andere Schule, Anderswo angemeldet" in info.value.errors[0][1]
    assert Counter(p.school.name for p in db.session.scalars(db.select(Participant))) == {
        "Andere Schule": 1
    }


def test_a_pupil_saved_in_the_very_moment_of_the_write_fails_the_import_cleanly(
    comp, db, monkeypatch, backend
):
    """PostgreSQL only (on SQLite the import holds the one write lock): a clear message, nothing saved."""
    if backend != "postgresql":
        pytest.skip("on SQLite nobody else can write while the import writes")
    rows = registration_rows(3)
    real_write = import_write.write

    def write_after_a_school_saved(competition, plan):
        engine = create_engine(db.engine.url)
        with engine.begin() as conn:
            school = conn.execute(
                text(
                    "INSERT INTO schools (competition_id, name, city, created_at, updated_at)"
                    " VALUES (:c, 'Andere Schule', '', now(), now()) RETURNING id"
                ),
                dict(c=comp.id),
            ).scalar()
            conn.execute(
                text(
                    "INSERT INTO participants (competition_id, school_id, first_name, last_name, birth_date,"
                    " grade, email, phone, created_at, updated_at) VALUES (:c, :s, :f, :l, :b, 5, '', '', now(), now())"
                ),
                dict(c=comp.id, s=school, f=rows[0][4], l=rows[0][5], b=date(2016, 1, 1)),
            )
        engine.dispose()
        real_write(competition, plan)

    monkeypatch.setattr(import_write, "write", write_after_a_school_saved)
    with pytest.raises(imports.ImportFailed) as info:
        imports.import_file(comp, to_csv(rows))
    db.session.rollback()
    assert "Während des Imports wurden Anmeldungen geändert" in info.value.errors[0][1]
    assert count(db, Project) == 0 and count(db, Participant) == 1
