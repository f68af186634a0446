"""Competitions: creation as a copy, role switching, invitations by the organiser."""

import re

from compmgr.auth.models import Role, RoleGrant, User
from compmgr.competitions.models import Competition
from compmgr.judging.models import Criterion
from compmgr.registration.models import School
from tests.factories import CompetitionFactory, SchoolFactory, UserFactory, grant
from tests.forms import submit


def test_admin_creates_a_competition_as_a_copy_of_an_earlier_one(web, db):
    admin = UserFactory(email="admin@example.org", is_admin=True)
    old = CompetitionFactory(
        name="Regionalwettbewerb Nord", round_year=2026, max_team_size=2, min_judges_per_project=4
    )
    old.subjects[0].name = "Arbeitswelt und Umwelt"
    SchoolFactory(competition_id=old.id)
    db.session.commit()
    web.login(admin.email)
    response = submit(
        web.get("/admin/competitions/new"),
        name="Regionalwettbewerb Nord",
        round_year="2027",
        level="regional",
        copy_from=old.id,
    )
    assert response.status_code == 302
    new = db.session.execute(db.select(Competition).filter_by(round_year=2027)).scalar_one()
    assert new.copied_from_id == old.id
    assert (new.max_team_size, new.min_judges_per_project) == (2, 4)
    assert [s.name for s in new.subjects][0] == "Arbeitswelt und Umwelt"
    assert [d.code for d in new.divisions] == ["jf", "junior"]
    assert new.age_cutoff.isoformat() == "2026-12-31"
    criteria = db.session.scalars(db.select(Criterion).filter_by(competition_id=new.id)).all()
    assert len(criteria) == 6
    assert (
        db.session.scalar(db.select(db.func.count(School.id)).filter_by(competition_id=new.id)) == 0
    )


def test_new_competition_form_explains_a_missing_year(web, db):
    admin = UserFactory(email="admin@example.org", is_admin=True)
    db.session.commit()
    web.login(admin.email)
    html = submit(
        web.get("/admin/competitions/new"),
        name="Landeswettbewerb Süd",
        round_year="",
        level="state",
        copy_from=0,
    ).get_data(as_text=True)
    assert 'id="round_year-error"' in html and "Jahr der Runde" in html
    assert 'value="Landeswettbewerb Süd"' in html


def test_one_person_switches_between_roles_in_two_competitions(web, db):
    a = CompetitionFactory(name="Regionalwettbewerb A")
    b = CompetitionFactory(name="Landeswettbewerb B")
    school = SchoolFactory(competition_id=b.id, name="Goethe-Schule")
    user = grant(
        grant(UserFactory(email="multi@example.org"), a, Role.ORGANISER), b, Role.SCHOOL, school
    )
    db.session.commit()
    response = web.login(user.email)
    assert web.get(response.headers["Location"]).headers["Location"].endswith("/roles")
    html = web.get("/roles").get_data(as_text=True)
    assert "Regionalwettbewerb A" in html and "Landeswettbewerb B" in html
    school_grant = next(g for g in user.grants if g.role == Role.SCHOOL)
    landed = submit(web.get("/roles"), action=f"/roles/{school_grant.id}")
    assert landed.headers["Location"].endswith(f"/c/{b.id}/school/")
    assert "Goethe-Schule" in web.get(landed.headers["Location"]).get_data(as_text=True)
    # the role is remembered: the start page now leads to the school's dashboard
    assert web.get("/").headers["Location"].endswith(f"/c/{b.id}/school/")
    # but the school role grants nothing in competition A's school area
    assert web.get(f"/c/{a.id}/school/").status_code == 403


def test_organiser_invites_a_school_account_with_a_new_school(web, db):
    comp = CompetitionFactory()
    orga = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    web.login(orga.email)
    response = submit(
        web.get(f"/c/{comp.id}/org/people"),
        name="Frau Weiß",
        email="Weiss@Schule.example",
        role="school",
        school_id=0,
        new_school="Humboldt-Gymnasium, Lüdinghausen",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Einladung an weiss@schule.example" in html
    link = re.search(r"http://127.0.0.1:5000(/invite/[^<\s]+)", html).group(1)  # PUBLIC_URL
    user = db.session.execute(db.select(User).filter_by(email="weiss@schule.example")).scalar_one()
    assert user.password_hash is None
    grant_ = db.session.execute(db.select(RoleGrant).filter_by(user_id=user.id)).scalar_one()
    assert grant_.role == Role.SCHOOL and grant_.school.name == "Humboldt-Gymnasium"
    assert grant_.school.city == "Lüdinghausen"
    web.logout()
    assert web.get(link).status_code == 200


def test_a_second_account_for_a_new_school_typed_again_joins_that_school(web, db):
    comp = CompetitionFactory()
    orga = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    web.login(orga.email)
    for email in ("weiss@schule.example", "gross@schule.example"):
        response = submit(
            web.get(f"/c/{comp.id}/org/people"),
            name="Lehrkraft",
            email=email,
            role="school",
            school_id="0",
            new_school=" Humboldt-Gymnasium ,  Lüdinghausen ",
        )
        assert response.status_code == 200 and f"Einladung an {email}" in response.get_data(
            as_text=True
        )
    schools = db.session.scalars(db.select(RoleGrant.school_id).filter_by(role=Role.SCHOOL)).all()
    assert len(schools) == 2 and len(set(schools)) == 1


def test_school_invitation_needs_a_school(web, db):
    comp = CompetitionFactory()
    orga = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    web.login(orga.email)
    html = submit(
        web.get(f"/c/{comp.id}/org/people"),
        name="Herr Groß",
        email="gross@schule.example",
        role="school",
        school_id=0,
        new_school="",
    ).get_data(as_text=True)
    assert 'id="school_id-error"' in html and "Bitte wählen Sie die Schule" in html
    assert (
        db.session.execute(
            db.select(User).filter_by(email="gross@schule.example")
        ).scalar_one_or_none()
        is None
    )


def test_organiser_renames_a_subject_and_errors_stay_next_to_the_field(web, db):
    comp = CompetitionFactory()
    orga = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    sid = comp.subjects[0].id
    web.login(orga.email)
    other = comp.subjects[1].name
    structure = web.get(f"/c/{comp.id}/org/structure")
    page = submit(structure, action=f"/c/{comp.id}/org/subjects/{sid}", **{f"s{sid}-name": other})
    html = page.get_data(as_text=True)
    assert f'id="s{sid}-name-error"' in html and "gibt es in diesem Wettbewerb schon" in html
    ok = submit(
        page,
        action=f"/c/{comp.id}/org/subjects/{sid}",
        **{f"s{sid}-name": "Arbeitswelt & Wirtschaft"},
    )
    assert ok.status_code == 302
    db.session.refresh(comp.subjects[0])
    assert comp.subjects[0].name == "Arbeitswelt & Wirtschaft"
