"""Dates on web pages follow the reader's language: 25.02.2027 in German, 25 Feb 2027 in English."""

import html
from datetime import UTC, date, datetime

from flask_babel import force_locale

from compmgr.auth.models import Role
from compmgr.competitions.models import Status
from compmgr.dates import show_date, show_datetime
from tests.factories import CompetitionFactory, UserFactory, grant
from tests.forms import submit

AFTERNOON = datetime(2027, 2, 25, 13, 30, 5, tzinfo=UTC)  # 14:30 in Berlin (winter time)


def test_german_keeps_the_numeric_form_and_english_names_the_month(app):
    with app.test_request_context():
        assert show_date(date(2027, 2, 25)) == "25.02.2027"
        assert show_datetime(AFTERNOON) == "25.02.2027 14:30"
        assert show_datetime(AFTERNOON, seconds=True) == "25.02.2027 14:30:05"
        with force_locale("en"):
            assert show_date(date(2027, 2, 25)) == "25 Feb 2027"
            assert show_datetime(AFTERNOON) == "25 Feb 2027, 14:30"
            assert show_datetime(AFTERNOON, seconds=True) == "25 Feb 2027, 14:30:05"
        assert show_date(None) == show_datetime(None) == ""


def test_times_are_shown_in_berlin_time_also_in_summer(app):
    with app.test_request_context(), force_locale("en"):
        assert show_datetime(datetime(2027, 7, 1, 22, 15, tzinfo=UTC)) == "2 Jul 2027, 00:15"
        assert show_date(datetime(2027, 7, 1, 22, 15, tzinfo=UTC)) == "2 Jul 2027"


def test_organiser_pages_show_dates_in_the_chosen_language(db, web):
    comp = CompetitionFactory(starts_on=date(2027, 2, 25))
    comp.status = Status.PUBLISHED
    comp.results_published_at = AFTERNOON
    user = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    web.login(user.email)

    dashboard, publish = f"/c/{comp.id}/org/", f"/c/{comp.id}/org/publish"
    assert "25.02.2027" in web.get(dashboard).get_data(as_text=True)
    assert "25.02.2027 14:30" in web.get(publish).get_data(as_text=True)

    assert submit(web.get(dashboard), button="English").status_code == 302
    page = html.unescape(web.get(dashboard).get_data(as_text=True))
    assert "25 Feb 2027" in page and "25.02.2027" not in page
    page = html.unescape(web.get(publish).get_data(as_text=True))
    assert "25 Feb 2027, 14:30" in page and "25.02.2027" not in page
