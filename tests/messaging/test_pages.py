"""The organiser's mail pages: a message with preview and statuses, resending, own texts; a
school's choice of essential mail only; the one-click unsubscribe link."""

import re

from compmgr.messaging.models import MailTemplate, SchoolMailPreference
from compmgr.outbox import FAILED, SENT, OutboxMail
from compmgr.registration import review_services
from compmgr.registration.models import ProjectStatus
from tests.factories import ProjectFactory
from tests.forms import submit
from tests.mailbox import SmtpSink, free_port
from tests.messaging.conftest import mails_to, publish_results


def test_a_message_to_all_schools_with_preview_status_and_resend(app, scene, db, login_as):
    web = login_as(scene.organiser)
    page = web.get(f"/c/{scene.comp.id}/org/mail/messages/new")
    preview = submit(
        page,
        button="Vorschau",
        selection="schools",
        subject="Aufbau am Freitag",
        body="Hallo {{ name }}, der Aufbau für {{ school }} beginnt um 8 Uhr.",
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Die Nachricht geht an 3 Empfänger(innen)" in html
    assert "lehrerin@example.org" in html and "nord@example.org" in html
    assert "Hallo Frau Groß, der Aufbau für Gymnasium Süd" in html
    assert scene.sink.received == []  # a preview sends nothing
    app.config["MAIL_PORT"] = free_port()  # the server is down while the message goes out
    sent = submit(preview, button="Senden")
    assert sent.status_code == 302
    status_page = web.get(sent.headers["Location"])
    assert status_page.get_data(as_text=True).count('data-status="queued"') == 3
    assert scene.sink.received == []
    app.config["MAIL_PORT"] = scene.sink.port
    row = db.session.scalar(db.select(OutboxMail).filter_by(recipient="nord@example.org"))
    row.status, row.last_error = FAILED, "550 5.1.1 Postfach unbekannt"
    db.session.commit()
    status_page = web.get(sent.headers["Location"])
    assert "550 5.1.1 Postfach unbekannt" in status_page.get_data(as_text=True)
    submit(status_page, action=f"/c/{scene.comp.id}/org/mail/{row.id}/resend")
    (mail,) = mails_to(scene.sink, "nord@example.org")
    assert mail["subject"] == "Aufbau am Freitag"
    assert mail["message"]["List-Unsubscribe"]
    db.session.expire_all()
    assert row.status == SENT


def test_a_message_reaches_only_its_selection(app, scene, db, login_as):
    ProjectFactory(competition=scene.comp, school=scene.school, participants=[scene.pupil])
    db.session.commit()
    web = login_as(scene.organiser)
    page = web.get(f"/c/{scene.comp.id}/org/mail/messages/new")
    preview = submit(
        page, button="Vorschau", selection="schools_missing", subject="Fehlt", body="Bitte"
    )
    html = preview.get_data(as_text=True)
    assert "lehrerin@example.org" in html and "nord@example.org" not in html
    judges = submit(page, button="Vorschau", selection="judges", subject="Jury", body="Hallo")
    assert "jurorin@example.org" in judges.get_data(as_text=True)
    broken = submit(page, button="Vorschau", selection="schools", subject="x", body="{{ wer }}")
    assert "lässt sich nicht einsetzen" in broken.get_data(as_text=True)
    assert 'value="x"' in broken.get_data(as_text=True)  # what was typed survives


def test_an_own_text_with_preview_and_the_way_back(app, scene, db, login_as):
    web = login_as(scene.organiser)
    url = f"/c/{scene.comp.id}/org/mail/texts/project_admitted/de"
    page = web.get(url)
    assert "{{ project }}" in page.get_data(as_text=True)
    shown = submit(page, button="Vorschau", body="Gratulation, {{ name }}: {{ project }}!")
    assert "Gratulation, Erika Muster: Die Größe der Schneeflocke!" in shown.get_data(as_text=True)
    bad = submit(page, button="Speichern", body="{{ projekt }}")
    assert "lässt sich nicht einsetzen" in bad.get_data(as_text=True)
    saved = submit(page, button="Speichern", body="Gratulation, {{ name }}: {{ project }}!")
    assert saved.status_code == 302
    project = ProjectFactory(
        competition=scene.comp, school=scene.school, participants=[scene.pupil]
    )
    db.session.commit()
    review_services.set_status(project, ProjectStatus.ADMITTED)
    db.session.commit()
    german, english = (
        mails_to(scene.sink, "lehrerin@example.org"),
        mails_to(scene.sink, "teacher@example.org"),
    )
    assert german[0]["body"].strip() == f"Gratulation, Frau Groß: {project.title}!"
    assert english[0]["subject"].startswith("Admitted")  # the English text is still the default
    submit(web.get(url), button="Zum Standardtext zurück")
    assert db.session.scalar(db.select(db.func.count(MailTemplate.id))) == 0


def test_a_school_chooses_essential_mail_only(app, scene, db, login_as):
    web = login_as(scene.teacher)
    page = web.get(f"/c/{scene.comp.id}/school/mail")
    submit(page, essential_only=True)
    assert db.session.get(SchoolMailPreference, scene.school.id).essential_only


def test_one_click_unsubscribe(app, scene, db, client):
    ProjectFactory(competition=scene.comp, school=scene.school, participants=[scene.pupil])
    publish_results(scene.comp, scene.organiser)
    db.session.commit()
    mail = mails_to(scene.sink, "lehrerin@example.org")[0]
    url = re.search(r"<([^>]+)>", mail["message"]["List-Unsubscribe"]).group(1)
    path = url.split("jufo.example.org", 1)[1]
    answer = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert db.session.get(SchoolMailPreference, scene.school.id).essential_only
    assert client.post("/mail/unsubscribe/forged").status_code == 404


def test_the_outbox_page_shows_mails_without_a_mail_server(app, scene, db, login_as):
    app.config["MAIL_SERVER"] = None
    project = ProjectFactory(
        competition=scene.comp, school=scene.school, participants=[scene.pupil]
    )
    db.session.commit()
    review_services.set_status(project, ProjectStatus.ADMITTED)
    db.session.commit()
    web = login_as(scene.organiser)
    page = web.get(f"/c/{scene.comp.id}/org/mail/").get_data(as_text=True)
    assert "Kein Mailserver eingerichtet" in page
    row = db.session.scalar(db.select(OutboxMail).filter_by(recipient="lehrerin@example.org"))
    shown = web.get(f"/c/{scene.comp.id}/org/mail/{row.id}").get_data(as_text=True)
    assert "ist zum Wettbewerb zugelassen" in shown


def test_an_invitation_link_is_not_readable_in_the_outbox(app, scene, db, login_as):
    from compmgr.auth.invitations import invite_user

    app.config["MAIL_SERVER"] = None
    invite_user("neu@example.org", "Nora Neu", scene.comp, "judge", scene.organiser)
    db.session.commit()
    row = db.session.scalar(db.select(OutboxMail).filter_by(recipient="neu@example.org"))
    assert row.message == b""  # delivered (to the folder): the link is gone from the database
    web = login_as(scene.organiser)
    shown = web.get(f"/c/{scene.comp.id}/org/mail/{row.id}").get_data(as_text=True)
    assert "/invite/" not in shown


def test_another_competitions_mail_is_not_found(app, scene, db, login_as):
    from tests.factories import CompetitionFactory

    other = CompetitionFactory(name="Anderswo")
    db.session.commit()
    project = ProjectFactory(
        competition=scene.comp, school=scene.school, participants=[scene.pupil]
    )
    review_services.set_status(project, ProjectStatus.ADMITTED)
    db.session.commit()
    row = db.session.scalar(db.select(OutboxMail))
    from compmgr.auth.models import Role
    from tests.factories import grant

    grant(scene.organiser, other, Role.ORGANISER)
    db.session.commit()
    web = login_as(scene.organiser)
    assert web.get(f"/c/{other.id}/org/mail/{row.id}").status_code == 404
    _ = SmtpSink


def test_stand_numbers_and_the_days_information(app, scene, db, login_as):
    project = ProjectFactory(
        competition=scene.comp, school=scene.school, participants=[scene.pupil], title="Wasser"
    )
    project.stand = "B07"
    scene.comp.venue = "Stadthalle Würzburg"
    db.session.commit()
    web = login_as(scene.organiser)
    page = web.get(f"/c/{scene.comp.id}/org/mail/")
    submit(page, button="Standnummern an alle Schulen senden", info="Aufbau ab 8 Uhr.")
    (mail,) = mails_to(scene.sink, "lehrerin@example.org")
    assert mail["subject"] == "Ihr Stand bei Regionalwettbewerb Würzburg 2027"
    assert "B07: Wasser" in mail["body"] and "Stadthalle Würzburg" in mail["body"]
    assert "Aufbau ab 8 Uhr." in mail["body"]
    assert mails_to(scene.sink, "nord@example.org") == []  # no project, no stand
