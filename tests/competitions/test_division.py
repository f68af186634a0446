"""The division rule: the oldest member's age on the cut-off date decides."""

from datetime import date
from types import SimpleNamespace

import pytest

from compmgr.competitions.services import age_on, division_for

CUTOFF = date(2026, 12, 31)


def person(birth, name="Lena Müller"):
    first, last = name.split()
    return SimpleNamespace(birth_date=birth, first_name=first, last_name=last)


@pytest.fixture
def divisions():
    jf = SimpleNamespace(name="Jugend forscht", min_age=15, max_age=21)
    junior = SimpleNamespace(name="Jugend forscht junior", min_age=None, max_age=14)
    return [jf, junior]


def test_age_counts_birthday_on_the_day_itself():
    assert age_on(date(2011, 12, 31), CUTOFF) == 15
    assert age_on(date(2012, 1, 1), CUTOFF) == 14
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17  # leap-day child before birthday


def test_15th_birthday_on_31_december_is_jugend_forscht(divisions):
    result = division_for([person(date(2011, 12, 31))], divisions, CUTOFF)
    assert result.division.name == "Jugend forscht"
    assert result.age == 15


def test_15th_birthday_on_1_january_is_still_junior(divisions):
    result = division_for([person(date(2012, 1, 1))], divisions, CUTOFF)
    assert result.division.name == "Jugend forscht junior"
    assert result.age == 14


def test_team_of_12_12_and_15_is_jugend_forscht_because_of_the_oldest(app, divisions):
    team = [
        person(date(2014, 6, 1), "Ida Klein"),
        person(date(2014, 7, 1), "Emil Groß"),
        person(date(2011, 5, 5), "Lena Müller"),
    ]
    result = division_for(team, divisions, CUTOFF)
    assert result.division.name == "Jugend forscht"
    assert result.oldest is team[2]
    assert (
        result.explain()
        == "Sparte Jugend forscht, weil Lena Müller am 31.12.2026 15 Jahre alt ist."
    )


def test_too_old_for_every_division(app, divisions):
    result = division_for([person(date(2004, 1, 1))], divisions, CUTOFF)
    assert result.division is None
    assert "Keine Sparte passt" in result.explain()


def test_no_members_no_division(divisions):
    assert division_for([], divisions, CUTOFF).division is None
