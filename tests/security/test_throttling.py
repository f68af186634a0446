"""Throttling behind a reverse proxy: a guesser is slowed, nobody can lock out someone else."""

from datetime import timedelta

import pytest

from compmgr.auth.models import LoginAttempt
from tests.factories import PASSWORD, UserFactory
from tests.forms import submit
from tests.mailbox import outbox

ATTACKER, HALL_DEVICE, JUDGE_PHONE = "10.0.0.66", "10.0.0.7", "10.0.0.8"


@pytest.fixture
def app_config():
    return {"PROXY_FIX_X_FOR": 1}  # one nginx in front, as README recommends


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch):
    """Stop the throttle's clock: how long the machine takes to hash passwords must not decide
    whether an attempt falls inside a delay. Time passes only through _age."""
    from compmgr.auth import throttle

    now = throttle.utcnow()
    monkeypatch.setattr(throttle, "utcnow", lambda: now)


@pytest.fixture
def judge(db):
    user = UserFactory(email="jurorin@example.org", name="Jana Jurorin")
    UserFactory(email="kollege@example.org")
    db.session.commit()
    return user


def attempt(client, email, password, ip):
    """Fill in the login form from a client address as the proxy reports it."""
    proxy = {"X-Forwarded-For": ip}
    return submit(
        client.get("/login", headers=proxy), email=email, password=password, headers=proxy
    )


def reset(client, email, ip, **kwargs):
    """Ask for a password reset link from a client address as the proxy reports it."""
    proxy = {"X-Forwarded-For": ip}
    return submit(client.get("/reset", headers=proxy), email=email, headers=proxy, **kwargs)


def _age(db, seconds):
    for row in db.session.scalars(db.select(LoginAttempt)):
        row.at = row.at - timedelta(seconds=seconds)
    db.session.commit()


def test_forty_failures_behind_the_proxy_do_not_lock_out_the_hall(app, client, judge):
    for n in range(40):
        attempt(client, f"opfer{n}@example.org", "rate mal", ATTACKER)
    hall = app.test_client()
    assert attempt(hall, "jurorin@example.org", PASSWORD, HALL_DEVICE).status_code == 302
    slowed = attempt(
        client, "kollege@example.org", PASSWORD, ATTACKER
    )  # stuffing from that address
    assert slowed.status_code == 429
    assert int(slowed.headers["Retry-After"]) <= app.config["LOGIN_MAX_DELAY"]


def test_wrong_passwords_never_lock_out_the_named_judge(app, client, db, judge):
    phone = app.test_client()
    assert attempt(phone, "jurorin@example.org", PASSWORD, JUDGE_PHONE).status_code == 302
    submit(phone.get("/roles"), button="Abmelden")
    for ip in ("10.0.0.66", "10.0.0.67", "10.0.0.68"):  # five each, then each pair has to wait
        for _ in range(6):
            attempt(client, "jurorin@example.org", "falsch-falsch", ip)
    # The judge's phone logged in before: the account-wide slow-down does not touch it.
    assert attempt(phone, "jurorin@example.org", PASSWORD, JUDGE_PHONE).status_code == 302
    # A device the judge never used is slowed by a bounded delay, never locked.
    fresh = app.test_client()
    waited = attempt(fresh, "jurorin@example.org", PASSWORD, "10.0.0.9")
    assert waited.status_code == 429
    assert int(waited.headers["Retry-After"]) <= app.config["LOGIN_MAX_DELAY"]
    _age(db, app.config["LOGIN_MAX_DELAY"])
    assert attempt(fresh, "jurorin@example.org", PASSWORD, "10.0.0.9").status_code == 302


def test_five_wrong_passwords_from_elsewhere_leave_a_new_device_alone(app, client, judge):
    for _ in range(5):
        attempt(client, "jurorin@example.org", "falsch-falsch", ATTACKER)
    assert (
        attempt(app.test_client(), "jurorin@example.org", PASSWORD, JUDGE_PHONE).status_code == 302
    )


def test_a_guesser_is_slowed_down_more_and_more(app, client, db, judge):
    for _ in range(5):
        assert attempt(client, "jurorin@example.org", "falsch-falsch", ATTACKER).status_code == 200
    blocked = attempt(client, "jurorin@example.org", PASSWORD, ATTACKER)  # not even checked
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) == 30
    _age(db, 31)
    assert attempt(client, "jurorin@example.org", "falsch-falsch", ATTACKER).status_code == 200
    assert (
        int(attempt(client, "jurorin@example.org", PASSWORD, ATTACKER).headers["Retry-After"]) == 60
    )
    _age(db, app.config["LOGIN_WINDOW_SECONDS"])
    assert attempt(client, "jurorin@example.org", PASSWORD, ATTACKER).status_code == 302


def test_a_forged_device_cookie_is_no_trusted_client(app, client, db, judge):
    from compmgr.auth.throttle import DEVICE_COOKIE

    for ip in ("10.0.0.66", "10.0.0.67"):
        for _ in range(5):
            attempt(client, "jurorin@example.org", "falsch-falsch", ip)
    client.set_cookie(DEVICE_COOKIE, "eyJkIjoieCIsImEiOltdfQ.forged")
    assert attempt(client, "jurorin@example.org", PASSWORD, "10.0.0.69").status_code == 429


def test_reset_mails_are_throttled_per_account_with_the_same_answer(app, client, judge):
    answers = set()
    for _ in range(8):
        response = reset(client, "jurorin@example.org", ATTACKER, follow_redirects=True)
        answers.add(
            (
                response.status_code,
                "Falls ein Konto mit dieser Adresse besteht" in response.get_data(as_text=True),
            )
        )
    unknown = reset(client, "niemand@example.org", HALL_DEVICE, follow_redirects=True)
    answers.add(
        (
            unknown.status_code,
            "Falls ein Konto mit dieser Adresse besteht" in unknown.get_data(as_text=True),
        )
    )
    assert answers == {(200, True)}
    assert len(outbox(app)) == app.config["RESET_MAX_PER_ACCOUNT"] == 3


def test_reset_requests_are_throttled_per_client(app, client, db):
    for n in range(12):
        UserFactory(email=f"person{n}@example.org")
    db.session.commit()
    for n in range(12):
        reset(client, f"person{n}@example.org", ATTACKER)
    assert len(outbox(app)) == app.config["RESET_MAX_PER_CLIENT"] == 10
    other = app.test_client()
    reset(other, "person11@example.org", HALL_DEVICE)
    assert len(outbox(app)) == 11
