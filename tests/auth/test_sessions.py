"""Sessions end on the server: logout, lifetimes, logging out everywhere, password changes."""

from datetime import timedelta

import pytest

from compmgr.auth.models import Role, UserSession
from tests.conftest import Browserish
from tests.factories import PASSWORD, CompetitionFactory, UserFactory, grant
from tests.forms import submit


@pytest.fixture
def user(db):
    comp = CompetitionFactory()
    user = grant(UserFactory(email="orga@example.org", name="Käthe Groß"), comp, Role.ORGANISER)
    db.session.commit()
    return user


def _copy_cookie(app, source):
    """A second browser holding a copy of source's session cookie (what a thief would have)."""
    thief = app.test_client()
    thief.set_cookie("session", source.get_cookie("session").value)
    return thief


def _logged_in(client):
    return client.get("/roles").status_code == 200


def _age(db, field, delta):
    for row in db.session.scalars(db.select(UserSession)):
        setattr(row, field, getattr(row, field) - delta)
    db.session.commit()


def test_a_copied_cookie_is_dead_after_logout(app, client, web, user):
    web.login("orga@example.org")
    thief = _copy_cookie(app, client)
    assert _logged_in(thief)
    web.logout()
    assert not _logged_in(thief)
    assert not _logged_in(client)


def test_a_session_dies_after_its_absolute_lifetime(app, client, web, user, db):
    web.login("orga@example.org")
    assert _logged_in(client)
    _age(db, "created_at", timedelta(seconds=app.config["SESSION_ABSOLUTE_LIFETIME"] + 60))
    # still active all the time (a judge autosaving all day): the absolute limit holds anyway
    assert not _logged_in(client)


def test_a_session_dies_when_idle_too_long(app, client, web, user, db):
    web.login("orga@example.org")
    _age(db, "last_seen_at", timedelta(seconds=app.config["SESSION_IDLE_TIMEOUT"] + 60))
    assert not _logged_in(client)


def test_last_seen_is_written_lazily(app, client, web, user, db):
    web.login("orga@example.org")
    (row,) = db.session.scalars(db.select(UserSession)).all()
    seen = row.last_seen_at
    for _ in range(3):
        assert _logged_in(client)
    db.session.expire_all()
    assert row.last_seen_at == seen  # GETs within the interval write nothing
    _age(db, "last_seen_at", timedelta(seconds=app.config["SESSION_TOUCH_INTERVAL"] + 1))
    older = row.last_seen_at
    assert _logged_in(client)
    db.session.expire_all()
    assert row.last_seen_at > older + timedelta(seconds=app.config["SESSION_TOUCH_INTERVAL"])


def test_log_out_everywhere_ends_another_clients_session(app, client, web, user):
    other = Browserish(app.test_client())
    assert other.login("orga@example.org").status_code == 302
    web.login("orga@example.org")
    assert web.get("/account").status_code == 200
    assert submit(web.get("/account"), action="/account/logout-everywhere").status_code == 302
    assert not _logged_in(other.client)
    assert not _logged_in(client)


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client, web, user, db):
    other = Browserish(app.test_client())
    other.login("orga@example.org")
    web.login("orga@example.org")
    new = "Zahnbürste-Rakete-7"
    done = submit(web.get("/account"), current=PASSWORD, password=new, confirm=new)
    assert done.status_code == 302
    assert _logged_in(client)
    assert not _logged_in(other.client)
    web.logout()
    assert web.login("orga@example.org", new).status_code == 302


def test_password_change_asks_for_the_current_password(client, web, user, db):
    web.login("orga@example.org")
    before = user.password_hash
    new = "Zahnbürste-Rakete-7"
    page = submit(web.get("/account"), current="falsch-falsch", password=new, confirm=new)
    assert page.status_code == 422
    assert 'id="current-error"' in page.get_data(as_text=True)
    db.session.expire_all()
    assert user.password_hash == before


def test_a_reset_ends_every_session(app, client, web, user, db):
    from compmgr.auth.tokens import make_token

    web.login("orga@example.org")
    other = Browserish(app.test_client())
    token = make_token(user, "reset")
    new = "Zahnbürste-Rakete-7"
    assert submit(other.get(f"/reset/{token}"), password=new, confirm=new).status_code == 302
    assert not _logged_in(client)
    assert _logged_in(other.client)  # the reset logs in with a fresh session


def test_the_session_id_changes_at_login(app, client, web, user, db):
    with client.session_transaction() as sess:
        sess["sid"] = "planted-by-an-attacker"
    web.login("orga@example.org")
    with client.session_transaction() as sess:
        assert sess["sid"] != "planted-by-an-attacker"
    assert db.session.scalar(db.select(db.func.count()).select_from(UserSession)) == 1


def test_the_cookie_is_not_renewed_on_every_response(client, web, user):
    web.login("orga@example.org")
    client.get("/roles")  # the first page with a form adds its CSRF token to the session
    for url in ("/roles", "/account", "/roles"):
        response = client.get(url)
        assert response.status_code == 200
        assert "session=" not in response.headers.get("Set-Cookie", "")
