"""The access log and the account list of a whole round: a page at a time, searchable."""

from compmgr.audit.access_log import log_access
from compmgr.privacy import services
from tests.factories import (
    CompetitionFactory,
    ParticipantFactory,
    SchoolFactory,
    UserFactory,
)


def _people(n):
    comp = CompetitionFactory()
    school = SchoolFactory(competition_id=comp.id)
    return comp, [ParticipantFactory(competition_id=comp.id, school=school) for _ in range(n)]


def test_one_persons_log_is_found_alone_and_in_lists(db):
    comp, (a, b, c) = _people(3)
    admin = UserFactory(is_admin=True)
    log_access(admin, "view", a, competition_id=comp.id)
    log_access(admin, "export", [b, a], competition_id=comp.id)
    log_access(admin, "view", [b, c], competition_id=comp.id)
    log_access(admin, "view", c, competition_id=comp.id)
    assert [e.action for e in services.access_log(participant_id=a.id)] == ["export", "view"]
    assert len(services.access_log(participant_id=c.id)) == 2
    assert len(services.access_log(participant_id=c.id, competition_id=comp.id + 1)) == 0


def test_access_log_page_shows_a_page_at_a_time(db, login_as, client):
    comp, (a, b) = _people(2)
    admin = UserFactory(is_admin=True)
    for _ in range(130):
        log_access(admin, "view", a, competition_id=comp.id, commit=False)
    log_access(admin, "export", [a, b], competition_id=comp.id, commit=False)
    db.session.commit()
    web = login_as(admin)
    first = web.get("/admin/access-log").get_data(as_text=True)
    assert "Seite 1 von 2" in first
    assert first.count("<code>") == 100
    second = web.get(f"/admin/access-log?participant={b.id}").get_data(as_text=True)
    assert second.count("<code>") == 1  # only the export names b; one page
    last = web.get("/admin/access-log?page=2").get_data(as_text=True)
    assert last.count("<code>") == 31


def test_admin_account_list_is_paginated_and_searchable(db, login_as):
    admin = UserFactory(is_admin=True, email="admin@example.org")
    for i in range(60):
        UserFactory(email=f"juror{i:02d}@example.org", name=f"Jürgen Jurymitglied {i}")
    UserFactory(email="schule@example.org", name="Schulleitung Weißenburg")
    web = login_as(admin)
    page = web.get("/admin/users").get_data(as_text=True)
    assert "62 Konten" in page and "Seite 1 von 2" in page
    assert "juror48@example.org" in page and "juror49@example.org" not in page  # admin@ first
    page2 = web.get("/admin/users?page=2").get_data(as_text=True)
    assert "juror49@example.org" in page2 and "schule@example.org" in page2
    found = web.get("/admin/users?q=Weißenburg").get_data(as_text=True)
    assert "1 Konto" in found and "schule@example.org" in found and "juror" not in found
