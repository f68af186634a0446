"""Invitations of new accounts: the link reaches only the mailbox, and never-activated people
are never a dead end (inviting again and a password reset send a fresh invitation)."""

import re
from urllib.parse import urlsplit

import pytest

from compmgr.auth.models import Role, User
from tests.factories import CompetitionFactory, UserFactory, grant
from tests.forms import submit
from tests.mailbox import links, outbox

INVITE = re.compile(r"https?://[^\s<\"]+/invite/[A-Za-z0-9_.\-]+")


@pytest.fixture
def comp(db):
    comp = CompetitionFactory(name="Regionalwettbewerb Teststadt")
    grant(UserFactory(email="orga@example.org", name="Käthe Groß"), comp, Role.ORGANISER)
    db.session.commit()
    return comp


def _invite_judge(web, comp, email="neu@example.org"):
    page = web.get(f"/c/{comp.id}/org/judging/judges")
    return submit(
        page,
        first_name="Nora",
        last_name="Neu",
        email=email,
        school_id=0,
        jury_id=0,
        follow_redirects=True,
    )


def test_new_judge_gets_a_mail_naming_competition_role_and_inviter(app, web, comp):
    web.login("orga@example.org")
    html = _invite_judge(web, comp).get_data(as_text=True)
    (mail,) = outbox(app)
    assert mail["to"] == "neu@example.org"
    assert "Regionalwettbewerb Teststadt" in mail["subject"]
    body = mail["body"]
    assert "Käthe Groß" in body and "Juror(in)" in body and "Regionalwettbewerb Teststadt" in body
    (link,) = [u for u in links(mail) if "/invite/" in u]
    assert link.startswith("http://127.0.0.1:5000/invite/")  # PUBLIC_URL's default, not the Host
    assert link in html  # no mail server: the organiser may pass it on


def test_with_a_mail_server_the_link_is_only_in_the_mailbox(app, web, comp, smtp_sink):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
    web.login("orga@example.org")
    html = _invite_judge(web, comp).get_data(as_text=True)
    assert "Einladung an neu@example.org verschickt" in html
    assert not INVITE.search(html)
    (mail,) = smtp_sink.received
    assert [u for u in links(mail) if "/invite/" in u]


def test_inviting_a_never_activated_judge_again_sends_a_fresh_link(app, web, comp, db):
    web.login("orga@example.org")
    _invite_judge(web, comp)
    again = _invite_judge(web, comp)
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and "erneut verschickt" in html, re.findall(
        r"error\"[^>]*>([^<]+)", html
    )
    first, second = outbox(app)
    assert second["to"] == "neu@example.org" and INVITE.search(second["body"])
    path = urlsplit(INVITE.search(second["body"]).group(0)).path
    web.logout()
    pw = "Zahnbürste-Rakete-7"
    assert submit(web.get(path), password=pw, confirm=pw).status_code == 302
    web.logout()
    assert web.login("neu@example.org", pw).status_code == 302


def test_the_reinvite_button_resends_the_invitation(app, web, comp, db):
    from compmgr.judging.juries import judge_by_email

    web.login("orga@example.org")
    _invite_judge(web, comp)
    judge = judge_by_email(comp.id, "neu@example.org")
    judges = web.get(f"/c/{comp.id}/org/judging/judges")
    page = submit(judges, action=f"/c/{comp.id}/org/judging/judges/{judge.id}/reinvite")
    assert page.status_code == 200 and "erneut verschickt" in page.get_data(as_text=True)
    assert len(outbox(app)) == 2


def test_a_reset_for_a_never_activated_account_sends_the_invitation(app, web, comp, db):
    user = grant(UserFactory(email="juror@example.org", password_hash=None), comp, Role.JUDGE)
    db.session.commit()
    submit(web.get("/reset"), email="juror@example.org")
    (mail,) = outbox(app)
    assert "Regionalwettbewerb Teststadt" in mail["body"] and INVITE.search(mail["body"])
    path = urlsplit(INVITE.search(mail["body"]).group(0)).path
    pw = "Zahnbürste-Rakete-7"
    assert submit(web.get(path), password=pw, confirm=pw).status_code == 302
    db.session.expire_all()
    assert user.password_hash


def test_the_invitation_link_refuses_once_the_account_has_a_password(app, web, comp, db):
    web.login("orga@example.org")
    html = _invite_judge(web, comp).get_data(as_text=True)
    path = urlsplit(INVITE.search(html).group(0)).path
    web.logout()
    user = db.session.execute(db.select(User).filter_by(email="neu@example.org")).scalar_one()
    user.set_password("Das-eigene-Passwort-1")  # set meanwhile by its owner
    user.auth_nonce = 1  # even with the counter the link was made with
    db.session.commit()
    before = user.password_hash
    assert web.get(path).status_code == 400  # no form: a stale page's form is refused as well
    page = web.post_raw(
        path, {"password": "Übernahme-des-Kontos-7", "confirm": "Übernahme-des-Kontos-7"}
    )
    assert page.status_code == 400
    db.session.expire_all()
    assert user.password_hash == before


def test_no_link_on_screen_for_an_account_with_roles_elsewhere(app, web, comp, db):
    other = CompetitionFactory(name="Anderswo")
    grant(UserFactory(email="offen@example.org", password_hash=None), other, Role.ORGANISER)
    db.session.commit()
    web.login("orga@example.org")
    html = _invite_judge(web, comp, "offen@example.org").get_data(as_text=True)
    assert "erneut verschickt" in html and not INVITE.search(html)
    (mail,) = outbox(app)
    assert mail["to"] == "offen@example.org" and INVITE.search(mail["body"])


def test_an_accepted_judge_cannot_be_invited_twice(web, comp, db):
    web.login("orga@example.org")
    _invite_judge(web, comp)
    user = db.session.execute(db.select(User).filter_by(email="neu@example.org")).scalar_one()
    user.set_password("Das-eigene-Passwort-1")
    db.session.commit()
    page = _invite_judge(web, comp)
    assert "bereits Juror(in) in diesem Wettbewerb" in page.get_data(as_text=True)
