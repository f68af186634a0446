"""Bidi controls (RTL override and friends) never reach names and titles: form, import, ORM."""

import pytest

from compmgr.auth.models import User
from compmgr.registration import imports
from compmgr.registration.models import Participant, Project, School
from compmgr.results.models import SpecialPrize
from compmgr.text import BIDI_CONTROLS
from tests.factories import ParticipantFactory
from tests.forms import submit
from tests.registration.conftest import setup  # noqa: F401  (the fixture)
from tests.registration.test_import_export import GOOD, csv_bytes

RLO, PDF_, LRI, PDI, RLM, ALM = "\u202e", "\u202c", "\u2066", "\u2069", "\u200f", "\u061c"


def spoof(text):
    """Wrap the tail of text in an RTL override, as an attacker would ("Lena" + RLO + "rüM")."""
    return text[:2] + RLO + text[2:][::-1] + PDF_ + LRI + PDI + RLM + ALM


def plain(text):
    return text.translate({ord(c): None for c in BIDI_CONTROLS})


def clean(*values):
    return not any(ch in BIDI_CONTROLS for v in values for ch in (v or ""))


def test_every_listed_bidi_control_is_stripped():
    assert {f"{cp:04X}" for cp in map(ord, BIDI_CONTROLS)} == {
        "061C",
        "200E",
        "200F",
        "202A",
        "202B",
        "202C",
        "202D",
        "202E",
        "2066",
        "2067",
        "2068",
        "2069",
    }


def test_a_school_cannot_spoof_participant_and_project_names(setup, login_as, db):  # noqa: F811
    web = login_as(setup.user)
    base = f"/c/{setup.comp.id}/school"
    person = {
        "first_name": spoof("Lena"),
        "last_name": spoof("Müller"),
        "birth_date": "2010-05-17",
        "grade": "10",
        "email": "lena@schule.example",
        "phone": "0151 " + RLO + "123",
        "consent_participation": True,
    }
    submit(web.get(f"{base}/participants/new"), **person)
    lena = db.session.scalars(db.select(Participant)).one()
    assert clean(lena.first_name, lena.last_name)
    assert lena.first_name.startswith("Le") and lena.last_name.startswith("Mü")
    response = submit(
        web.get(f"{base}/projects/new"),
        title=spoof("Bioplastik aus Kartoffelschalen"),
        abstract=spoof("Wir kochen Stärke."),
        subject_id=setup.comp.subjects[2].id,
        members=[lena.id],
        speaker_id=lena.id,
        supervisor_name=spoof("Frau Weiß"),
        supervisor_email="weiss@schule.example",
    )
    assert response.status_code == 302
    project = db.session.scalars(db.select(Project)).one()
    assert clean(project.title, project.abstract, project.supervisor_name)
    page = web.get(f"{base}/").get_data(as_text=True)
    assert clean(page)  # the list shows the order that is stored and sorted, not a disguise
    assert f"{plain(spoof('Müller'))}, {plain(spoof('Lena'))}" in page


def test_a_name_of_bidi_controls_only_counts_as_empty(setup, login_as, db):  # noqa: F811
    web = login_as(setup.user)
    response = submit(
        web.get(f"/c/{setup.comp.id}/school/participants/new"),
        first_name=RLO + LRI + PDI,
        last_name="Müller",
        birth_date="2010-05-17",
        grade="10",
        email="lena@schule.example",
        consent_participation=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="first_name-error"' in html
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0


def test_an_organiser_cannot_spoof_a_special_prize(setup, login_as, db):  # noqa: F811
    web = login_as(setup.organiser)
    response = submit(
        web.get(f"/c/{setup.comp.id}/org/prizes"),
        name=spoof("Sonderpreis Umwelt"),
        sponsor=spoof("Stadtwerke"),
        amount="150 €",
        description=spoof("Für Nachhaltigkeit"),
    )
    assert response.status_code == 302
    prize = db.session.scalars(db.select(SpecialPrize)).one()
    assert clean(prize.name, prize.sponsor, prize.description)


def test_passwords_keep_every_character(app):
    from compmgr.auth.forms import LoginForm

    with app.test_request_context(
        method="POST", data={"email": "a@example.org", "password": "geheim" + RLO + "passwort"}
    ):
        form = LoginForm(meta={"csrf": False})
        assert form.password.data == "geheim" + RLO + "passwort"
        assert form.email.data == "a@example.org"


def test_the_import_strips_bidi_controls_from_every_cell(setup, db):  # noqa: F811
    rows = [
        [spoof(c) if i in (1, 3, 4, 5, 8, 9, 10) else c for i, c in enumerate(row)] for row in GOOD
    ]
    result = imports.import_file(setup.comp, csv_bytes(rows))
    db.session.commit()
    assert result.counts["participants_created"] == 3
    people = db.session.scalars(db.select(Participant)).all()
    assert all(clean(p.first_name, p.last_name) for p in people)
    assert all(
        clean(p.title, p.abstract, p.supervisor_name)
        for p in db.session.scalars(db.select(Project))
    )
    assert all(clean(s.name, s.city) for s in db.session.scalars(db.select(School)))
    assert sorted(p.last_name for p in people) == sorted(plain(spoof(r[5])) for r in GOOD)


def test_the_import_refuses_a_name_of_bidi_controls_only(setup, db):  # noqa: F811
    rows = [list(GOOD[2])]
    rows[0][4] = RLO + PDF_
    with pytest.raises(imports.ImportFailed) as info:
        imports.import_file(setup.comp, csv_bytes(rows))
    assert [line for line, _message in info.value.errors] == [2]
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0


def test_whatever_writes_through_the_models_stores_no_bidi_controls(setup, db, runner):  # noqa: F811
    person = ParticipantFactory(
        competition_id=setup.comp.id,
        school=setup.school,
        first_name=spoof("Jörg"),
        last_name=spoof("Groß"),
    )
    person.last_name = RLO + "Weiß"
    db.session.commit()
    assert (person.first_name, person.last_name) == (plain(spoof("Jörg")), "Weiß")
    result = runner.invoke(
        args=[
            "init",
            "--email",
            "chef@example.org",
            "--name",
            spoof("Chefin"),
            "--password",
            "ein langes passwort",
        ]
    )
    assert result.exit_code == 0, result.output
    admin = db.session.scalars(db.select(User).filter_by(email="chef@example.org")).one()
    assert admin.name == plain(spoof("Chefin"))


def test_a_judges_note_sent_by_autosave_stores_and_audits_no_bidi_controls(db, web):
    from compmgr.audit.models import AuditEntry
    from compmgr.judging.models import Review
    from tests.judging.scene import build_scene
    from tests.judging.test_scoring import _autosave

    scene = build_scene(n_projects=1, n_judges=1)
    web.login(scene.users[0].email)
    answer = _autosave(
        web, scene, scene.projects[0], {"values": {}, "note": "Gut \u202eettorap\u202c gemacht"}
    )
    assert answer.status_code == 200 and answer.get_json()["note"] == "Gut ettorap gemacht"
    assert db.session.scalars(db.select(Review.note)).one() == "Gut ettorap gemacht"
    (entry,) = db.session.scalars(db.select(AuditEntry).filter_by(action="review.note")).all()
    assert entry.after["note"] == "Gut ettorap gemacht"  # the audit page shows this text
