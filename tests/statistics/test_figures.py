"""The figures: what counts, the series across copied competitions, and the purge."""

import io
from datetime import date

from pypdf import PdfReader

from compmgr.auth.models import Role
from compmgr.competitions.services import create_competition
from compmgr.extensions import db
from compmgr.privacy import purge
from compmgr.statistics import figures
from tests.factories import (
    CompetitionFactory,
    ParticipantFactory,
    ProjectFactory,
    SchoolFactory,
    UserFactory,
    grant,
)
from tests.forms import submit
from tests.privacy.scene import published_competition


def _team(comp, school, *people, **fields):
    members = [
        ParticipantFactory(competition_id=comp.id, school=school, **person) for person in people
    ]
    return ProjectFactory(competition=comp, school=school, participants=members, **fields)


def year_with_entries():
    comp = CompetitionFactory(name="Regionalwettbewerb Reihe", round_year=2027)
    gym = SchoolFactory(competition_id=comp.id, name="Kepler-Gymnasium", city="Tübingen")
    real = SchoolFactory(competition_id=comp.id, name="Realschule Plus", city="Bad Dürkheim")
    bio, chem = comp.subjects[1], comp.subjects[2]
    _team(
        comp,
        gym,
        {"gender": "w", "grade": 9, "birth_date": date(2011, 3, 1)},
        {"gender": "m", "grade": 9, "birth_date": date(2011, 5, 1)},
        subject=bio,
    )
    _team(comp, gym, {"gender": "", "grade": 11, "birth_date": date(2009, 1, 2)}, subject=chem)
    _team(comp, real, {"gender": "w", "grade": 8, "birth_date": date(2012, 6, 6)}, subject=bio)
    _team(comp, real, {"gender": "m", "grade": 8}, subject=bio, status="withdrawn")
    return comp


def test_the_figures_count_only_projects_that_take_part(db):
    comp = year_with_entries()
    data = figures.compute(comp)
    assert (data["projects"], data["participants"], data["schools"]) == (3, 4, 2)
    assert data["by_subject"]["Biologie"] == {"projects": 2, "participants": 3}
    assert data["by_subject"]["Chemie"] == {"projects": 1, "participants": 1}
    assert data["by_school_type"] == {
        "gymnasium": {"projects": 2, "participants": 3},
        "realschule": {"projects": 1, "participants": 1},
    }
    assert data["by_grade"] == {"8": 1, "9": 2, "11": 1}
    assert data["by_age"] == {"14": 1, "15": 2, "17": 1}  # on 31.12.2026, the cut-off
    assert data["by_team_size"] == {"1": 2, "2": 1}
    assert data["by_gender"] == {"w": 2, "m": 1, "": 1}
    assert figures.girls_share(data) == 2 / 3  # of those who said


def test_school_type_is_read_from_the_name():
    assert figures.school_type("Carl-Friedrich-Gauß-Schule, Gymnasium mit Schwerpunkt") == (
        "gymnasium"
    )
    assert figures.school_type("Berufskolleg Technik") == "vocational"
    assert figures.school_type("Lise-Meitner-Schule") == "other"


def test_a_copied_competition_continues_the_series_and_past_years_survive_the_purge(db):
    s = published_competition()  # 2019, two schools, purge-ready
    before = figures.compute(s.comp)
    purge.purge(s.comp, today=date(2020, 6, 1))
    db.session.commit()
    nxt = create_competition("Regionalwettbewerb Nordsee", 2020, copy_from=s.comp)
    returning = SchoolFactory(competition_id=nxt.id, name="Gesamtschule Süd", city="Zittau")
    new = SchoolFactory(competition_id=nxt.id, name="Neue Schule", city="Emden")
    _team(nxt, returning, {"gender": "w"})
    _team(nxt, new, {"gender": "w"}, {"gender": "d"})
    unrelated = CompetitionFactory(name="Regionalwettbewerb Anderswo", round_year=2019)
    db.session.commit()

    years = figures.series_snapshots(nxt)
    assert [c.id for c, _d in years] == [s.comp.id, nxt.id]
    assert unrelated.id not in {c.id for c, _d in years}
    assert years[0][1] == before  # the stored figures, though the people are gone
    assert figures.series(s.comp) == figures.series(nxt)  # from either end
    new_schools, returning_schools = figures.school_changes(years[1][1], years[0][1])
    assert new_schools == ["Neue Schule, Emden"]
    assert returning_schools == ["Gesamtschule Süd, Zittau"]


def test_the_sentence_reads_as_in_an_annual_report(app, db):
    comp = year_with_entries()
    with app.test_request_context():
        text = figures.headline(comp, figures.compute(comp))
    assert text.startswith(
        "Am Regionalwettbewerb Reihe 2027 nahmen 4 Schülerinnen und Schüler mit 3 Projekten "
        "aus dem MINT-Bereich teil."
    )
    assert "Sie kamen von 2 Schulen." in text
    assert "Der Anteil der Mädchen lag bei 67 Prozent." in text


def _organiser(comp, login_as):
    org = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    return login_as(org)


def test_statistics_page_charts_tables_csv_and_report(app, db, login_as):
    comp = year_with_entries()
    web = _organiser(comp, login_as)
    html = web.get(f"/c/{comp.id}/org/statistics/").get_data(as_text=True)
    assert "nahmen 4 Schülerinnen und Schüler mit 3 Projekten" in html
    assert f'src="/c/{comp.id}/org/statistics/subject.svg"' in html
    assert "<details" in html and "Kepler-Gymnasium, Tübingen" in html

    svg = web.get(f"/c/{comp.id}/org/statistics/subject.svg")
    assert svg.mimetype == "image/svg+xml"
    body = svg.get_data(as_text=True)
    assert "<svg" in body and "<script" not in body and "http://" not in body.split("<svg")[0]
    assert "Biologie" in body

    csv = web.get(f"/c/{comp.id}/org/statistics/subject.csv").get_data().decode("utf-8-sig")
    assert csv.splitlines()[0] == "Fachgebiet;Projekte;Teilnehmende"
    assert "Biologie;2;3" in csv
    everything = web.get(f"/c/{comp.id}/org/statistics/statistik.csv").get_data()
    assert "Nach Schulart;Gymnasium;Projekte;2" in everything.decode("utf-8-sig")

    pdf = web.get(f"/c/{comp.id}/org/statistics/jahresbericht.pdf")
    assert pdf.mimetype == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.get_data())).pages)
    text = " ".join(text.split())
    assert "nahmen 4 Schülerinnen und Schüler mit 3 Projekten aus dem MINT-Bereich teil" in text
    assert "Nach Fachgebiet" in text and "Teilnehmende nach Klassenstufe" in text


def test_the_report_names_winners_only_with_publication_consent(app, db, login_as):
    s = published_competition()
    from compmgr.competitions import phases
    from compmgr.competitions.models import Status

    s.comp.status = Status.JUDGING  # publish the way the phase page does
    phases.change(s.comp, Status.PUBLISHED, s.org)
    db.session.commit()
    web = login_as(s.org)
    pdf = web.get(f"/c/{s.comp.id}/org/statistics/jahresbericht.pdf").get_data()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "Lena Weiß" in text and "Mikroplastik in der Neiße" in text
    assert "Jörg" not in text and "Ömer" not in text  # no consent: never named


def test_statistics_page_in_english(app, db, login_as):
    comp = year_with_entries()
    web = _organiser(comp, login_as)
    submit(web.get(f"/c/{comp.id}/org/statistics/"), button="English")
    html = web.get(f"/c/{comp.id}/org/statistics/").get_data(as_text=True)
    assert "4 pupils took part in the Regionalwettbewerb Reihe 2027 with 3 STEM projects" in html
    assert "By subject" in html and "Annual report (PDF)" in html


def test_an_empty_competition_has_a_page_charts_and_a_report(app, db, login_as):
    comp = CompetitionFactory(name="Regionalwettbewerb Leer", round_year=2027)
    web = _organiser(comp, login_as)
    html = web.get(f"/c/{comp.id}/org/statistics/").get_data(as_text=True)
    assert "nahmen 0 Schülerinnen und Schüler mit 0 Projekten" in html
    assert "Noch keine Angaben." in html
    for table in ("subject", "schools-new", "years", "years-subject"):
        assert web.get(f"/c/{comp.id}/org/statistics/{table}.svg").status_code == 200
    assert web.get(f"/c/{comp.id}/org/statistics/school.svg").status_code == 404  # a table only
    pdf = web.get(f"/c/{comp.id}/org/statistics/jahresbericht.pdf").get_data()
    assert PdfReader(io.BytesIO(pdf)).pages
    assert web.get(f"/c/{comp.id}/org/").status_code == 200
