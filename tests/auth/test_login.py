"""Login, logout, throttling, invitations and password reset."""

import re
from urllib.parse import urlsplit

import pytest

from compmgr.auth.invitations import invite_user
from compmgr.auth.models import Role
from compmgr.auth.tokens import make_token
from tests.factories import CompetitionFactory, UserFactory, grant
from tests.forms import submit


@pytest.fixture
def organiser(db):
    comp = CompetitionFactory()
    user = grant(UserFactory(email="orga@example.org", name="Käthe Groß"), comp, Role.ORGANISER)
    db.session.commit()
    return user


def test_login_lands_on_the_role_dashboard_in_german(web, organiser):
    response = web.login("orga@example.org")
    assert response.status_code == 302
    page = web.get(response.headers["Location"], follow_redirects=True)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="de">' in html
    assert "Projekte je Fachgebiet und Sparte" in html


def test_wrong_password_and_unknown_account_look_the_same(web, organiser):
    wrong = web.login("orga@example.org", "falsch-falsch").get_data(as_text=True)
    unknown = web.login("niemand@example.org", "falsch-falsch").get_data(as_text=True)
    message = "E-Mail-Adresse oder Passwort ist falsch."
    assert message in wrong and message in unknown
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731  (tokens, typed e-mail)
    assert strip(wrong).replace("orga@example.org", "X") == strip(unknown).replace(
        "niemand@example.org", "X"
    )


def test_login_keeps_the_typed_email_after_a_failure(web, organiser):
    html = web.login("orga@example.org", "falsch").get_data(as_text=True)
    assert 'value="orga@example.org"' in html


def test_login_is_throttled_after_five_failures_from_one_client(web, organiser):
    for _ in range(5):
        assert web.login("orga@example.org", "falsch").status_code == 200
    blocked = web.login("orga@example.org", "password123")
    assert blocked.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in blocked.get_data(as_text=True)


def test_login_starts_a_new_session(web, client, organiser):
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    web.login("orga@example.org")
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["_user_id"].startswith(str(organiser.id))


def test_session_cookie_is_httponly_and_lax(web, client, organiser):
    response = web.login("orga@example.org")
    cookie = response.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logout_needs_post_and_ends_the_session(web, organiser):
    web.login("orga@example.org")
    assert web.get("/logout").status_code == 405
    web.logout()
    assert web.get("/roles").status_code == 302


def test_login_form_rejects_a_missing_csrf_token(client, organiser):
    response = client.post("/login", data={"email": "orga@example.org", "password": "password123"})
    assert response.status_code == 400


def _invite_new(comp):
    inviter = grant(UserFactory(), comp, Role.ORGANISER)
    invitation = invite_user("neu@example.org", "Neue Person", comp, Role.ORGANISER, inviter)
    assert invitation.outcome == "new"
    return invitation.screen_link


def test_invitation_link_sets_the_password_once(app, web, db):
    comp = CompetitionFactory()
    link = _invite_new(comp)
    db.session.commit()
    path = urlsplit(link).path
    page = web.get(path)
    assert page.status_code == 200 and "neu@example.org" in page.get_data(as_text=True)
    done = submit(page, password="ein langes passwort", confirm="ein langes passwort")
    assert done.status_code == 302
    web.logout()
    again = web.get(path)
    assert again.status_code == 400
    assert "gilt nicht mehr" in again.get_data(as_text=True)
    assert web.login("neu@example.org", "ein langes passwort").status_code == 302


def test_invitation_password_errors_are_shown_next_to_the_field(web, db):
    comp = CompetitionFactory()
    link = _invite_new(comp)
    db.session.commit()
    page = web.get(urlsplit(link).path)
    html = submit(page, password="kurz", confirm="anders").get_data(as_text=True)
    assert 'id="password-error"' in html and "mindestens 10 Zeichen" in html
    assert 'id="confirm-error"' in html and "stimmen nicht überein" in html


def test_expired_invitation_is_refused(app, web, db):
    user = UserFactory(password_hash=None)
    db.session.commit()
    token = make_token(user, "invite")
    app.config["INVITE_MAX_AGE"] = -1
    assert web.get(f"/invite/{token}").status_code == 400


def test_tampered_token_is_refused(web, db):
    user = UserFactory()
    db.session.commit()
    token = make_token(user, "reset")
    assert web.get(f"/reset/{token[:-2]}xx").status_code == 400
    assert web.get(f"/invite/{token}").status_code == 400  # a reset token is no invitation


def test_reset_request_does_not_reveal_accounts(web, organiser, app):
    import os

    outbox = os.path.join(app.instance_path, "outbox")
    known = submit(web.get("/reset"), email="orga@example.org", follow_redirects=True)
    unknown = submit(web.get("/reset"), email="niemand@example.org", follow_redirects=True)
    text = "Falls ein Konto mit dieser Adresse besteht"
    assert text in known.get_data(as_text=True) and text in unknown.get_data(as_text=True)
    assert len(os.listdir(outbox)) == 1  # only the real account got a mail


def test_a_password_set_elsewhere_ends_the_session(web, client, organiser, db):
    web.login("orga@example.org")
    organiser.set_password("ein ganz neues passwort")  # the account's counter moves on
    db.session.commit()
    assert web.get("/roles").status_code == 302  # old session no longer valid


def test_passwords_are_hashed_with_scrypt(db):
    user = UserFactory()
    user.set_password("geheimes passwort")
    assert user.password_hash.startswith("scrypt:32768:8:1$")  # the full cost, not the tests'
    assert "geheimes" not in user.password_hash


def test_language_switch_to_english(web, organiser):
    web.login("orga@example.org")
    assert submit(web.get("/roles"), button="English").status_code == 302
    html = web.get("/roles").get_data(as_text=True)
    assert '<html lang="en">' in html
