"""Names, schools and titles are listed in German phone-book order (DIN 5007-1) on both
databases: Böhm before Braun, Schäfer before Schwarz, Öztürk with the O's, Weis before Weiß."""

import csv
import io
import re
from datetime import date

import pytest

from compmgr.auth.models import Role
from compmgr.sorting import by_name, sort_text
from tests.factories import (
    CompetitionFactory,
    ParticipantFactory,
    ProjectFactory,
    SchoolFactory,
    UserFactory,
    grant,
)

GERMAN = ["Böhm", "Braun", "Ober", "Oz", "Öztürk", "Schäfer", "Schwarz", "Weis", "Weiß"]
# Neither the order of insertion nor byte order is German order.
INSERTED = ["Weiß", "Öztürk", "Schwarz", "Braun", "Oz", "Schäfer", "Böhm", "Weis", "Ober"]


def test_phone_book_key():
    assert sorted(INSERTED, key=sort_text) == GERMAN
    assert sorted(INSERTED) != GERMAN  # what a byte-order ORDER BY gives
    assert sort_text("Straße") == sort_text("STRASSE") == "strasse"


def test_same_last_name_sorts_by_first_name_and_equal_keys_stay_apart():
    class P:
        def __init__(self, first, last):
            self.first_name, self.last_name = first, last

    people = [P("Zoë", "Müller"), P("Ärne", "Muller"), P("Anna", "Müller"), P("Anna", "Muller")]
    assert [(p.first_name, p.last_name) for p in by_name(people)] == [
        ("Anna", "Muller"),
        ("Anna", "Müller"),
        ("Ärne", "Muller"),
        ("Zoë", "Müller"),
    ]


@pytest.fixture
def school_with_nine(db):
    """One school; nine pupils, each with a project of their own, inserted out of order."""
    comp = CompetitionFactory(registration_deadline=date(2099, 11, 30))
    school = SchoolFactory(competition_id=comp.id, name="Gymnasium am Weißen Berg")
    for n, last in enumerate(INSERTED):
        person = ParticipantFactory(
            competition_id=comp.id,
            school=school,
            first_name="Kim",
            last_name=last,
            birth_date=date(2010, 1, 1 + n),
        )
        ProjectFactory(
            competition=comp,
            school=school,
            participants=[person],
            title=f"Projekt von {last}",
            stand=f"A{n + 1:02d}",
        )
    school_user = grant(UserFactory(), comp, Role.SCHOOL, school)
    organiser = grant(UserFactory(), comp, Role.ORGANISER)
    db.session.commit()
    return comp, school_user, organiser


def test_school_participant_list(school_with_nine, login_as):
    comp, school_user, _organiser = school_with_nine
    html = login_as(school_user).get(f"/c/{comp.id}/school/").get_data(as_text=True)
    assert re.findall(r">([^<>,]+), Kim</a>", html) == GERMAN
    assert re.findall(r">Projekt von ([^<]+)</a>", html) == GERMAN


def test_certificate_list(school_with_nine, login_as):
    comp, _school_user, organiser = school_with_nine
    html = login_as(organiser).get(f"/c/{comp.id}/print/").get_data(as_text=True)
    assert re.findall(r"<td>Kim ([^<]+)</td>", html) == GERMAN


def test_privacy_participant_list(school_with_nine, login_as):
    comp, _school_user, organiser = school_with_nine
    html = login_as(organiser).get(f"/c/{comp.id}/org/privacy/").get_data(as_text=True)
    assert re.findall(r">([^<>,]+), Kim</a>", html) == GERMAN


def test_csv_export(school_with_nine, login_as):
    comp, _school_user, organiser = school_with_nine
    response = login_as(organiser).get(
        f"/c/{comp.id}/org/entries/export?table=participants&format=csv"
    )
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == GERMAN
