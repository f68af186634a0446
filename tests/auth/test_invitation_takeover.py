"""The attack of issue 11: an organiser invites the e-mail of an existing account to take it over.

Every way of inviting (the people page as organiser and as school account, the judges page)
is aimed at every kind of victim (instance admin, organiser of another competition, a judge,
a school account), with and without a mail server. The attack fails when no password link for
the victim appears on the page or in any mail, the victim's password is unchanged, the
attacker's browser is not logged in as the victim, and the victim holds no new role until they
accept it themselves.
"""

import re
from urllib.parse import urlsplit

import pytest
from werkzeug.security import check_password_hash

from compmgr.auth.models import Role, RoleOffer
from compmgr.auth.tokens import make_token
from tests.factories import (
    PASSWORD,
    CompetitionFactory,
    JudgeFactory,
    SchoolFactory,
    UserFactory,
    grant,
)
from tests.forms import FormError, submit
from tests.mailbox import links, outbox

TOKEN_LINK = re.compile(r"/(invite|reset)/[A-Za-z0-9_.\-]{20,}")


@pytest.fixture
def scene(db):
    home = CompetitionFactory(name="Regionalwettbewerb Angriff")
    other = CompetitionFactory(name="Regionalwettbewerb Anderswo")
    attacker = grant(UserFactory(email="mallory@example.org", name="Mallory"), home, Role.ORGANISER)
    school = SchoolFactory(competition_id=other.id, name="Opferschule")
    victims = {
        "admin": UserFactory(email="admin@example.org", is_admin=True),
        "organiser": grant(UserFactory(email="orga-b@example.org"), other, Role.ORGANISER),
        "judge": UserFactory(email="jurorin@example.org"),
        "school": grant(UserFactory(email="schule-b@example.org"), other, Role.SCHOOL, school),
    }
    JudgeFactory(competition=other, user=victims["judge"])
    db.session.commit()
    return {
        "home": home,
        "attacker": attacker,
        "victims": victims,
        "hashes": {k: v.password_hash for k, v in victims.items()},
    }


def _invite(web, way, comp, email):
    cid = comp.id
    if way == "judges":
        return submit(
            web.get(f"/c/{cid}/org/judging/judges"),
            first_name="Eve",
            last_name="Opfer",
            email=email,
            school_id=0,
            jury_id=0,
            follow_redirects=True,
        )
    role = "organiser" if way == "people-organiser" else "school"
    return submit(
        web.get(f"/c/{cid}/org/people"),
        name="Eve Opfer",
        email=email,
        role=role,
        school_id=0,
        new_school="Angriffsschule, Musterstadt",
        follow_redirects=True,
    )


@pytest.mark.parametrize("mail", ["outbox", "smtp"])
@pytest.mark.parametrize("victim", ["admin", "organiser", "judge", "school"])
@pytest.mark.parametrize("way", ["people-organiser", "people-school", "judges"])
def test_an_invitation_never_takes_over_an_existing_account(
    app, client, web, db, scene, request, way, victim, mail
):
    sink = None
    if mail == "smtp":
        sink = request.getfixturevalue("smtp_sink")
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
    target = scene["victims"][victim]
    assert web.login("mallory@example.org").status_code == 302

    page = _invite(web, way, scene["home"], target.email.upper())
    html = page.get_data(as_text=True)

    assert page.status_code == 200
    assert not TOKEN_LINK.search(html), "a password link for an existing account is on the page"
    assert "hat schon ein Konto" in html
    mails = sink.received if sink else outbox(app)
    assert [m["to"] for m in mails] == [target.email]  # the victim is told, nobody else
    assert not any(TOKEN_LINK.search(link) for m in mails for link in links(m))
    assert "bietet Ihnen eine Rolle an" in mails[0]["body"] and "Mallory" in mails[0]["body"]
    assert "Regionalwettbewerb Angriff" in mails[0]["body"]

    db.session.expire_all()
    assert target.password_hash == scene["hashes"][victim]
    assert not target.has_role(Role.ORGANISER, scene["home"].id)
    assert not target.has_role(Role.SCHOOL, scene["home"].id)
    assert not target.has_role(Role.JUDGE, scene["home"].id)
    # Even a password link for the victim, had one leaked, can set nothing: it has a password.
    leaked = make_token(target, "invite")
    assert web.get(f"/invite/{leaked}").status_code == 400
    assert (
        web.post_raw(
            f"/invite/{leaked}",
            {"password": "Übernahme-des-Kontos-7", "confirm": "Übernahme-des-Kontos-7"},
        ).status_code
        == 400
    )
    db.session.expire_all()
    assert check_password_hash(target.password_hash, PASSWORD)
    with client.session_transaction() as sess:
        assert sess["_user_id"].startswith(f"{scene['attacker'].id}:")  # still Mallory, no one else
    web.logout()
    assert web.login("mallory@example.org", "Übernahme-des-Kontos-7").status_code == 200
    assert web.login(target.email, "Übernahme-des-Kontos-7").status_code == 200
    assert web.login(target.email, PASSWORD).status_code == 302  # the victim still gets in


def test_the_victim_gets_the_role_only_by_accepting_it_logged_in(app, web, db, scene):
    target = scene["victims"]["judge"]
    web.login("mallory@example.org")
    _invite(web, "judges", scene["home"], target.email)
    web.logout()
    assert web.login(target.email).status_code == 302
    roles = web.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Angebotene Rollen" in roles and "Regionalwettbewerb Angriff" in roles
    (offer,) = db.session.scalars(db.select(RoleOffer)).all()
    with pytest.raises(FormError):  # the roles page only declines: the mailed link accepts
        submit(web.get("/roles"), button="Annehmen")
    web.post_raw(f"/roles/offers/{offer.id}", data={"answer": "accept"})
    db.session.expire_all()
    assert not target.has_role(Role.JUDGE, scene["home"].id)  # only the mailed link accepts
    (mail,) = outbox(app)
    (link,) = [urlsplit(u).path for u in links(mail) if "/offer/" in u]
    assert submit(web.get(link), button="accept").status_code == 302
    db.session.expire_all()
    assert target.has_role(Role.JUDGE, scene["home"].id)
    assert target.password_hash == scene["hashes"]["judge"]
    assert web.get(f"/c/{scene['home'].id}/jury/welcome").status_code == 200


def test_someone_else_cannot_answer_an_offer(web, db, scene):
    web.login("mallory@example.org")
    _invite(web, "people-organiser", scene["home"], "admin@example.org")
    (offer,) = db.session.scalars(db.select(RoleOffer)).all()
    assert web.post_raw(f"/roles/offers/{offer.id}", {"answer": "accept"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(RoleOffer, offer.id) is not None


def test_an_organiser_cannot_grant_the_admin_role_or_invite_elsewhere(app, web, db, scene):
    from compmgr.auth.invitations import InvitationRefused, invite_user

    web.login("mallory@example.org")
    people = web.get(f"/c/{scene['home'].id}/org/people")
    with pytest.raises(FormError, match="offers"):
        submit(people, name="Neu", email="neu@example.org", role="admin")  # not on offer
    page = web.post_raw(
        f"/c/{scene['home'].id}/org/people",
        {  # so forged
            "name": "Neu",
            "email": "neu@example.org",
            "role": "admin",
            "school_id": 0,
        },
    )
    assert page.status_code == 200 and "Einladung an" not in page.get_data(as_text=True)
    other = scene["victims"]["organiser"].grants[0].competition
    assert (
        web.post_raw(
            f"/c/{other.id}/org/people",
            {"name": "Neu", "email": "neu@example.org", "role": "organiser"},
        ).status_code
        == 403
    )
    from compmgr.auth.models import User

    assert db.session.execute(db.select(User).filter_by(email="neu@example.org")).first() is None
    with pytest.raises(InvitationRefused):
        invite_user("neu@example.org", "Neu", scene["home"], Role.ADMIN, scene["attacker"])
    with pytest.raises(InvitationRefused):
        invite_user("neu@example.org", "Neu", other, Role.ORGANISER, scene["attacker"])
