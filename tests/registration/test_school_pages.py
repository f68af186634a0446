"""The school's pages: forms explain mistakes, uploads are checked, schools stay apart."""

import io
from datetime import date

import pytest
from pypdf import PdfReader, PdfWriter

from compmgr.competitions.models import Status
from compmgr.registration.models import Document, Participant, Project
from tests.factories import ParticipantFactory, ProjectFactory, make_pdf
from tests.forms import FormError, submit

PERSON = {
    "first_name": "Lena",
    "last_name": "Müller",
    "birth_date": "2010-05-17",
    "grade": "10",
    "email": "lena@schule.example",
    "consent_participation": True,
}


def url(setup, path=""):
    return f"/c/{setup.comp.id}/school{path}"


def test_school_registers_a_participant(setup, login_as, db):
    web = login_as(setup.user)
    response = submit(web.get(url(setup, "/participants/new")), **PERSON)
    assert response.status_code == 302
    lena = db.session.scalars(db.select(Participant)).one()
    assert lena.school_id == setup.school.id and lena.phone == ""
    assert lena.consents[0].kind == "participation" and lena.consents[0].given_by == "parent"
    page = web.get(url(setup, "/")).get_data(as_text=True)
    assert "Müller, Lena" in page


def test_participant_mistakes_are_explained_next_to_the_field(setup, login_as, db):
    web = login_as(setup.user)
    response = submit(
        web.get(url(setup, "/participants/new")),
        **{**PERSON, "birth_date": "2017-06-01", "grade": "3", "email": "kein-at"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="grade-error"' in html and "ab Klasse 4" in html
    assert 'id="email-error"' in html
    assert 'value="Müller"' in html  # what was typed survives
    response = submit(response, **{**PERSON, "birth_date": "2002-01-01"})
    assert "passt keine Sparte" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0


def test_duplicate_participant_is_refused_with_a_link(setup, login_as, db):
    lena = ParticipantFactory(
        competition_id=setup.comp.id,
        school=setup.school,
        first_name="Lena",
        last_name="Müller",
        birth_date=date(2010, 5, 17),
    )
    db.session.commit()
    web = login_as(setup.user)
    response = submit(web.get(url(setup, "/participants/new")), **{**PERSON, "first_name": "lena"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'/participants/{lena.id}"' in html and "schon angemeldet" in html
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 1


def test_duplicate_from_another_school_gives_no_link(setup, login_as, db):
    ParticipantFactory(
        competition_id=setup.comp.id,
        school=setup.other_school,
        first_name="Lena",
        last_name="Müller",
        birth_date=date(2010, 5, 17),
    )
    db.session.commit()
    page = login_as(setup.user).get(url(setup, "/participants/new"))
    html = submit(page, **PERSON).get_data(as_text=True)
    assert (
        "von einer anderen Schule angemeldet" in html
        and "/participants/" not in html.split("alert-warning")[1][:400]
    )


def _team(setup, n=3):
    return [
        ParticipantFactory(
            competition_id=setup.comp.id,
            school=setup.school,
            first_name=f"P{i}",
            birth_date=date(2010 - i, 5, 17),
        )
        for i in range(n)
    ]


def project_data(setup, team, **kw):
    return {
        "title": "Bioplastik aus Kartoffelschalen",
        "abstract": "Wir kochen Stärke.",
        "subject_id": setup.comp.subjects[2].id,
        "members": [p.id for p in team],
        "speaker_id": team[0].id,
        "supervisor_name": "Frau Weiß",
        "supervisor_email": "weiss@schule.example",
        "needs_power": True,
        **kw,
    }


def new_project(web, setup, team, **kw):
    """Fill in and send the school's "new project" page."""
    return submit(web.get(url(setup, "/projects/new")), **project_data(setup, team, **kw))


def test_school_registers_a_team_of_three_and_sees_the_division_explained(setup, login_as, db):
    team = _team(setup)
    db.session.commit()
    web = login_as(setup.user)
    response = new_project(web, setup, team)
    assert response.status_code == 302, response.get_data(as_text=True)
    project = db.session.scalars(db.select(Project)).one()
    assert [p.id for p in project.participants] == [p.id for p in team]
    assert project.speaker.id == team[0].id and project.division.code == "jf"
    html = web.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sparte Jugend forscht, weil P2 Müller am 31.12.2026 18 Jahre alt ist." in html


def test_team_rules_are_enforced_on_the_server(setup, login_as, db):
    team = _team(setup, 4)
    other = ParticipantFactory(
        competition_id=setup.comp.id, school=setup.other_school, first_name="X"
    )
    db.session.commit()
    web = login_as(setup.user)
    html = new_project(web, setup, team).get_data(as_text=True)
    assert "höchstens 3 Mitglieder" in html
    html = new_project(web, setup, team[:2], speaker_id=team[3].id).get_data(as_text=True)
    assert "muss zum Team gehören" in html
    with pytest.raises(FormError, match="offers"):
        new_project(web, setup, [team[0], other])  # the page lists the school's own pupils only
    response = web.post_raw(url(setup, "/projects/new"), project_data(setup, [team[0], other]))
    assert response.status_code == 422  # another school's pupil is not a valid choice
    html = new_project(web, setup, team[:1], abstract="x" * 1501).get_data(as_text=True)
    assert "1501 Zeichen" in html
    assert db.session.scalar(db.select(db.func.count(Project.id))) == 0


def test_participant_in_a_second_project_is_refused(setup, login_as, db):
    team = _team(setup, 1)
    ProjectFactory(
        competition=setup.comp, school=setup.school, participants=team, title="Erstes Projekt"
    )
    db.session.commit()
    html = new_project(login_as(setup.user), setup, team).get_data(as_text=True)
    assert "schon im Projekt „Erstes Projekt“ angemeldet" in html
    assert db.session.scalar(db.select(db.func.count(Project.id))) == 1


def test_closed_registration_saves_nothing(setup, login_as, db):
    team = _team(setup, 1)
    db.session.commit()
    web = login_as(setup.user)
    person_page = web.get(url(setup, "/participants/new"))  # opened before the deadline
    project_page = web.get(url(setup, "/projects/new"))
    setup.comp.registration_deadline = date(2020, 11, 30)
    db.session.commit()
    closed = web.get(url(setup, "/participants/new"))  # now the page says why, with no fields
    assert "Der Anmeldeschluss war am 30.11.2020" in closed.get_data(as_text=True)
    with pytest.raises(FormError):
        submit(closed, **PERSON)
    with pytest.raises(FormError):
        new_project(web, setup, team)
    response = submit(person_page, **PERSON)
    assert response.status_code == 302
    assert "geschlossen" in web.get(url(setup, "/")).get_data(as_text=True)
    html = submit(project_page, **project_data(setup, team)).get_data(as_text=True)
    assert "Anmeldung ist geschlossen" in html
    assert db.session.scalar(db.select(db.func.count(Project.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 1


def _upload(web, setup, project, data, kind="paper", name="arbeit.pdf"):
    """Upload through the project page's form for that kind of document."""
    return _upload_with(web.get(url(setup, f"/projects/{project.id}")), data, kind, name)


def _upload_with(page, data, kind="paper", name="arbeit.pdf"):
    return submit(page, having={"kind": kind}, file=(io.BytesIO(data), name), follow_redirects=True)


def _encrypted_pdf():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt("geheim")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_paper_upload_checks_the_content(setup, login_as, db):
    project = ProjectFactory(
        competition=setup.comp, school=setup.school, participants=_team(setup, 1)
    )
    setup.comp.paper_max_mb = 1
    db.session.commit()
    web = login_as(setup.user)
    cases = [
        (b"", "Die Datei ist leer"),
        (b"PK\x03\x04 not a pdf", "keine PDF-Datei"),
        (b"%PDF-1.4\n garbage garbage", "beschädigt"),
        (_encrypted_pdf(), "Passwort"),
        (b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), "erlaubt sind höchstens 1 MB"),
    ]
    for data, message in cases:
        html = _upload(web, setup, project, data, name="arbeit.pdf").get_data(as_text=True)
        assert message in html, message
    assert db.session.scalar(db.select(db.func.count(Document.id))) == 0
    # a real PDF named .docx is accepted: the content counts, not the name
    html = _upload(web, setup, project, make_pdf(2), name="arbeit.docx").get_data(as_text=True)
    assert "2 Seiten" in html
    doc = db.session.scalars(db.select(Document)).one()
    assert doc.page_count == 2 and doc.stored_name != "arbeit.docx" and doc.stored_name.isalnum()


def test_paper_page_warning_and_replacement(setup, login_as, db, app):
    from compmgr import storage

    project = ProjectFactory(
        competition=setup.comp, school=setup.school, participants=_team(setup, 1)
    )
    db.session.commit()
    web = login_as(setup.user)
    html = _upload(web, setup, project, make_pdf(17)).get_data(as_text=True)
    assert "Die Arbeit hat 17 Seiten. Erlaubt sind 15 Seiten Haupttext" in html
    first = db.session.scalars(db.select(Document)).one().stored_name
    _upload(web, setup, project, make_pdf(3))
    doc = db.session.scalars(db.select(Document)).one()
    assert doc.page_count == 3 and doc.stored_name != first
    assert not storage.exists(first) and storage.exists(doc.stored_name)
    response = web.get(url(setup, f"/projects/{project.id}/document"))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_paper_upload_closes_after_the_paper_deadline(setup, login_as, db):
    project = ProjectFactory(
        competition=setup.comp, school=setup.school, participants=_team(setup, 1)
    )
    db.session.commit()
    web = login_as(setup.user)
    stale = web.get(url(setup, f"/projects/{project.id}"))  # opened before the deadline
    setup.comp.paper_deadline = date(2020, 1, 15)
    db.session.commit()
    with pytest.raises(FormError):
        _upload(web, setup, project, make_pdf())  # the page no longer offers the upload
    html = _upload_with(stale, make_pdf()).get_data(as_text=True)
    assert "Abgabefrist für die schriftliche Arbeit ist vorbei" in html
    assert db.session.scalar(db.select(db.func.count(Document.id))) == 0


def test_uploads_frozen_in_judging(setup, login_as, db):
    project = ProjectFactory(
        competition=setup.comp,
        school=setup.school,
        participants=_team(setup, 1),
        involves_animals=True,
    )
    db.session.commit()
    web = login_as(setup.user)
    stale = web.get(url(setup, f"/projects/{project.id}"))  # opened before judging began
    setup.comp.status = Status.JUDGING
    db.session.commit()
    for kind in ("paper", "animal_form"):
        with pytest.raises(FormError):
            _upload(web, setup, project, make_pdf(), kind=kind)
        _upload_with(stale, make_pdf(), kind=kind)
    assert db.session.scalar(db.select(db.func.count(Document.id))) == 0


def test_school_b_cannot_read_or_change_school_a_data(setup, login_as, db):
    from tests.factories import make_document

    team = _team(setup, 1)
    project = ProjectFactory(competition=setup.comp, school=setup.school, participants=team)
    make_document(project)
    db.session.commit()
    web = login_as(setup.other_user)
    for path in (
        f"/participants/{team[0].id}",
        f"/projects/{project.id}",
        f"/projects/{project.id}/document",
        f"/projects/{project.id}/document?kind=paper",
    ):
        assert web.get(url(setup, path)).status_code == 404, path
    # forged: no page shows school B these forms
    assert (
        web.post_raw(
            url(setup, f"/participants/{team[0].id}"), {**PERSON, "first_name": "Gehackt"}
        ).status_code
        == 404
    )
    assert (
        web.post_raw(
            url(setup, f"/projects/{project.id}"), project_data(setup, team, title="Gehackt")
        ).status_code
        == 404
    )
    response = web.post_raw(
        url(setup, f"/projects/{project.id}/upload"),
        {"kind": "paper", "file": (io.BytesIO(make_pdf()), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 404
    db.session.refresh(team[0])
    db.session.refresh(project)
    assert team[0].first_name == "P0" and project.title != "Gehackt"
    html = web.get(url(setup, "/")).get_data(as_text=True)
    assert "P0" not in html and project.title not in html
    # another competition's id in the URL does not help either
    assert web.get(f"/c/{setup.comp.id + 1}/school/projects/{project.id}").status_code in (403, 404)


def test_confirmation_pdf_has_umlauts_and_the_team(setup, login_as, db):
    team = _team(setup, 2)
    team[0].first_name = "Jürgen"
    ProjectFactory(
        competition=setup.comp,
        school=setup.school,
        participants=team,
        title="Größenmessung im Straßenverkehr",
    )
    db.session.commit()
    web = login_as(setup.user)
    assert "Größenmessung" in web.get(url(setup, "/confirmation")).get_data(as_text=True)
    response = web.get(url(setup, "/confirmation.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = reader.pages[0].extract_text()
    assert "Größenmessung im Straßenverkehr" in text and "Jürgen Müller" in text
    assert "Gymnasium am Weißen Berg" in text
    fonts = str(reader.pages[0]["/Resources"]["/Font"].get_object())
    assert (
        "Vera"
        in str(
            [f.get_object()["/BaseFont"] for f in reader.pages[0]["/Resources"]["/Font"].values()]
        )
        or "Vera" in fonts
    )


def test_the_school_comes_with_the_user_in_one_statement(setup, login_as, db):
    """User, session, grants with their schools and the competition: the user loader's one
    statement (sessions.preloads); no page of the school reads its school again by id."""
    from sqlalchemy import event

    web = login_as(setup.user)
    web.get(url(setup, "/"))
    seen = []

    def note(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        page = web.get(url(setup, "/")).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert setup.school.name in page
    loader = [s for s in seen if "FROM users JOIN user_sessions" in s]
    assert len(loader) == 1 and "JOIN schools" in loader[0] and "JOIN competitions" in loader[0]
    by_id = [s for s in seen if s.startswith("SELECT schools.id") and "WHERE schools.id =" in s]
    assert not by_id, by_id
