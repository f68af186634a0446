"""Next level: export of the qualified projects and import into a Landeswettbewerb."""

import csv
import io
from datetime import date

from openpyxl import load_workbook

from compmgr.auth.models import Role
from compmgr.competitions.models import Level
from compmgr.extensions import db
from compmgr.registration.models import Participant, Project, School
from compmgr.results.nextlevel import export_rows, import_rows, read_table, to_csv
from compmgr.spreadsheets import escape_cell
from tests.factories import CompetitionFactory, UserFactory, grant
from tests.forms import submit
from tests.results.helpers import judged_competition


def _csv_rows(body):
    assert body.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_escape_defuses_every_formula_start():
    for text in ("=1+1", "+49 170", "-5", "@SUM(A1)", "\tx", "\rx"):
        assert escape_cell(text) == "'" + text
    assert escape_cell("Wasser") == "Wasser" and escape_cell(11) == 11


def test_csv_export_lists_qualified_projects_of_locked_juries_with_their_team(db, login_as):
    w = judged_competition()
    response = login_as(w.org).get(f"/c/{w.comp.id}/org/publish/qualified.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = _csv_rows(response.data)
    assert header[:5] == ["Projektschlüssel", "Wettbewerb", "Fachgebiet", "Sparte", "Projekttitel"]
    assert len(rows) == 2  # the winner's two members; the unlocked Chemie jury is left out
    record = dict(zip(header, rows[0], strict=True))
    assert record["Projektschlüssel"] == f"RW{w.comp.id}-{w.winner.id}"
    assert record["Projekttitel"] == "'=Mikroplastik in der Neiße"  # formula escaped
    assert record["Kurzfassung"] == "Wir zählen Partikel – ß, ä."
    assert (record["Vorname"], record["Nachname"]) == ("Lena", "Weiß")
    assert record["Geburtsdatum"] == "01.03.2009"
    assert (record["Schule"], record["Ort"]) == ("Gymnasium am Weißen Berg", "Görlitz")
    assert record["Betreuer(in)"] == "Frau Müller"
    assert record["Fachgebiet"] == "Biologie" and record["Gruppensprecher(in)"] == "ja"
    assert dict(zip(header, rows[1], strict=True))["Vorname"] == "Jörg"


def test_xlsx_export_has_escaped_text_and_real_dates(db, login_as):
    w = judged_competition()
    response = login_as(w.org).get(f"/c/{w.comp.id}/org/publish/qualified.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in ws[1]]
    first = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert first["Projekttitel"] == "'=Mikroplastik in der Neiße"
    assert ws.cell(row=2, column=header.index("Projekttitel") + 1).data_type == "s"  # not a formula
    assert first["Geburtsdatum"].date() == date(2009, 3, 1)
    assert first["Nachname"] == "Weiß"


def _state_competition(name="Landeswettbewerb Sachsen"):
    comp = CompetitionFactory(name=name, level=Level.STATE)
    org = grant(UserFactory(email="land@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    return comp, org


def _upload(web, comp, body, filename, **extra):
    page = web.get(f"/c/{comp.id}/org/publish/import")
    return submit(page, file=(io.BytesIO(body), filename), **extra)


def test_round_trip_into_a_landeswettbewerb_and_reimport_adds_nothing(db, client, login_as):
    w = judged_competition()
    web = login_as(w.org)
    xlsx = web.get(f"/c/{w.comp.id}/org/publish/qualified.xlsx").data
    csv_body = web.get(f"/c/{w.comp.id}/org/publish/qualified.csv").data
    web.logout()  # the state's organiser does not lead the regional competition
    state, state_org = _state_competition()
    web = login_as(state_org)

    response = _upload(web, state, xlsx, "regionalsieger.xlsx")
    assert response.status_code == 302, response.get_data(as_text=True)
    follow = web.get(response.headers["Location"]).get_data(as_text=True)
    assert "Importiert: 1 Projekt neu, 0 Projekte schon vorhanden." in follow
    projects = (
        db.session.execute(db.select(Project).filter_by(competition_id=state.id)).scalars().all()
    )
    assert len(projects) == 1
    project = projects[0]
    assert project.key == f"RW{w.comp.id}-{w.winner.id}"
    assert project.title == "=Mikroplastik in der Neiße"  # the escape is undone
    assert project.abstract == "Wir zählen Partikel – ß, ä."
    assert project.subject.name == "Biologie" and project.subject.competition_id == state.id
    assert project.division is not None and project.division.code == "jf"
    assert project.supervisor_name == "Frau Müller"
    assert [(m.participant.full_name, m.is_speaker) for m in project.members] == [
        ("Lena Weiß", True),
        ("Jörg Groß", False),
    ]
    assert project.members[0].participant.birth_date == date(2009, 3, 1)
    assert project.members[0].participant.grade == 11
    assert project.members[0].participant.email == w.lena.email
    assert project.school.label == "Gymnasium am Weißen Berg, Görlitz"

    response = _upload(web, state, csv_body, "regionalsieger.csv")  # the same data again, as CSV
    assert response.status_code == 302
    follow = web.get(response.headers["Location"]).get_data(as_text=True)
    assert "Importiert: 0 Projekte neu, 1 Projekt schon vorhanden." in follow
    count = lambda model: db.session.execute(  # noqa: E731
        db.select(db.func.count()).select_from(model).filter_by(competition_id=state.id)
    ).scalar()
    assert (count(Project), count(Participant), count(School)) == (1, 2, 1)


def test_import_into_the_wrong_level_needs_a_confirmation(db, login_as):
    w = judged_competition()
    body = to_csv(export_rows(w.comp))
    other = CompetitionFactory(name="Regionalwettbewerb Nord")  # same level: no next level
    org = grant(UserFactory(email="nord@example.org"), other, Role.ORGANISER)
    db.session.commit()
    web = login_as(org)
    response = _upload(web, other, body, "export.csv")
    assert response.status_code == 422
    assert "führt nicht zu" in response.get_data(as_text=True)
    assert db.session.execute(db.select(Project).filter_by(competition_id=other.id)).first() is None
    response = _upload(web, other, body, "export.csv", accept_level=True)
    assert response.status_code == 302
    assert (
        db.session.execute(db.select(Project).filter_by(competition_id=other.id)).first()
        is not None
    )


def test_a_file_with_a_bad_row_imports_nothing_and_lists_the_row(db, login_as):
    w = judged_competition()
    rows = export_rows(w.comp)
    rows[1]["birth_date"] = "31.02.2010"
    state, state_org = _state_competition()
    response = _upload(login_as(state_org), state, to_csv(rows), "export.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nichts wurde importiert" in html and "<td>3</td>" in html
    assert "Das Geburtsdatum fehlt oder ist kein Datum wie 17.05.2010." in html
    assert db.session.execute(db.select(Project).filter_by(competition_id=state.id)).first() is None
    assert db.session.execute(db.select(School).filter_by(competition_id=state.id)).first() is None


def test_unknown_subject_and_missing_columns_are_reported(db):
    w = judged_competition()
    state = CompetitionFactory(name="Landeswettbewerb", level=Level.STATE)
    rows = export_rows(w.comp)
    rows[0]["subject"] = "Astrologie"
    result = import_rows(state, read_table(to_csv(rows)))
    assert result.errors == [(2, "Das Fachgebiet „Astrologie“ gibt es in diesem Wettbewerb nicht.")]
    try:
        read_table(b"Projekttitel;Vorname\nA;B\n")
    except ValueError as exc:
        assert "Es fehlen Spalten" in str(exc) and "Projektschlüssel" in str(exc)
    else:
        raise AssertionError("missing columns not reported")


def test_errors_name_the_row_excel_shows_even_with_line_breaks_in_cells(db):
    w = judged_competition()
    rows = export_rows(w.comp)
    for row in rows:
        row["abstract"] = "Erste Zeile.\nZweite Zeile.\nDritte Zeile."
    rows[1]["birth_date"] = "31.02.2010"  # the second team member: row 3 in Excel
    state = CompetitionFactory(name="Landeswettbewerb", level=Level.STATE)
    result = import_rows(state, read_table(to_csv(rows)))
    assert [line for line, _message in result.errors] == [3]


def test_a_file_saved_again_by_german_excel_still_imports(db):
    """Excel saves CSV as Windows-1252 without BOM: umlauts and ß must survive that too."""
    w = judged_competition()
    resaved = to_csv(export_rows(w.comp)).decode("utf-8-sig").encode("cp1252")
    state = CompetitionFactory(name="Landeswettbewerb", level=Level.STATE)
    result = import_rows(state, read_table(resaved))
    assert result.errors == [] and result.created == 1
    project = db.session.execute(db.select(Project).filter_by(competition_id=state.id)).scalar_one()
    assert project.abstract == "Wir zählen Partikel – ß, ä."
    assert project.school.label == "Gymnasium am Weißen Berg, Görlitz"


def test_the_export_also_passes_the_ordinary_registration_import(db):
    from compmgr.registration.imports import import_file

    w = judged_competition()
    state = CompetitionFactory(name="Landeswettbewerb", level=Level.STATE)
    result = import_file(state, to_csv(export_rows(w.comp)))
    assert result.counts["projects_created"] == 1 and result.counts["participants_created"] == 2
    project = db.session.execute(db.select(Project).filter_by(competition_id=state.id)).scalar_one()
    assert project.key == f"RW{w.comp.id}-{w.winner.id}"


def test_next_level_export_is_written_to_the_access_log(db, login_as):
    """Names, birth dates and e-mails leave the system: the access log says who took them."""
    from compmgr.audit.models import AccessLogEntry

    w = judged_competition()
    assert login_as(w.org).get(f"/c/{w.comp.id}/org/publish/qualified.csv").status_code == 200
    entries = (
        db.session.execute(db.select(AccessLogEntry).filter_by(action="export")).scalars().all()
    )
    assert [e.user_id for e in entries] == [w.org.id]
    assert entries[0].endpoint == "results.export_qualified"
