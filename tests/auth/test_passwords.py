"""The password policy refuses short, common and breached passwords wherever one is set."""

import pytest

from compmgr.auth.models import Role, User
from compmgr.auth.passwords import password_problem
from compmgr.auth.tokens import make_token
from tests.factories import PASSWORD, CompetitionFactory, UserFactory, grant
from tests.forms import submit

GOOD = "Zahnbürste-Rakete-7"


@pytest.mark.parametrize("password", ["password123", "1234567890", "iloveyou12", "qwertzuiop"])
def test_breached_passwords_are_refused(app, password):
    assert "geleakt" in str(password_problem(password))


@pytest.mark.parametrize("password", ["passwort123", "Jugendforscht1", "hallo12345", "michael1985"])
def test_guessable_passwords_are_refused(app, password):
    assert "zu leicht zu erraten" in str(password_problem(password))


def test_the_account_s_own_words_count_as_guessable(app):
    assert password_problem("kaethe.gross2027", ["kaethe.gross@schule.example", "Käthe Groß"])


@pytest.mark.parametrize(
    "password", [GOOD, "ein langes passwort", "korrekt-pferd-batterie", "x" * 5 + GOOD * 5]
)
def test_good_passwords_pass(app, password):
    assert password_problem(password) is None


def test_short_passwords_are_refused(app):
    assert "mindestens 10 Zeichen" in str(password_problem("Kz7!x"))


def test_reset_refuses_a_breached_password_next_to_the_field(web, db):
    user = UserFactory()
    db.session.commit()
    form = web.get(f"/reset/{make_token(user, 'reset')}")
    page = submit(form, password="password123", confirm="password123")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="password-error"' in html and "geleakt" in html


def test_invitation_refuses_a_guessable_password(web, db):
    user = UserFactory(password_hash=None)
    db.session.commit()
    form = web.get(f"/invite/{make_token(user, 'invite')}")
    page = submit(form, password="passwort123", confirm="passwort123")
    assert "zu leicht zu erraten" in page.get_data(as_text=True)
    db.session.expire_all()
    assert user.password_hash is None


def test_password_change_refuses_a_breached_password(web, db):
    grant(UserFactory(email="orga@example.org"), CompetitionFactory(), Role.ORGANISER)
    db.session.commit()
    web.login("orga@example.org")
    page = submit(
        web.get("/account"), current=PASSWORD, password="iloveyou12", confirm="iloveyou12"
    )
    assert page.status_code == 422 and "geleakt" in page.get_data(as_text=True)


def test_flask_init_refuses_a_weak_password(runner, db):
    result = runner.invoke(
        args=[
            "init",
            "--email",
            "admin@example.org",
            "--name",
            "Admin",
            "--password",
            "password123",
        ]
    )
    assert result.exit_code == 1 and "geleakt" in result.output
    assert db.session.execute(db.select(User).filter_by(email="admin@example.org")).first() is None
    result = runner.invoke(
        args=["init", "--email", "admin@example.org", "--name", "Admin", "--password", GOOD]
    )
    assert result.exit_code == 0, result.output
