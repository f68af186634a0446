"""The organiser's review: overview figures, decisions, stands and extensions."""

from datetime import date

import pytest

from compmgr.audit.models import AuditEntry
from compmgr.registration.models import Project
from tests.factories import ParticipantFactory, ProjectFactory
from tests.forms import FormError, submit


def base(setup, path=""):
    return f"/c/{setup.comp.id}/org/entries{path}"


def _project(setup, school=None, birth=date(2014, 1, 1), **kw):
    p = ParticipantFactory(
        competition_id=setup.comp.id, school=school or setup.school, birth_date=birth, grade=7
    )
    return ProjectFactory(
        competition=setup.comp, school=school or setup.school, participants=[p], **kw
    )


def test_demo_overview_shows_the_seed_figures(app, db, web):
    from compmgr.demo import find_demo, load_demo

    load_demo()
    comp = find_demo()
    assert web.login("orga@demo.compmgr.de", "demo-passwort").status_code == 302
    html = web.get(f"/c/{comp.id}/org/entries/").get_data(as_text=True)
    assert "172 Schülerinnen und Schüler mit 97 Projekten" in html
    assert "97 Projekte gefunden" in html
    biologie = next(s for s in comp.subjects if s.name == "Biologie")
    html = web.get(f"/c/{comp.id}/org/entries/?subject={biologie.id}").get_data(as_text=True)
    assert "23 Projekte gefunden" in html


def test_filters(setup, login_as, db):
    chem = setup.comp.subjects[2]
    _project(setup, title="Junior Chemie", subject=chem)
    _project(
        setup,
        school=setup.other_school,
        birth=date(2009, 1, 1),
        title="Senior Bio",
        subject=setup.comp.subjects[1],
    )
    db.session.commit()
    web = login_as(setup.organiser)
    html = web.get(base(setup, f"/?subject={chem.id}")).get_data(as_text=True)
    assert "Junior Chemie" in html and "Senior Bio" not in html
    html = web.get(base(setup, f"/?school={setup.other_school.id}")).get_data(as_text=True)
    assert "Senior Bio" in html and "Junior Chemie" not in html
    jf = setup.comp.divisions[0]
    html = web.get(base(setup, f"/?division={jf.id}&missing=paper")).get_data(as_text=True)
    assert "Senior Bio" in html and "Junior Chemie" not in html


def test_admit_reject_withdraw(setup, login_as, db):
    project = _project(setup)
    db.session.commit()
    web = login_as(setup.organiser)
    url = base(setup, f"/projects/{project.id}")
    submit(web.get(url), button="Zulassen")
    db.session.refresh(project)
    assert project.status == "admitted"
    response = submit(web.get(url), button="Ablehnen", **{"reject-reason": ""})
    assert response.status_code == 422 and "Begründung" in response.get_data(as_text=True)
    submit(response, button="Ablehnen", **{"reject-reason": "Schon 2025 unverändert vorgestellt."})
    db.session.refresh(project)
    assert project.status == "rejected" and project.status_reason.startswith("Schon 2025")
    submit(web.get(url), button="Zurückziehen")
    db.session.refresh(project)
    assert project.status == "withdrawn"
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 3


def test_move_and_promote(setup, login_as, db):
    project = _project(setup)
    db.session.commit()
    assert project.division.code == "junior"
    web = login_as(setup.organiser)
    physik = setup.comp.subjects[5]
    page = base(setup, f"/projects/{project.id}")
    submit(web.get(page), subject_id=physik.id)
    db.session.refresh(project)
    assert project.subject_id == physik.id
    refused = submit(web.get(page), **{"promote-reason": ""})
    assert refused.status_code == 422
    submit(refused, **{"promote-reason": "herausragende Arbeit"})
    db.session.refresh(project)
    assert project.promoted and project.division.code == "jf"
    html = web.get(base(setup, f"/projects/{project.id}")).get_data(as_text=True)
    assert "Hochstufung: herausragende Arbeit" in html
    submit(web.get(page), button="Hochstufung aufheben")
    db.session.refresh(project)
    assert not project.promoted and project.division.code == "junior"


def test_stand_numbers_per_subject_and_editable(setup, login_as, db):
    bio, chem = setup.comp.subjects[1], setup.comp.subjects[2]
    a = _project(setup, subject=bio, title="Amsel")
    b = _project(setup, subject=bio, title="Biene", birth=date(2009, 1, 1))
    c = _project(setup, subject=chem, title="Chlor")
    gone = _project(setup, subject=chem, title="Zurückgezogen", status="withdrawn")
    db.session.commit()
    web = login_as(setup.organiser)
    submit(web.get(base(setup, "/")), button="Alle Stände neu nummerieren …")
    for p in (a, b, c, gone):
        db.session.refresh(p)
    assert (b.stand, a.stand, c.stand, gone.stand) == (
        "B01",
        "B02",
        "C01",
        None,
    )  # Jugend forscht first
    response = submit(web.get(base(setup, f"/projects/{c.id}")), stand="b01")
    assert response.status_code == 422 and "schon „Biene“" in response.get_data(as_text=True)
    submit(response, stand="c07")
    db.session.refresh(c)
    assert c.stand == "C07"


def test_extension_for_one_school(setup, login_as, db):
    from compmgr.competitions.models import Status

    setup.comp.status = Status.REGISTRATION_CLOSED
    db.session.commit()
    web = login_as(setup.organiser)
    submit(web.get(base(setup, "/schools")), **{f"s{setup.school.id}-until": "2099-12-07"})
    db.session.refresh(setup.school)
    assert setup.school.registration_extended_until == date(2099, 12, 7)
    web.logout()
    web = login_as(setup.user)
    person = {
        "first_name": "Lena",
        "last_name": "Neu",
        "birth_date": "2010-05-17",
        "grade": "10",
        "email": "lena@schule.example",
    }
    new = f"/c/{setup.comp.id}/school/participants/new"
    assert submit(web.get(new), **person).status_code == 302
    web.logout()
    web = login_as(setup.other_user)
    closed = web.get(new)  # closed for the other school: the page says why, with no fields
    assert "Die Wettbewerbsleitung hat die Anmeldung geschlossen" in closed.get_data(as_text=True)
    with pytest.raises(FormError):
        submit(closed, **{**person, "last_name": "Andere"})
    web.post_raw(new, {**person, "last_name": "Andere"})  # forged: refused all the same
    names = [p.last_name for p in setup.school.participants + setup.other_school.participants]
    assert names == ["Neu"]


def test_organiser_downloads_papers_other_organisers_cannot(setup, login_as, db):
    from compmgr.auth.models import Role
    from tests.factories import CompetitionFactory, UserFactory, grant, make_document

    project = _project(setup)
    make_document(project)
    other = grant(
        UserFactory(email="orga2@example.org"), CompetitionFactory(name="Anderer"), Role.ORGANISER
    )
    db.session.commit()
    web = login_as(setup.organiser)
    assert web.get(base(setup, f"/projects/{project.id}/document")).data.startswith(b"%PDF")
    web.logout()
    web = login_as(other)
    assert web.get(base(setup, f"/projects/{project.id}/document")).status_code == 403
    assert db.session.get(Project, project.id) is not None
