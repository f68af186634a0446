"""Organisers correct anything, schools can't trip (issue 13): one test per defect."""

from datetime import date

from compmgr.audit.models import AuditEntry
from compmgr.registration.models import Participant, Project, School
from tests.factories import ParticipantFactory, ProjectFactory, make_document
from tests.forms import submit


def org(setup, path=""):
    return f"/c/{setup.comp.id}/org/entries{path}"


def _person(setup, first, last, school=None, birth=date(2010, 3, 1), grade=10):
    return ParticipantFactory(
        competition_id=setup.comp.id,
        school=school or setup.school,
        first_name=first,
        last_name=last,
        birth_date=birth,
        grade=grade,
    )


def _project(setup, title, team, school=None, **kw):
    return ProjectFactory(
        competition=setup.comp,
        school=school or setup.school,
        participants=team,
        title=title,
        abstract="Kurz.",
        supervisor_name="Frau Weiß",
        supervisor_email="weiss@schule.example",
        **kw,
    )


def _audit(db, action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)).all()


def _closed(setup, db):
    setup.comp.registration_deadline = date(2020, 11, 30)
    db.session.commit()


# --- organisers edit every registration -------------------------------------------------------


def test_organiser_corrects_title_and_team_after_the_deadline_with_the_audit_trail(
    setup, login_as, db
):
    lena, ben = _person(setup, "Lena", "Weiß"), _person(setup, "Ben", "Bauer")
    project = _project(setup, "Wasserfilter", [lena])
    _closed(setup, db)
    web = login_as(setup.organiser)
    page = web.get(org(setup, f"/projects/{project.id}"))
    assert "Anmeldung korrigieren" in page.get_data(as_text=True)
    form = web.get(org(setup, f"/projects/{project.id}/edit"))
    assert form.status_code == 200
    response = submit(
        form, title="Wasserfilter aus Sand", members=[lena.id, ben.id], speaker_id=ben.id
    )
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.title == "Wasserfilter aus Sand"
    assert [p.full_name for p in project.participants] == ["Lena Weiß", "Ben Bauer"]
    assert project.speaker == ben
    (entry,) = _audit(db, "project.correct")
    assert entry.before["title"] == "Wasserfilter" and entry.after["team"] == "Lena Weiß, Ben Bauer"
    audit = web.get(f"/c/{setup.comp.id}/org/audit/").get_data(as_text=True)
    assert "Anmeldung von der Wettbewerbsleitung korrigiert" in audit


def test_organiser_correction_keeps_the_team_rules(setup, login_as, db):
    lena, ben = _person(setup, "Lena", "Weiß"), _person(setup, "Ben", "Bauer")
    project = _project(setup, "Wasserfilter", [lena])
    _project(setup, "Anderes", [ben])
    db.session.commit()
    web = login_as(setup.organiser)
    response = submit(
        web.get(org(setup, f"/projects/{project.id}/edit")),
        members=[lena.id, ben.id],
        title="Geändert",
    )
    assert response.status_code == 422
    assert "Ben Bauer ist schon im Projekt „Anderes“" in response.get_data(as_text=True)
    db.session.refresh(project)
    assert project.title == "Wasserfilter" and len(project.members) == 1  # nothing half-saved


def test_organiser_moves_a_project_to_another_school_with_its_team(setup, login_as, db):
    lena = _person(setup, "Lena", "Weiß")
    project = _project(setup, "Wasserfilter", [lena])
    db.session.commit()
    web = login_as(setup.organiser)
    response = submit(
        web.get(org(setup, f"/projects/{project.id}/edit")), school_id=setup.other_school.id
    )
    assert response.status_code == 302
    db.session.refresh(project)
    db.session.refresh(lena)
    assert project.school == setup.other_school and lena.school == setup.other_school
    (entry,) = _audit(db, "project.correct")
    assert entry.after["school_name"] == setup.other_school.label


def test_organiser_corrects_a_participant(setup, login_as, db):
    lena = _person(setup, "Lena", "Weis")
    _project(setup, "Wasserfilter", [lena])
    _closed(setup, db)
    web = login_as(setup.organiser)
    response = submit(web.get(org(setup, f"/participants/{lena.id}")), last_name="Weiß")
    assert response.status_code == 302
    db.session.refresh(lena)
    assert lena.last_name == "Weiß"
    (entry,) = _audit(db, "participant.correct")
    assert entry.after["fields"] == "last_name"


def test_organiser_adds_a_school_without_account_and_its_project(setup, login_as, db):
    _closed(setup, db)
    web = login_as(setup.organiser)
    response = submit(
        web.get(org(setup, "/schools/new")), name="Realschule Nord", city="Musterstadt"
    )
    assert response.status_code == 302
    school = db.session.scalars(db.select(School).filter_by(name="Realschule Nord")).one()
    response = submit(
        web.get(org(setup, f"/schools/{school.id}/participants/new")),
        first_name="Mia",
        last_name="Schmidt",
        birth_date="2011-04-02",
        grade=9,
        email="mia@example.org",
        consent_participation=True,
    )
    assert response.status_code == 302
    mia = db.session.scalars(db.select(Participant).filter_by(last_name="Schmidt")).one()
    page = web.get(org(setup, f"/schools/{school.id}/projects/new"))
    response = submit(
        page,
        title="Regenwürmer zählen",
        subject_id=setup.comp.subjects[1].id,
        abstract="Wir zählen Regenwürmer.",
        members=[mia.id],
        speaker_id=mia.id,
        supervisor_name="Herr Nord",
        supervisor_email="nord@schule.example",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    project = db.session.scalars(db.select(Project).filter_by(title="Regenwürmer zählen")).one()
    assert project.school == school and project.participants == [mia] and project.takes_part
    assert _audit(db, "project.create_by_organiser") and _audit(db, "school.create")
    html = web.get(org(setup, f"/schools/{school.id}")).get_data(as_text=True)
    assert "Regenwürmer zählen" in html and "Schmidt, Mia" in html


def test_a_school_cannot_reach_the_organiser_corrections(setup, login_as, db):
    lena = _person(setup, "Lena", "Weiß")
    project = _project(setup, "Wasserfilter", [lena])
    db.session.commit()
    web = login_as(setup.user)
    assert web.get(org(setup, f"/projects/{project.id}/edit")).status_code == 403


# --- the entries list ---------------------------------------------------------------------------


def test_entries_search_by_title_names_school_and_stand_and_team_names_shown(setup, login_as, db):
    _project(setup, "Moose als Luftfilter", [_person(setup, "Jörg", "Schwarz")], stand="B07")
    _project(
        setup,
        "Solarzellen",
        [_person(setup, "Frieda", "Öztürk", school=setup.other_school)],
        school=setup.other_school,
    )
    db.session.commit()
    web = login_as(setup.organiser)

    def found(q):
        html = web.get(org(setup, "/"), query_string={"q": q}).get_data(as_text=True)
        return {t for t in ("Moose als Luftfilter", "Solarzellen") if t in html}

    assert found("moose") == {"Moose als Luftfilter"}
    assert found("öztürk") == {"Solarzellen"}  # a member's name, umlauts and case folded
    assert found("Süd") == {"Solarzellen"}  # the school
    assert found("b07") == {"Moose als Luftfilter"}  # the stand
    assert found("schwarz moose") == {"Moose als Luftfilter"}  # every word must match
    html = web.get(org(setup, "/")).get_data(as_text=True)
    assert "Jörg Schwarz" in html and "Frieda Öztürk" in html  # names, not a count


# --- stand numbers ------------------------------------------------------------------------------


def test_numbering_only_projects_without_a_stand_keeps_manual_numbers(setup, login_as, db):
    bio = setup.comp.subjects[1]
    manual = _project(setup, "Zebra", [_person(setup, "A", "A")], subject=bio, stand="B05")
    new = _project(setup, "Amsel", [_person(setup, "B", "B")], subject=bio)
    db.session.commit()
    web = login_as(setup.organiser)
    page = web.get(org(setup, "/"))
    assert "1 Projekt ohne Stand." in page.get_data(as_text=True)
    done = submit(page, button="Nur Projekte ohne Stand nummerieren", follow_redirects=True)
    assert "1 Projekt ohne Stand hat eine Standnummer bekommen." in done.get_data(as_text=True)
    db.session.refresh(manual)
    db.session.refresh(new)
    assert (manual.stand, new.stand) == ("B05", "B06")  # after the highest, none overwritten


# --- the school's forms -------------------------------------------------------------------------


def test_team_picker_marks_who_is_free_and_who_is_in_a_project(setup, login_as, db):
    busy = _person(setup, "Ben", "Bauer")
    free = _person(setup, "Lena", "Weiß")
    _project(setup, "Wasserfilter", [busy])
    db.session.commit()
    web = login_as(setup.user)
    html = web.get(f"/c/{setup.comp.id}/school/projects/new").get_data(as_text=True)
    assert f'id="member-{busy.id}-busy"' in html and "schon in „Wasserfilter“" in html
    picker = html[html.index(f'for="member-{free.id}"') :]
    assert "frei" in picker[: picker.index("</label>")]


def test_after_the_deadline_the_participant_form_says_why(setup, login_as, db):
    _closed(setup, db)
    web = login_as(setup.user)
    page = web.get(f"/c/{setup.comp.id}/school/participants/new")
    html = page.get_data(as_text=True)
    assert "Der Anmeldeschluss war am 30.11.2020" in html
    assert 'name="first_name"' not in html  # no empty fields without a save button
    html = web.get(f"/c/{setup.comp.id}/school/projects/new").get_data(as_text=True)
    assert "Der Anmeldeschluss war am 30.11.2020" in html and 'name="title"' not in html


def test_a_small_upload_shows_its_size_in_kilobytes(setup, login_as, db):
    project = _project(setup, "Wasserfilter", [_person(setup, "Lena", "Weiß")])
    make_document(project)
    db.session.commit()
    web = login_as(setup.user)
    html = web.get(f"/c/{setup.comp.id}/school/projects/{project.id}").get_data(as_text=True)
    assert "0.0 MB" not in html and "0,0 MB" not in html
    assert " kB" in html


def test_file_size_words(app):
    from compmgr.utils import file_size

    with app.test_request_context():
        assert file_size(0) == "0 kB"
        assert file_size(900) == "1 kB"
        assert file_size(740 * 1024) == "740 kB"
        assert file_size(int(2.44 * 1024 * 1024)) == "2,4 MB"


def test_a_long_surname_wraps_in_the_school_tables(setup, login_as, db):
    long = _person(setup, "Lena", "W" * 100)
    _project(setup, "Wasserfilter", [long])
    db.session.commit()
    web = login_as(setup.user)
    html = web.get(f"/c/{setup.comp.id}/school/").get_data(as_text=True)
    cell = html[: html.index("W" * 100)]
    assert cell[cell.rindex("<td") :].startswith('<td class="cell-wrap"')


# --- import templates, competition names --------------------------------------------------------


def test_import_page_offers_csv_and_xlsx_templates_with_the_documented_columns(setup, login_as, db):
    from compmgr.registration import import_format

    web = login_as(setup.organiser)
    html = web.get(org(setup, "/import")).get_data(as_text=True)
    titles = [title for _n, title, _a in import_format.COLUMNS]
    for fmt in ("csv", "xlsx"):
        assert f"/import/template.{fmt}" in html
        response = web.get(org(setup, f"/import/template.{fmt}"))
        assert response.status_code == 200
        table = import_format.read_table(response.data)
        assert table[0][1] == titles and len(table) == 1
    assert web.get(org(setup, "/import/template.exe")).status_code == 404


def test_a_new_competition_does_not_repeat_the_year_in_its_title(db):
    from compmgr.competitions.services import create_competition

    named = create_competition("Landeswettbewerb Musterland 2027", 2027)
    plain = create_competition("Regionalwettbewerb Musterstadt", 2027)
    assert named.title == "Landeswettbewerb Musterland 2027"
    assert plain.title == "Regionalwettbewerb Musterstadt 2027"
