"""Keyboard only: a school registers a project and a judge scores, with a visible focus at
every step. Tab, Shift+Tab, Enter, Space and typing; arrow keys only inside a radio group,
where they are the standard way to pick a value (WAI-ARIA radio group pattern)."""

from datetime import date, timedelta

from compmgr.auth.models import Role
from compmgr.extensions import db
from compmgr.judging.models import Review, Score
from compmgr.registration.models import Project
from tests.e2e.conftest import screenshot
from tests.e2e.test_accessibility import axe_violations
from tests.factories import (
    CompetitionFactory,
    ParticipantFactory,
    SchoolFactory,
    UserFactory,
    grant,
)
from tests.judging.scene import build_scene

# The name a person hears for the focused element, and whether its focus ring shows.
FOCUSED = """() => {
  const e = document.activeElement;
  const label = e.labels && e.labels.length ? e.labels[0] : null;
  const name = (label ? label.innerText : (e.getAttribute('aria-label') || e.innerText || e.value || '')).trim();
  const ring = e.classList.contains('btn-check') ? label : e;  // the label shows a btn-check's focus
  const s = getComputedStyle(ring);
  const visible = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  return {name, tag: e.tagName, type: e.type || '', visible};
}"""


def tab_to(page, name, exact=False, limit=80):
    """Press Tab until the element called NAME has the focus; check that its focus shows."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if (focused["name"] == name) if exact else focused["name"].startswith(name):
            assert focused["visible"], f"no visible focus on {focused}"
            return focused
    raise AssertionError(f"{name!r} not reachable with Tab")


def keyboard_login(page, base, email):
    page.goto(f"{base}/login")
    tab_to(page, "E-Mail-Adresse")
    page.keyboard.type(email)
    tab_to(page, "Passwort")
    page.keyboard.type("password123")
    tab_to(page, "Anmelden", exact=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_school_registers_a_project_with_the_keyboard_only(live_app, live_server, page):
    with live_app.app_context():
        comp = CompetitionFactory(registration_deadline=date.today() + timedelta(days=30))
        school = SchoolFactory(competition_id=comp.id, name="Gesamtschule Süd")
        ParticipantFactory(
            competition_id=comp.id, school_id=school.id, first_name="Özlem", last_name="Öztürk"
        )
        grant(UserFactory(email="schule@example.org"), comp, Role.SCHOOL, school)
        db.session.commit()
        cid, chemistry = comp.id, next(s.name for s in comp.subjects)
    base = live_server
    keyboard_login(page, base, "schule@example.org")

    # the skip link comes first and moves the focus past the navigation
    page.goto(f"{base}/c/{cid}/school/")
    tab_to(page, "Zum Inhalt springen", exact=True)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    tab_to(page, "Projekt anmelden")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    tab_to(page, "Titel des Projekts")
    page.keyboard.type("Bioplastik aus Kartoffelschalen")
    tab_to(page, "Fachgebiet")
    page.keyboard.press("ArrowDown")  # a closed select: the first real Fachgebiet
    tab_to(page, "Kurzfassung")
    page.keyboard.type(
        "Wir stellen Folie aus Kartoffelschalen her und prüfen, wie schnell sie verrottet."
    )
    tab_to(page, "Özlem Öztürk")
    page.keyboard.press("Space")
    tab_to(page, "Gruppensprecher(in)")
    page.keyboard.press("ArrowDown")
    tab_to(page, "Betreuer(in)", exact=True)
    page.keyboard.type("Frau Weiß")
    tab_to(page, "E-Mail der Betreuerin")
    page.keyboard.type("weiss@schule.example")
    tab_to(page, "Strom")
    page.keyboard.press("Space")
    focused = tab_to(page, "Projekt speichern", exact=True)
    screenshot(page, "keyboard-school-project-focus")
    assert focused["tag"] in ("INPUT", "BUTTON")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    with live_app.app_context():
        project = db.session.execute(db.select(Project).filter_by(competition_id=cid)).scalar_one()
        assert project.title == "Bioplastik aus Kartoffelschalen"
        assert project.subject.name == chemistry and project.needs_power
        assert [m.participant.first_name for m in project.members] == ["Özlem"]


def test_judge_scores_with_the_keyboard_only(live_app, live_server, page):
    with live_app.app_context():
        scene = build_scene(n_projects=2, n_judges=1)
        db.session.commit()
        cid, judge_id, project_id = scene.comp.id, scene.judges[0].id, scene.projects[0].id
        criteria = [(c.id, c.scale_min) for c in scene.criteria]
        email = scene.users[0].email
    base = live_server
    keyboard_login(page, base, email)
    page.goto(f"{base}/c/{cid}/jury/")
    tab_to(page, "Bewerten")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("heading", name="Projekt 1").wait_for()
    assert axe_violations(page) == []  # the demo has no assignments: the crawl misses this page

    for criterion_id, scale_min in criteria:
        # Tab enters each group on its first value; two steps right give scale_min + 2
        focused = tab_to(page, str(scale_min), exact=True)
        assert focused["type"] == "radio"
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.id") == f"c{criterion_id}-{scale_min + 2}"
    screenshot(page, "keyboard-judge-score-focus")
    tab_to(page, "Notiz")
    page.keyboard.type("Sauber gemessen.")
    tab_to(page, "Bewertung abschließen", exact=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    with live_app.app_context():
        values = {
            s.criterion_id: s.value
            for s in db.session.scalars(
                db.select(Score).filter_by(judge_id=judge_id, project_id=project_id)
            )
        }
        assert values == {c: lo + 2 for c, lo in criteria}
        review = db.session.execute(
            db.select(Review).filter_by(judge_id=judge_id, project_id=project_id)
        ).scalar_one()
        assert review.submitted_at is not None and review.note == "Sauber gemessen."
