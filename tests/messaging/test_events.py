"""Each event sends its mail, through the outbox, to a real SMTP server, in the reader's language."""

from datetime import date

from compmgr.auth.invitations import invite_user
from compmgr.auth.models import Role
from compmgr.registration import review_services, services
from compmgr.registration.models import ProjectStatus
from compmgr.results.services import lock_jury
from compmgr.signals import project_corrected
from tests.factories import ProjectFactory, UserFactory, assign
from tests.messaging.conftest import mails_to, publish_results


def _project(scene, db, **kw):
    project = ProjectFactory(
        competition=scene.comp, school=scene.school, participants=[scene.pupil], **kw
    )
    db.session.commit()
    scene.sink.received.clear()
    return project


def test_registration_received_goes_to_every_school_account_with_the_pdf(scene, db):
    services.save_project(
        scene.comp,
        scene.school,
        None,
        {"title": "Die Größe der Schneeflocke", "subject_id": scene.comp.subjects[0].id},
        [scene.pupil],
        scene.pupil,
        on=date(2026, 10, 1),
    )
    assert scene.sink.received == []  # queued with the action, sent once it is committed
    db.session.commit()
    (de,) = mails_to(scene.sink, "lehrerin@example.org")
    (en,) = mails_to(scene.sink, "teacher@example.org")
    assert mails_to(scene.sink, "nord@example.org") == []
    assert de["subject"] == "Anmeldung eingegangen: Die Größe der Schneeflocke"
    assert "Hallo Frau Groß" in de["body"] and "Gymnasium Süd" in de["body"]
    assert "https://jufo.example.org/c/" in de["body"]
    assert en["subject"] == "Registration received: Die Größe der Schneeflocke"
    (pdf,) = list(de["message"].iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content().startswith(b"%PDF")


def test_admitted_rejected_withdrawn_moved_promoted(scene, db):
    project = _project(scene, db, title="Licht im Wasser")
    review_services.set_status(project, ProjectStatus.ADMITTED)
    db.session.commit()
    review_services.set_status(project, ProjectStatus.REJECTED, "Thema doppelt eingereicht")
    db.session.commit()
    review_services.set_status(project, ProjectStatus.WITHDRAWN, "Krank")
    db.session.commit()
    review_services.move_subject(scene.comp, project, scene.comp.subjects[1].id)
    db.session.commit()
    subjects = [m["subject"] for m in mails_to(scene.sink, "lehrerin@example.org")]
    assert subjects == [
        "Zugelassen: Licht im Wasser",
        "Nicht zugelassen: Licht im Wasser",
        "Zurückgezogen: Licht im Wasser",
        "Neues Fachgebiet: Licht im Wasser",
    ]
    rejected = mails_to(scene.sink, "lehrerin@example.org")[1]
    assert "Thema doppelt eingereicht" in rejected["body"]


def test_promotion_sends_the_new_division_and_reason(scene, db):
    young = scene.pupil
    young.birth_date = date(2014, 3, 1)
    young.grade = 7
    project = _project(scene, db, title="Junge Forschung")
    assert project.division.code == "junior"
    review_services.promote(scene.comp, project, "Weit über dem Alter")
    db.session.commit()
    (mail, _en) = [m for m in scene.sink.received if "Hochgestuft" in m["subject"]] + [None]
    assert "Jugend forscht" in mail["body"] and "Weit über dem Alter" in mail["body"]


def test_a_correction_by_the_organiser_is_announced(scene, db):
    project = _project(scene, db, title="Licht im Wasser")
    project_corrected.send(project, changes=["Kurzfassung", "Betreuer(in)"])
    db.session.commit()
    (mail,) = mails_to(scene.sink, "lehrerin@example.org")
    assert mail["subject"] == "Projekt geändert: Licht im Wasser"
    assert "Kurzfassung, Betreuer(in)" in mail["body"]


def test_results_published_links_the_certificates(scene, db):
    _project(scene, db)
    publish_results(scene.comp, scene.organiser)
    db.session.commit()
    (mail,) = mails_to(scene.sink, "lehrerin@example.org")
    assert "/print/school" in mail["body"]
    assert mail["message"]["List-Unsubscribe"]  # not essential: the school may opt out
    assert mails_to(scene.sink, "nord@example.org") == []  # no project, no results


def test_the_invitation_names_competition_role_and_inviter(scene, db):
    invite_user("neu@example.org", "Nora Neu", scene.comp, Role.JUDGE, scene.organiser)
    db.session.commit()
    (mail,) = mails_to(scene.sink, "neu@example.org")
    assert "Regionalwettbewerb Würzburg" in mail["subject"]
    assert "Juror" in mail["subject"]
    assert "Erika Leitung (leitung@example.org)" in mail["body"]
    assert "https://jufo.example.org/invite/" in mail["body"]


def test_an_offer_to_an_existing_account(scene, db):
    UserFactory(email="alt@example.org", name="Alma Alt")
    invite_user("alt@example.org", "Alma Alt", scene.comp, Role.JUDGE, scene.organiser)
    db.session.commit()
    (mail,) = mails_to(scene.sink, "alt@example.org")
    assert mail["subject"].startswith("Neue Rolle")
    assert "Erika Leitung" in mail["body"]


def test_the_jury_locked(scene, db):
    project = _project(scene, db)
    assign(scene.judge, project)
    db.session.commit()
    lock_jury(scene.jury, [], scene.organiser)
    db.session.commit()
    (mail,) = mails_to(scene.sink, "jurorin@example.org")
    assert mail["subject"] == f"Jury abgeschlossen: {scene.jury.name}"


def test_the_first_assignment_carries_the_schedule_as_pdf_and_ics(scene, db):
    from compmgr.signals import assignments_changed

    project = _project(scene, db, title="Licht im Wasser")
    project.stand = "B01"
    assign(scene.judge, project)
    assignments_changed.send(scene.comp, added={(scene.judge.id, project.id)}, removed=set())
    db.session.commit()
    (mail,) = mails_to(scene.sink, "jurorin@example.org")
    assert "B01 Licht im Wasser" in mail["body"]
    names = [a.get_filename() for a in mail["message"].iter_attachments()]
    assert names == ["Besuchsplan.pdf"]  # no visit times planned yet: no calendar file


def test_a_changed_list_names_what_came_and_went(scene, db):
    from compmgr.signals import assignments_changed

    first = _project(scene, db, title="Licht im Wasser")
    second = _project(scene, db, title="Schall im Holz")
    assign(scene.judge, first)
    assign(scene.judge, second)
    assignments_changed.send(
        scene.comp, added={(scene.judge.id, second.id)}, removed={(scene.judge.id, 999)}
    )
    db.session.commit()
    (mail,) = mails_to(scene.sink, "jurorin@example.org")
    assert mail["subject"] == "Ihre Projektliste hat sich geändert"
    assert "Schall im Holz" in mail["body"]
