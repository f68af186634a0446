"""Subject access: one person's data as JSON and PDF; deletion on request with consequences."""

import io
import json

from pypdf import PdfReader

from compmgr import storage
from compmgr.audit.models import AccessLogEntry
from compmgr.registration.models import Document, Participant, Project
from tests.forms import submit
from tests.privacy.scene import published_competition


def _url(s, person, tail=""):
    return f"/c/{s.comp.id}/org/privacy/participants/{person.id}{tail}"


def test_json_export_holds_everything_about_one_person(login_as, db):
    s = published_competition()
    web = login_as(s.org)
    response = web.get(_url(s, s.lena, "/export.json"))
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert (
        data["participant"]["first_name"] == "Lena" and data["participant"]["last_name"] == "Weiß"
    )
    assert data["participant"]["birth_date"] == "2003-03-01"
    assert data["participant"]["email"] == "lena@example.org"
    assert data["participant"]["phone"] == "0171 1234567"
    assert data["school"]["name"] == "Gymnasium am Weißen Berg"
    assert {(c["kind"], c["granted"], c["given_by"]) for c in data["consents"]} == {
        ("participation", True, "parent"),
        ("photos", True, "parent"),
        ("publication", True, "parent"),
    }
    (project,) = data["projects"]
    assert project["title"] == "Mikroplastik in der Neiße" and project["is_speaker"] is True
    assert project["decision"] == {"place": 1, "prize": 1, "qualified": True}
    assert project["documents"][0]["file_name"] == "arbeit.pdf"
    assert "Jörg" not in json.dumps(data, ensure_ascii=False)  # nothing about the team mate
    assert data["access_log"][0]["action"] == "export"  # the export itself is on record


def test_pdf_export_is_readable_with_umlauts(login_as, db):
    s = published_competition()
    web = login_as(s.org)
    response = web.get(_url(s, s.oemer, "/export.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Ömer" in text and "Öztürk" in text and "07.07.2003" in text
    assert "oemer@example.org" in text and "Bienen im Stadtpark" in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert any("Vera" in str(f.get_object()["/BaseFont"]) for f in fonts.values())


def test_other_competitions_organiser_cannot_export(login_as, db):
    from compmgr.auth.models import Role
    from tests.factories import CompetitionFactory, UserFactory, grant

    s = published_competition()
    other = grant(
        UserFactory(email="other@example.org"), CompetitionFactory(name="Anderswo"), Role.ORGANISER
    )
    web = login_as(other)
    assert web.get(_url(s, s.lena, "/export.json")).status_code == 403


def test_delete_shows_consequences_first_then_deletes(login_as, db):
    s = published_competition()
    lena_id, url = s.lena.id, _url(s, s.lena, "/delete")
    web = login_as(s.org)
    form = web.get(url)
    page = form.get_data(as_text=True)
    assert "„Mikroplastik in der Neiße“ verliert ein Mitglied" in page
    assert "Jörg Groß wird Gruppensprecher(in)." in page
    assert db.session.get(Participant, lena_id) is not None  # looking deletes nothing
    refused = submit(form)  # the box left unticked
    assert refused.status_code == 422 and "Bitte bestätigen" in refused.get_data(as_text=True)
    assert db.session.get(Participant, lena_id) is not None
    done = submit(refused, confirm=True)
    assert done.status_code == 302
    assert db.session.get(Participant, lena_id) is None
    winner = db.session.get(Project, s.winner.id)
    assert [m.participant.first_name for m in winner.members] == ["Jörg"]
    assert winner.members[0].is_speaker
    entry = db.session.execute(db.select(AccessLogEntry).filter_by(action="delete")).scalar_one()
    assert entry.participant_id == lena_id and entry.user_id == s.org.id


def test_deleting_the_last_member_removes_the_project_and_its_files(login_as, db):
    s = published_competition()
    loser_id, url = s.loser.id, _url(s, s.anna, "/delete")
    doc = db.session.execute(db.select(Document).filter_by(project_id=loser_id)).scalar_one()
    stored, doc_id = doc.stored_name, doc.id
    assert storage.exists(stored)
    web = login_as(s.org)
    form = web.get(url)
    page = form.get_data(as_text=True)
    assert "„Kupfer im Regenwasser“ hat danach niemanden mehr" in page
    assert "„arbeit.pdf“ wird gelöscht" in page
    assert submit(form, confirm=True).status_code == 302
    assert db.session.get(Project, loser_id) is None
    assert not storage.exists(stored)
    assert db.session.get(Document, doc_id) is None
