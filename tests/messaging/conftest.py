"""A competition with a school (two teacher accounts, one English) and a judge with an account."""

from datetime import date
from types import SimpleNamespace

import pytest

from compmgr.auth.models import Role
from tests.factories import (
    CompetitionFactory,
    JudgeFactory,
    JuryFactory,
    ParticipantFactory,
    SchoolFactory,
    UserFactory,
    grant,
)


@pytest.fixture
def app_config():
    return {"MAIL_RETRY_SECONDS": 0, "PUBLIC_URL": "https://jufo.example.org"}


@pytest.fixture
def scene(app, db, smtp_sink):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
    comp = CompetitionFactory(name="Regionalwettbewerb Würzburg")
    school = SchoolFactory(competition_id=comp.id, name="Gymnasium Süd")
    other = SchoolFactory(competition_id=comp.id, name="Realschule Nord")
    teacher = grant(
        UserFactory(email="lehrerin@example.org", name="Frau Groß"), comp, Role.SCHOOL, school
    )
    english = grant(
        UserFactory(email="teacher@example.org", name="Ms Smith", locale="en"),
        comp,
        Role.SCHOOL,
        school,
    )
    grant(UserFactory(email="nord@example.org"), comp, Role.SCHOOL, other)
    organiser = grant(
        UserFactory(email="leitung@example.org", name="Erika Leitung"), comp, "organiser"
    )
    jury = JuryFactory(competition=comp)
    judge_user = UserFactory(email="jurorin@example.org", name="Jutta Jurorin")
    judge = JudgeFactory(competition=comp, user=judge_user, jury=jury)
    pupil = ParticipantFactory(competition_id=comp.id, school=school, birth_date=date(2010, 5, 17))
    db.session.commit()
    smtp_sink.received.clear()
    return SimpleNamespace(
        comp=comp,
        school=school,
        other=other,
        teacher=teacher,
        english=english,
        organiser=organiser,
        jury=jury,
        judge=judge,
        pupil=pupil,
        sink=smtp_sink,
    )


def mails_to(sink, address):
    return [m for m in sink.received if m["to"] == address]


def publish_results(comp, organiser):
    """Publish as the phase page does: from judging, with one jury locked."""
    from compmgr.competitions import phases
    from compmgr.competitions.models import Status
    from compmgr.database import utcnow
    from tests.factories import JuryFactory

    JuryFactory(competition=comp).locked_at = utcnow()
    comp.status = Status.JUDGING
    phases.change(comp, Status.PUBLISHED, organiser)
