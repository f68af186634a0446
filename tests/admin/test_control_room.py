"""The organiser's control room: its figures, their links, and a query count that does not grow."""

from datetime import date

from sqlalchemy import event

from compmgr.auth.models import Role
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.judging.models import Review
from compmgr.registration.models import ConsentRecord
from tests.factories import (
    CompetitionFactory,
    JudgeFactory,
    JuryFactory,
    ParticipantFactory,
    ProjectFactory,
    SchoolFactory,
    UserFactory,
    assign,
    grant,
    make_document,
)


def competition_of(size):
    """A competition with size schools, each with two projects, juries, judges and sheets."""
    comp = CompetitionFactory(name=f"Größe {size}")
    org = grant(UserFactory(email=f"orga{size}@example.org"), comp, Role.ORGANISER)
    bio = comp.subjects[1]
    jury = JuryFactory(competition=comp, subject=bio, name="Biologie")
    JuryFactory(competition=comp, subject=comp.subjects[2], name="Chemie")  # no chair
    judges = [
        JudgeFactory(competition=comp, jury=jury, chair=i == 0, email=f"j{i}@jury.example")
        for i in range(size + 1)
    ]
    JudgeFactory(competition=comp, first_name="Abwesend", email="weg@jury.example")
    for n in range(size):
        school = SchoolFactory(competition_id=comp.id, name=f"Gymnasium {n}")
        people = [
            ParticipantFactory(competition_id=comp.id, school=school, birth_date=date(2009, 1, 1))
            for _ in range(2)
        ]
        for person in people[:1]:
            db.session.add(
                ConsentRecord(
                    participant=person, kind="participation", granted=True, given_by="parent"
                )
            )
        done = ProjectFactory(competition=comp, school=school, participants=people[:1], subject=bio)
        open_ = ProjectFactory(
            competition=comp,
            school=school,
            participants=people[1:],
            subject=bio,
            involves_animals=True,
            abstract="Kurz.",
            supervisor_name="Frau Lehrerin",
            stand=f"B{n:02d}",
        )
        make_document(done)
        for judge in judges[n : n + 2]:
            assign(judge, done)
            db.session.add(Review(judge_id=judge.id, project_id=done.id, submitted_at=utcnow()))
        assign(judges[n], open_)
    db.session.commit()
    return comp, org


def _queries(app, web, url):
    count = [0]

    def seen(*_args, **_kwargs):
        count[0] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        response = web.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert response.status_code == 200
    return count[0], response.get_data(as_text=True)


def test_the_control_room_costs_the_same_queries_at_any_size(app, db, login_as):
    small, org_small = competition_of(2)
    large, org_large = competition_of(12)
    web = login_as(org_small)
    web.get(f"/c/{small.id}/org/")  # warm up: the session's user and grants are loaded once
    few, _ = _queries(app, web, f"/c/{small.id}/org/")
    web.logout()
    web = login_as(org_large)
    web.get(f"/c/{large.id}/org/")
    many, _ = _queries(app, web, f"/c/{large.id}/org/")
    print(f"control room: {few} queries with 4 projects, {many} with 24")
    assert few == many


def test_every_figure_counts_right_and_links_to_its_list(app, db, login_as):
    comp, org = competition_of(2)
    web = login_as(org)
    html = web.get(f"/c/{comp.id}/org/").get_data(as_text=True)
    base = f"/c/{comp.id}/org/entries/"
    # 4 registered, none complete (papers, consents, animal forms missing)
    assert f'<a href="{base}">4</a>' in html
    assert f'<a href="{base}?missing=any">4</a>' in html
    # by school: each school misses one animal form and one participation consent
    school = db.session.execute(db.select(SchoolFactory._meta.model).limit(1)).scalar_one()
    assert f'href="{base}?school={school.id}&amp;missing=animal_form">1</a>' in html
    # projects without a stand: the two done ones
    assert f'<a href="{base}">2</a>' in html
    # the Chemie jury has no chair; two projects have only one judge (min 3: all four)
    assert f'<a href="/c/{comp.id}/org/judging/juries">1</a>' in html
    assert f'<a href="/c/{comp.id}/org/judging/assignments">4</a>' in html
    # sheets: 4 of 6 submitted; the absent judge is listed
    assert "4 von 6 Bögen abgegeben" in html
    assert "Abwesend Jurorin" in html
    # afterwards: no jury closed, not published
    assert "0 von 2" in html and "noch nicht" in html
