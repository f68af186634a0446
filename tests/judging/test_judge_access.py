"""judge_required: the judge profile read with the user (sessions.preloads) is the right one.

The user loader reads the profile of the URL's competition in its own statement; these tests
pin that a judge gets their profile of that competition only, that a missing profile or
competition is refused, and that a row read for another user or competition is never used.
"""

from flask import g, session
from flask_login import current_user, login_user

from compmgr.auth.models import Role, User
from compmgr.database import utcnow
from compmgr.judging.access import judge_required
from compmgr.judging.models import Judge
from tests.conftest import live_session, sign_in
from tests.factories import CompetitionFactory, JudgeFactory, UserFactory, grant


def _judge(comp, user, first_name="Jutta"):
    return JudgeFactory(
        competition=comp, user=user, first_name=first_name, confidentiality_accepted_at=utcnow()
    )


def test_a_judge_of_two_competitions_gets_each_ones_profile(db, client):
    first, second = CompetitionFactory(), CompetitionFactory(name="Landeswettbewerb")
    user = UserFactory()
    _judge(first, user)
    _judge(second, user)
    with client.session_transaction() as sess:
        sign_in(sess, user)
    for comp in (first, second, first):
        assert client.get(f"/c/{comp.id}/jury/").status_code == 200, comp.id


def test_a_judge_role_without_a_profile_or_competition_is_refused(db, client):
    first, second = CompetitionFactory(), CompetitionFactory(name="Landeswettbewerb")
    user = UserFactory()
    _judge(first, user)
    grant(user, second, Role.JUDGE)  # the organiser removed the profile, the role stayed
    removed = _judge(CompetitionFactory(name="Bundeswettbewerb"), user)
    removed_cid = removed.competition_id
    db.session.delete(removed)
    with client.session_transaction() as sess:
        sign_in(sess, user)
    assert client.get(f"/c/{second.id}/jury/").status_code == 403
    assert client.get(f"/c/{removed_cid}/jury/").status_code == 403
    assert client.get("/c/999999/jury/").status_code == 404
    assert client.get(f"/c/{first.id}/jury/").status_code == 200


def _run_judge_view(cid):
    return judge_required(lambda cid: g.judge.id)(cid=cid)


def test_a_user_logged_in_by_the_request_never_gets_the_loaded_users_profile(db, app):
    """login_user after the loader ran (login, invitation, reset): the row is the old user's."""
    comp = CompetitionFactory()
    old, new = UserFactory(), UserFactory()
    _judge(comp, old)
    new_judge = _judge(comp, new, first_name="Neu")
    cookie, new_id, new_judge_id = live_session(old), new.id, new_judge.id
    # An app context of its own, as a request has it: the test's ``g`` stays out of it.
    with app.app_context(), app.test_request_context(f"/c/{comp.id}/jury/"):
        session.update(cookie)
        assert current_user.email == old.email  # the loader read old's row, profile included
        login_user(db.session.get(User, new_id))
        assert _run_judge_view(comp.id) == new_judge_id


def test_a_row_read_for_another_competition_is_not_used(db, app):
    """A judge view called for another cid than the URL's reads that competition's profile."""
    first, second = CompetitionFactory(), CompetitionFactory(name="Landeswettbewerb")
    user = UserFactory()
    _judge(first, user)
    other = _judge(second, user, first_name="Zweit")
    cookie, other_id = live_session(user), other.id
    with app.app_context(), app.test_request_context(f"/c/{first.id}/jury/"):
        session.update(cookie)
        assert current_user.is_authenticated
        assert _run_judge_view(second.id) == other_id
        assert db.session.get(Judge, other_id).competition_id == second.id
