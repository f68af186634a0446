"""Links in mails come from PUBLIC_URL, never from the request's Host header."""

import logging

import pytest

from compmgr import create_app
from compmgr.auth.models import Role
from tests.factories import CompetitionFactory, UserFactory, grant
from tests.forms import submit
from tests.mailbox import links, outbox


@pytest.fixture
def app_config():
    # The attacker fetches the form with the same forged Host; CSRF is not what this is about.
    return {"PUBLIC_URL": "https://jufo.example.org/", "WTF_CSRF_ENABLED": False}


def test_a_reset_with_a_forged_host_mails_a_link_on_public_url(app, client, web, db):
    UserFactory(email="lehrerin@example.org")
    db.session.commit()
    page = web.get("/reset", headers={"Host": "evil.example"})
    response = submit(page, email="lehrerin@example.org", headers={"Host": "evil.example"})
    assert response.status_code == 302
    assert response.headers["Location"] in (
        "/login",
        "http://evil.example/login",
    )  # it was that Host
    (mail,) = outbox(app)
    (link,) = links(mail)
    assert link.startswith("https://jufo.example.org/reset/")
    assert "evil.example" not in mail["body"]


def test_an_invitation_made_in_a_request_with_a_forged_host_links_to_public_url(app, db):
    from compmgr.auth.invitations import invite_user
    from compmgr.outbox import deliver_in

    comp = CompetitionFactory()
    orga = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    with app.test_request_context(
        "/c/1/org/people", method="POST", headers={"Host": "evil.example"}
    ):
        invitation = invite_user("neu@example.org", "Neu", comp, Role.ORGANISER, orga)
        db.session.commit()  # queued with the invitation; sent once a real answer is out
    deliver_in(app)  # a bare request context has no answer: send the queued mail here
    assert invitation.screen_link.startswith("https://jufo.example.org/invite/")
    (mail,) = outbox(app)
    assert [u for u in links(mail) if u.startswith("https://jufo.example.org/invite/")]
    assert "evil.example" not in mail["body"]


def test_production_without_public_url_warns(tmp_path, caplog):
    config = {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"}
    with caplog.at_level(logging.WARNING):
        create_app(config)
    assert "PUBLIC_URL is not set" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        create_app({**config, "PUBLIC_URL": "https://jufo.example.org"})
    assert "PUBLIC_URL" not in caplog.text


def test_a_malformed_public_url_stops_the_start(tmp_path):
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app(
            {
                "SECRET_KEY": "x",
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "PUBLIC_URL": "jufo.example.org",
            }
        )


def test_public_url_for_works_outside_a_request(app):
    from compmgr.mail import public_url_for

    assert public_url_for("auth.login") == "https://jufo.example.org/login"
    app.config["PUBLIC_URL"] = "https://schule.example/jufo"
    assert (
        public_url_for("auth.reset_password", token="abc")
        == "https://schule.example/jufo/reset/abc"
    )
