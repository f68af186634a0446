"""The registration rules, tested without a request."""

from datetime import date

import pytest

from compmgr.competitions.models import Status
from compmgr.registration import services
from compmgr.registration.models import ProjectStatus
from tests.factories import ParticipantFactory, ProjectFactory


def person(setup, school=None, **kw):
    kw.setdefault("birth_date", date(2010, 5, 17))
    return ParticipantFactory(competition_id=setup.comp.id, school=school or setup.school, **kw)


def test_registration_open_until_the_deadline(setup):
    comp, school = setup.comp, setup.school
    comp.registration_deadline = date(2026, 11, 30)
    assert services.registration_open(comp, school, on=date(2026, 11, 30))
    assert not services.registration_open(comp, school, on=date(2026, 12, 1))


def test_registration_needs_the_open_status(setup):
    setup.comp.status = Status.SETUP
    assert not services.registration_open(setup.comp, setup.school, on=date(2026, 10, 1))


def test_extension_reopens_registration_for_one_school_only(setup):
    comp = setup.comp
    comp.registration_deadline = date(2026, 11, 30)
    comp.status = Status.REGISTRATION_CLOSED
    setup.school.registration_extended_until = date(2026, 12, 7)
    assert services.registration_open(comp, setup.school, on=date(2026, 12, 5))
    assert not services.registration_open(comp, setup.other_school, on=date(2026, 12, 5))
    assert not services.registration_open(comp, setup.school, on=date(2026, 12, 8))


def test_school_edits_are_frozen_from_judging_on(setup):
    setup.school.registration_extended_until = date(2099, 1, 1)
    for status in (Status.JUDGING, Status.PUBLISHED):
        setup.comp.status = status
        assert not services.registration_open(setup.comp, setup.school, on=date(2026, 10, 1))
        assert not services.paper_upload_open(setup.comp, on=date(2026, 10, 1))
    # the refusal says the phase the competition is in (here: published), not always judging
    with pytest.raises(services.RuleError, match="Ergebnisse sind veröffentlicht"):
        services.require_registration_open(setup.comp, setup.school, on=date(2026, 10, 1))
    setup.comp.status = Status.JUDGING
    with pytest.raises(services.RuleError, match="Bewertung hat begonnen"):
        services.require_registration_open(setup.comp, setup.school, on=date(2026, 10, 1))


def test_paper_upload_open_until_the_paper_deadline(setup):
    setup.comp.paper_deadline = date(2027, 1, 15)
    setup.comp.status = Status.REGISTRATION_CLOSED
    assert services.paper_upload_open(setup.comp, on=date(2027, 1, 15))
    assert not services.paper_upload_open(setup.comp, on=date(2027, 1, 16))


@pytest.mark.parametrize(
    "birth,grade,field,text",
    [
        (date(2030, 1, 1), 5, "birth_date", "nicht plausibel"),
        (date(2024, 1, 1), 1, "birth_date", "nicht plausibel"),
        (date(1890, 1, 1), 5, "birth_date", "nicht plausibel"),
        (date(2003, 6, 1), 13, "birth_date", "passt keine Sparte"),
        (date(2017, 6, 1), 3, "grade", "ab Klasse 4"),
    ],
)
def test_participant_checks(setup, birth, grade, field, text):
    errors = services.check_birth_and_grade(setup.comp, birth, grade, on=date(2026, 10, 1))
    assert text in errors[field]


def test_participant_checks_accept_a_plausible_pupil(setup):
    assert (
        services.check_birth_and_grade(setup.comp, date(2012, 3, 1), 8, on=date(2026, 10, 1)) == {}
    )
    # 21 on the cut-off day is still Jugend forscht
    assert (
        services.check_birth_and_grade(setup.comp, date(2005, 12, 31), 13, on=date(2026, 10, 1))
        == {}
    )


def test_duplicate_is_found_by_name_and_birth_date_ignoring_case(setup, db):
    existing = person(setup, first_name="Lena", last_name="Müller")
    db.session.flush()
    assert services.find_duplicate(setup.comp.id, "lena ", "MÜLLER", date(2010, 5, 17)) == existing
    assert services.find_duplicate(setup.comp.id, "Lena", "Müller", date(2010, 5, 17)) == existing
    assert services.find_duplicate(setup.comp.id, "Lena", "Müller", date(2010, 5, 18)) is None
    assert (
        services.find_duplicate(
            setup.comp.id, "Lena", "Müller", date(2010, 5, 17), exclude_id=existing.id
        )
        is None
    )


def test_team_size_is_limited(setup):
    team = [person(setup, first_name=f"P{i}") for i in range(4)]
    errors = services.check_team(setup.comp, setup.school, team, team[0])
    assert any("höchstens 3" in e for e in errors)
    assert services.check_team(setup.comp, setup.school, team[:3], team[0]) == []
    assert services.check_team(setup.comp, setup.school, [], None)


def test_a_participant_is_in_one_project_only_by_default(setup):
    lena = person(setup, first_name="Lena")
    ProjectFactory(
        competition=setup.comp, school=setup.school, participants=[lena], title="Erstes Projekt"
    )
    errors = services.check_team(setup.comp, setup.school, [lena], lena)
    assert any("Erstes Projekt" in e for e in errors)
    setup.comp.max_projects_per_participant = 2
    assert services.check_team(setup.comp, setup.school, [lena], lena) == []


def test_withdrawn_projects_do_not_count(setup):
    lena = person(setup, first_name="Lena")
    ProjectFactory(
        competition=setup.comp,
        school=setup.school,
        participants=[lena],
        status=ProjectStatus.WITHDRAWN,
    )
    assert services.check_team(setup.comp, setup.school, [lena], lena) == []


def test_speaker_must_be_in_the_team_and_members_from_the_school(setup):
    a, b = person(setup, first_name="A"), person(setup, first_name="B")
    stranger = person(setup, school=setup.other_school, first_name="C")
    assert any(
        "Gruppensprecher" in e for e in services.check_team(setup.comp, setup.school, [a], b)
    )
    assert any(
        "nicht zu Ihrer Schule" in e
        for e in services.check_team(setup.comp, setup.school, [a, stranger], a)
    )


def test_division_follows_the_oldest_member_and_is_recomputed(setup, db):
    junior = person(setup, first_name="Jan", birth_date=date(2014, 1, 1), grade=7)
    older = person(setup, first_name="Ole", birth_date=date(2009, 1, 1), grade=11)
    project = services.save_project(
        setup.comp,
        setup.school,
        None,
        {"title": "Wasser", "subject_id": setup.comp.subjects[0].id},
        [junior],
        junior,
        on=date(2026, 10, 1),
    )
    db.session.flush()
    assert project.division.code == "junior"
    services.save_project(
        setup.comp, setup.school, project, {}, [junior, older], junior, on=date(2026, 10, 1)
    )
    assert project.division.code == "jf"
    assert "Ole Müller" in services.division_explanation(project, setup.comp)
    assert "17 Jahre" in services.division_explanation(project, setup.comp)


def test_promoted_project_keeps_its_division(setup, db):
    junior = person(setup, first_name="Jan", birth_date=date(2014, 1, 1), grade=7)
    project = ProjectFactory(competition=setup.comp, school=setup.school, participants=[junior])
    project.promoted, project.promoted_reason = True, "herausragend"
    project.division = setup.comp.divisions[0]
    services.update_division(project, setup.comp)
    assert project.division.code == "jf"


def test_save_project_refuses_when_registration_is_closed(setup):
    lena = person(setup, first_name="Lena")
    setup.comp.status = Status.REGISTRATION_CLOSED
    with pytest.raises(services.RuleError, match="geschlossen"):
        services.save_project(
            setup.comp, setup.school, None, {"title": "x"}, [lena], lena, on=date(2026, 10, 1)
        )


def test_missing_items_name_what_is_missing(setup):
    lena = person(setup, first_name="Lena")
    project = ProjectFactory(
        competition=setup.comp, school=setup.school, participants=[lena], involves_animals=True
    )
    missing = [str(m) for m in services.missing_items(project)]
    assert "Schriftliche Arbeit" in missing and "Tierschutzformular" in missing
    assert "Teilnahmeerklärung von Lena Müller" in missing
    services.set_consents(lena, {"participation": True})
    assert "Teilnahmeerklärung von Lena Müller" not in [
        str(m) for m in services.missing_items(project)
    ]
    assert lena.consents[-1].given_by == "parent"
