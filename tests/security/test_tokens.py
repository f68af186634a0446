"""Reset links are single-use and expire; throttling holds per address; sessions renew."""

import email
import email.policy
import os

import pytest

from compmgr.auth.tokens import make_token
from tests.factories import UserFactory
from tests.forms import submit


@pytest.fixture
def user(db):
    user = UserFactory(email="lehrerin@example.org")
    db.session.commit()
    return user


def _reset_path(app):
    outbox = os.path.join(app.instance_path, "outbox")
    (mail,) = [os.path.join(outbox, n) for n in os.listdir(outbox)]
    with open(mail, "rb") as fh:
        text = email.message_from_binary_file(fh, policy=email.policy.default).get_content()
    return "/reset/" + text.split("/reset/", 1)[1].split()[0]


def test_reset_link_works_once(app, web, user):
    submit(web.get("/reset"), email="LehrerIn@example.org ")
    path = _reset_path(app)
    page = web.get(path)
    assert page.status_code == 200
    pw = "ein neues langes passwort"
    assert submit(page, password=pw, confirm=pw).status_code == 302
    web.logout()
    assert web.get(path).status_code == 400
    pw2 = "noch ein passwort!"
    assert submit(page, password=pw2, confirm=pw2).status_code == 400  # the page from before
    assert web.login("lehrerin@example.org", pw).status_code == 302


def test_reset_link_expires(app, web, user):
    token = make_token(user, "reset")
    assert web.get(f"/reset/{token}").status_code == 200
    app.config["RESET_MAX_AGE"] = -1
    assert web.get(f"/reset/{token}").status_code == 400


def test_reset_link_of_a_deactivated_account_is_refused(web, user, db):
    token = make_token(user, "reset")
    user.active = False
    db.session.commit()
    assert web.get(f"/reset/{token}").status_code == 400


def test_an_invitation_is_no_reset_link(web, user):
    assert web.get(f"/reset/{make_token(user, 'invite')}").status_code == 400


def test_login_is_throttled_per_address_across_accounts(app, web, client, user):
    """Credential stuffing from one address is slowed (bounded), but a browser that logged in to
    the real account before is not: nobody at the same address locks its owner out."""
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 6
    assert web.login("lehrerin@example.org").status_code == 302  # this browser is known now
    web.logout()
    for n in range(6):
        assert web.login(f"opfer{n}@example.org", "rate mal").status_code == 200
    slowed = web.login("opfer9@example.org", "rate mal")
    assert (
        slowed.status_code == 429
        and 0 < int(slowed.headers["Retry-After"]) <= app.config["LOGIN_MAX_DELAY"]
    )
    assert web.login("lehrerin@example.org").status_code == 302


def test_throttle_ends_after_the_window(app, web, user, db):
    from datetime import timedelta

    from compmgr.auth.models import LoginAttempt

    for _ in range(5):
        web.login("lehrerin@example.org", "falsch")
    assert web.login("lehrerin@example.org").status_code == 429
    for attempt in db.session.scalars(db.select(LoginAttempt)):
        attempt.at = attempt.at - timedelta(minutes=16)
    db.session.commit()
    assert web.login("lehrerin@example.org").status_code == 302


def test_throttled_answer_is_the_same_for_unknown_accounts(web, user):
    for _ in range(5):
        web.login("lehrerin@example.org", "falsch")
        web.login("niemand@example.org", "falsch")
    known = web.login("lehrerin@example.org", "falsch")
    unknown = web.login("niemand@example.org", "falsch")
    assert known.status_code == unknown.status_code == 429


def test_session_cookie_changes_at_login(client, web, user):
    client.get("/login")
    before = client.get_cookie("session")
    web.login("lehrerin@example.org")
    after = client.get_cookie("session")
    assert before is not None and after is not None and before.value != after.value
    with client.session_transaction() as sess:
        assert sess["_user_id"].startswith(f"{user.id}:")


def test_password_hashing_runs_outside_any_transaction(web, user, db, monkeypatch):
    """Sixty judges log in at once: the slow hash must not hold SQLite's write lock."""
    import werkzeug.security

    real, seen = werkzeug.security.check_password_hash, []

    def check(stored, password):
        seen.append(db.session().in_transaction())  # the request's own session
        return real(stored, password)

    monkeypatch.setattr(werkzeug.security, "check_password_hash", check)
    assert web.login("lehrerin@example.org").status_code == 302
    web.logout()
    assert web.login("niemand@example.org", "falsch").status_code == 200
    assert seen == [False, False]
