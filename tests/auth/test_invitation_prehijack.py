"""Pre-hijacking across competitions: an organiser sets up an account for someone else's address.

Without a mail server the organiser who invites a new address sees its password link. A
malicious organiser of one competition can so hold a link for (or set the password of) an
address that another competition will invite later. That other competition's role must never
reach the malicious organiser: a link made before the account got a further role dies, and an
offered role takes effect only through the link mailed to the address, opened while logged in.
"""

import re
from urllib.parse import urlsplit

import pytest

from compmgr.auth.models import Role, RoleOffer, User
from tests.factories import CompetitionFactory, UserFactory, grant
from tests.forms import submit
from tests.mailbox import links, outbox

SHOWN = re.compile(r"https?://[^\s<\"]+/(?:invite|offer)/[A-Za-z0-9_.\-]+")
VICTIM = "lehrerin@schule.example"
ATTACKER_PW = "Kuckucksei-im-fremden-Nest-7"
VICTIM_PW = "Lehrerzimmer-Kaffee-Tasse-9"


@pytest.fixture
def scene(db):
    home = CompetitionFactory(name="Regionalwettbewerb Angriff")
    other = CompetitionFactory(name="Regionalwettbewerb Anderswo")
    grant(UserFactory(email="mallory@example.org", name="Mallory"), home, Role.ORGANISER)
    grant(UserFactory(email="orga-b@example.org", name="Olga Anderswo"), other, Role.ORGANISER)
    db.session.commit()
    return {"home": home, "other": other}


def _invite(web, way, comp, email=VICTIM):
    if way == "judges":
        return submit(
            web.get(f"/c/{comp.id}/org/judging/judges"),
            first_name="Lena",
            last_name="Lehrerin",
            email=email,
            school_id=0,
            jury_id=0,
        )
    role = "organiser" if way == "people-organiser" else "school"
    return submit(
        web.get(f"/c/{comp.id}/org/people"),
        name="Lena Lehrerin",
        email=email,
        role=role,
        school_id=0,
        new_school="Schule Anderswo, Musterstadt",
    )


def _shown_link(page):
    (link,) = SHOWN.findall(page.get_data(as_text=True))
    return urlsplit(link).path


def _mailed_link(app, kind):
    return [
        urlsplit(u).path
        for m in outbox(app)
        if m["to"] == VICTIM
        for u in links(m)
        if f"/{kind}/" in u
    ][-1]


def _holds_other_role(db, scene):
    user = db.session.execute(db.select(User).filter_by(email=VICTIM)).scalar_one()
    db.session.refresh(user)
    return any(
        user.has_role(role, scene["other"].id) for role in (Role.ORGANISER, Role.SCHOOL, Role.JUDGE)
    )


@pytest.mark.parametrize("way", ["people-organiser", "people-school", "judges"])
def test_a_link_shown_before_another_competition_invites_the_address_dies(app, web, db, scene, way):
    web.login("mallory@example.org")
    early_link = _shown_link(_invite(web, "people-organiser", scene["home"]))
    web.logout()
    web.login("orga-b@example.org")
    assert "erneut verschickt" in _invite(web, way, scene["other"]).get_data(as_text=True)
    web.logout()

    taken = web.post_raw(early_link, data={"password": ATTACKER_PW, "confirm": ATTACKER_PW})

    assert taken.status_code == 400
    assert (
        db.session.execute(db.select(User.password_hash).filter_by(email=VICTIM)).scalar_one()
        is None
    )
    assert web.login(VICTIM, ATTACKER_PW).status_code == 200
    # The newest link, which went to the address only, still lets the person in.
    assert (
        submit(
            web.get(_mailed_link(app, "invite")), password=VICTIM_PW, confirm=VICTIM_PW
        ).status_code
        == 302
    )
    assert _holds_other_role(db, scene)


@pytest.mark.parametrize("way", ["people-organiser", "people-school", "judges"])
def test_an_account_someone_else_set_up_cannot_take_an_offered_role(app, web, db, scene, way):
    web.login("mallory@example.org")
    early_link = _shown_link(_invite(web, "people-organiser", scene["home"]))
    web.logout()
    assert submit(web.get(early_link), password=ATTACKER_PW, confirm=ATTACKER_PW).status_code == 302
    web.logout()
    web.login("orga-b@example.org")
    offered = _invite(web, way, scene["other"])
    assert "hat schon ein Konto" in offered.get_data(as_text=True)
    web.logout()

    assert web.login(VICTIM, ATTACKER_PW).status_code == 302  # Mallory holds the password
    roles = web.get("/roles").get_data(as_text=True)
    (offer,) = db.session.scalars(db.select(RoleOffer)).all()
    assert 'value="accept"' not in roles  # only the link of the mail accepts
    web.post_raw(f"/roles/offers/{offer.id}", data={"answer": "accept"})  # no page offers it

    assert not _holds_other_role(db, scene)
    assert db.session.get(RoleOffer, offer.id) is not None
    assert web.get(f"/c/{scene['other'].id}/org/").status_code == 403


def test_an_offer_is_accepted_through_the_mailed_link_by_its_own_account(app, web, db, scene):
    grant(UserFactory(email=VICTIM, name="Lena Lehrerin"), scene["home"], Role.JUDGE)
    web.login("orga-b@example.org")
    page = _invite(web, "people-organiser", scene["other"]).get_data(as_text=True)
    web.logout()
    link = _mailed_link(app, "offer")
    assert link in page  # no mail server: the inviting organiser may hand the link on

    web.login("mallory@example.org")  # any other account: the link is not theirs
    assert web.post_raw(link, data={"answer": "accept"}).status_code == 404
    web.logout()
    assert not _holds_other_role(db, scene)
    anonymous = web.get(link)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]

    web.login(VICTIM)
    shown = web.get(link)
    assert shown.status_code == 200 and "Regionalwettbewerb Anderswo" in shown.get_data(
        as_text=True
    )
    assert submit(shown, button="accept").status_code == 302
    assert _holds_other_role(db, scene)
    assert db.session.scalars(db.select(RoleOffer)).all() == []
    assert web.post_raw(link, data={"answer": "accept"}).status_code == 404  # used up
