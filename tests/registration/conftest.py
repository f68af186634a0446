"""Fixtures for registration tests: a competition with one school account."""

from dataclasses import dataclass
from datetime import date

import pytest

from compmgr.auth.models import Role
from tests.factories import CompetitionFactory, SchoolFactory, UserFactory, grant


@dataclass
class Setup:
    comp: object
    school: object
    user: object
    other_school: object
    other_user: object
    organiser: object


@pytest.fixture
def setup(db):
    comp = CompetitionFactory(registration_deadline=date(2099, 11, 30))
    school = SchoolFactory(competition_id=comp.id, name="Gymnasium am Weißen Berg")
    other = SchoolFactory(competition_id=comp.id, name="Gesamtschule Süd")
    user = grant(UserFactory(email="schule1@example.org"), comp, Role.SCHOOL, school)
    other_user = grant(UserFactory(email="schule2@example.org"), comp, Role.SCHOOL, other)
    organiser = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    return Setup(comp, school, user, other, other_user, organiser)
