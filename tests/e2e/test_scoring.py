"""Judging in a real browser: a judge scores on a phone, also offline; the chair decides."""

from playwright.sync_api import expect

from compmgr.extensions import db
from compmgr.judging.models import Review, Score
from tests.e2e.conftest import login, screenshot
from tests.factories import make_document
from tests.judging.scene import build_scene, full_values

# Names of the boxes matching a selector whose content is wider than the box itself.
_OVERFLOW = (
    "(sel => [...document.querySelectorAll(sel)].filter(e => e.scrollWidth > e.clientWidth)"
    ".map(e => e.className))"
)


def _values(app, judge_id, project_id):
    with app.app_context():
        return {
            s.criterion_id: s.value
            for s in db.session.scalars(
                db.select(Score).filter_by(judge_id=judge_id, project_id=project_id)
            )
        }


# How many score sheets the judge's service worker keeps for the list at {scope}.
KEPT_SHEETS = (
    "caches.open('compmgr-judge:{scope}').then(c => c.keys()).then(keys => keys.filter("
    "r => /\\/projects\\/\\d+\\/$/.test(new URL(r.url).pathname)).length)"
)
# The kept list, fetched again by the worker after a save, shows the sheet as started.
KEPT_LIST = (
    "caches.open('compmgr-judge:{scope}').then(c => c.match('{scope}'))"
    ".then(hit => hit ? hit.text() : '').then(t => t.includes('Bewertung ändern'))"
)


def _wait_until(page, expression, want=0, seconds=15):
    """Poll a JavaScript expression until it equals want (the pages' CSP forbids eval)."""
    for _ in range(seconds * 10):
        if page.evaluate(expression) == want:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{expression} never became {want}: {page.evaluate(expression)}")


def test_judge_scores_on_a_phone_and_offline_values_reach_the_server(live_app, live_server, phone):
    with live_app.app_context():
        scene = build_scene(n_projects=3, n_judges=2)
        make_document(scene.projects[0], "paper")
        db.session.commit()
        cid, judge_id, project_id = scene.comp.id, scene.judges[1].id, scene.projects[0].id
        third_id = scene.projects[2].id
        criteria = [c.id for c in scene.criteria]
        email = scene.users[1].email
    page = phone
    login(page, live_server, email)
    page.goto(f"{live_server}/c/{cid}/jury/")
    page.get_by_text("0 von 3 bewertet, 3 offen").wait_for()
    screenshot(page, "judge-phone-my-projects")
    has_list = "caches.open('compmgr-judge:{scope}').then(c => c.match('{scope}')).then(h => !!h)"
    _wait_until(page, has_list.format(scope=f"/c/{cid}/jury/"), want=True)  # kept on 1st visit

    card = page.locator("article", has=page.get_by_role("heading", name="Projekt 1", exact=True))
    card.get_by_role("link", name="Bewerten").click()
    page.get_by_role("heading", name="Projekt 1").wait_for()
    for cid_ in criteria:
        page.locator(f"label[for='c{cid_}-7']").click()
    page.get_by_text("Gespeichert um").wait_for()
    assert _values(live_app, judge_id, project_id) == {c: 7 for c in criteria}
    screenshot(page, "judge-phone-score-sheet")

    _wait_until(page, KEPT_SHEETS.format(scope=f"/c/{cid}/jury/"), want=3)
    _wait_until(page, KEPT_LIST.format(scope=f"/c/{cid}/jury/"), want=True)
    page.context.set_offline(True)
    page.locator(f"label[for='c{criteria[0]}-3']").click()
    page.locator(f"label[for='c{criteria[1]}-9']").click()
    page.get_by_label("Notiz (nur für die Jury)").fill("Offline notiert: Messreihe überzeugend")
    page.get_by_text("Keine Verbindung").wait_for()
    screenshot(page, "judge-phone-offline")
    assert _values(live_app, judge_id, project_id)[criteria[0]] == 7  # not yet on the server
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('compmgr-score'))")
    assert stored, "the values wait in the browser"

    # Moving between projects offline: the list and every assigned sheet come from the
    # service worker's copy; values entered on another sheet wait on the device too.
    page.get_by_role("link", name="Meine Projekte").first.click()
    page.get_by_role("heading", name="Meine Projekte").wait_for()
    page.get_by_text("Noch nicht übertragen: die Bewertung eines Projekts").wait_for()
    screenshot(page, "judge-phone-offline-list")
    other = page.locator("article", has=page.get_by_role("heading", name="Projekt 3", exact=True))
    other.get_by_role("link", name="Bewerten").click()  # never opened online: fetched ahead
    page.get_by_role("heading", name="Projekt 3").wait_for()
    page.locator(f"label[for='c{criteria[0]}-5']").click()
    page.get_by_text("Keine Verbindung").wait_for()
    page.reload()  # a reload offline keeps the sheet and the value entered
    page.get_by_role("heading", name="Projekt 3").wait_for()
    assert page.locator(f"#c{criteria[0]}-5").is_checked()
    page.goto(f"{live_server}/c/{cid}/jury/projects/{project_id}/paper")  # not kept: offline page
    page.get_by_role("heading", name="Keine Verbindung").wait_for()
    screenshot(page, "judge-phone-offline-page")
    page.go_back()
    page.get_by_role("heading", name="Projekt 3").wait_for()
    page.get_by_role("link", name="Meine Projekte").first.click()
    card.get_by_role("link", name="Bewertung ändern").click()
    page.get_by_role("heading", name="Projekt 1").wait_for()
    assert page.locator(f"#c{criteria[0]}-3").is_checked()  # the offline value, not the server's
    assert _values(live_app, judge_id, third_id) == {}

    page.context.set_offline(False)
    page.get_by_text("Gespeichert um").wait_for()
    _wait_until(page, "Object.keys(localStorage).filter(k => k.startsWith('compmgr-score')).length")
    got = _values(live_app, judge_id, project_id)
    assert got[criteria[0]] == 3 and got[criteria[1]] == 9
    assert _values(live_app, judge_id, third_id) == {criteria[0]: 5}  # sent from another page
    with live_app.app_context():
        review = db.session.execute(
            db.select(Review).filter_by(judge_id=judge_id, project_id=project_id)
        ).scalar_one()
        assert review.note == "Offline notiert: Messreihe überzeugend"

    page.get_by_role("button", name="Bewertung abschließen").click()
    page.get_by_text("1 von 3 bewertet, 2 offen").wait_for()
    screenshot(page, "judge-phone-after-finish")

    # Logging out leaves no copy of the judge's pages on the device.
    page.evaluate("document.querySelector(\"form[action$='/logout']\").submit()")
    page.get_by_text("Sie sind abgemeldet.").wait_for()
    _wait_until(page, "caches.keys().then(keys => keys.length)")
    _wait_until(page, "navigator.serviceWorker.getRegistrations().then(r => r.length)")


def test_score_sheet_fits_small_phones_and_finishing_needs_every_criterion(
    live_app, live_server, phone
):
    with live_app.app_context():
        scene = build_scene(n_projects=1, n_judges=1)
        cid, judge_id, project_id = scene.comp.id, scene.judges[0].id, scene.projects[0].id
        criteria = [c.id for c in scene.criteria]
        email = scene.users[0].email
    page = phone
    login(page, live_server, email)
    page.goto(f"{live_server}/c/{cid}/jury/projects/{project_id}/")
    page.get_by_role("heading", name="Projekt 1").wait_for()
    for width in (320, 360, 412):  # no sideways scrolling; the buttons stack full width
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        finish = page.get_by_role("button", name="Bewertung abschließen").bounding_box()
        save = page.get_by_role("button", name="Zwischenspeichern").bounding_box()
        assert save["x"] + save["width"] <= width and save["y"] > finish["y"] + finish["height"] - 1
    screenshot(page, "judge-phone-score-320")
    page.set_viewport_size({"width": 360, "height": 800})

    page.locator(f"label[for='c{criteria[0]}-8']").click()
    page.get_by_text("Gespeichert um").wait_for()
    page.get_by_role("button", name="Bewertung abschließen").click()
    page.get_by_text(
        f"Noch nicht abgeschlossen: {len(criteria) - 1} Kriterien haben noch keinen Wert"
    ).wait_for()
    assert page.url.endswith(f"/jury/projects/{project_id}/")  # stays on the sheet
    assert page.locator("[data-missing]").count() == len(criteria) - 1
    assert page.get_attribute(f"#c{criteria[1]}-box", "aria-describedby").endswith(
        f"c{criteria[1]}-missing"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "judge-phone-finish-refused")
    assert _values(live_app, judge_id, project_id) == {criteria[0]: 8}  # nothing lost
    with live_app.app_context():
        assert db.session.execute(db.select(Review.submitted_at)).scalar_one_or_none() is None

    for cid_ in criteria[1:]:
        page.locator(f"label[for='c{cid_}-6']").click()
    expect(page.locator("[data-missing]")).to_have_count(0)  # each note goes with its value
    page.get_by_role("button", name="Bewertung abschließen").click()
    page.get_by_text("1 von 1 bewertet, 0 offen").wait_for()
    with live_app.app_context():
        assert db.session.execute(db.select(Review.submitted_at)).scalar_one() is not None


def test_chair_locks_a_ranking_that_differs_from_the_scores(live_app, live_server, page):
    with live_app.app_context():
        scene = build_scene(n_projects=3, n_judges=2)
        from compmgr.judging import scoring

        for judge in scene.judges:
            for project, v in zip(scene.projects, (8, 6, 4), strict=True):
                scoring.save_sheet(judge, project, full_values(scene, v))
        db.session.commit()
        cid, jury_id = scene.comp.id, scene.jury.id
        p1, p2, p3 = (p.id for p in scene.projects)
        email = scene.users[0].email
    login(page, live_server, email)
    page.goto(f"{live_server}/c/{cid}/jury/chair/{jury_id}/")
    page.get_by_role("heading", name="Rangliste und Entscheidung der Jury").wait_for()
    # every input of the decision, "Begründung" too, fits at 1280 px; a phone scrolls only the table
    assert page.evaluate(f"{_OVERFLOW}('form .table-responsive')") == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Platz: Projekt 2").fill("3")
    page.get_by_label("Platz: Projekt 3").fill("2")
    page.get_by_label("Preis: Projekt 1").select_option("1")
    page.get_by_label("Preis: Projekt 3").select_option("2")
    page.get_by_label("Regionalsieg: Projekt 1").check()
    page.get_by_role("button", name="Entscheidung speichern").click()
    page.locator(f"#reason_{p3}-error").wait_for()
    screenshot(page, "chair-reason-required")

    page.get_by_label("Begründung: Projekt 3").fill("Herausragende Eigenständigkeit im Gespräch")
    page.get_by_label("Begründung: Projekt 2").fill("Ergebnisse nicht belastbar")
    page.get_by_role("button", name="Entscheidung speichern").click()
    page.get_by_text("Die Entscheidung der Jury ist gespeichert.").wait_for()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Jury abschließen").click()
    page.get_by_text("ist abgeschlossen").first.wait_for()
    screenshot(page, "chair-locked")
    with live_app.app_context():
        from compmgr.judging.models import Jury
        from compmgr.results.models import Decision

        assert db.session.get(Jury, jury_id).locked_at is not None
        places = {
            d.project_id: (d.place, d.prize, d.qualified)
            for d in db.session.scalars(db.select(Decision))
        }
        assert places == {p1: (1, 1, True), p2: (3, None, False), p3: (2, 2, False)}
