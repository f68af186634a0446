"""One competition through every phase in Chromium, as each role works it (issue 13).

Schools on desktops register late, withdraw, and have a registration corrected by the
organiser; the organiser assigns, replaces an absent judge with a new one; two judges score on
phones, offline for a while; the chair of a mixed-Sparte jury decides per Sparte, locks, is
reopened and corrects; the organiser publishes, withdraws and publishes again, prints the
certificates, exports the next level and archives; the instance admin un-archives. After each
step the test looks at what the school, the judges, the organiser and the public see.

The starting data (schools, pupils, a jury, judges) is seeded, and so are the score sheets no
phone fills in (through judging.scoring, before the chair ranks); every step the issue names
is taken in the browser. Each person keeps their own browser context, logged in once.
Screenshots land in test-artifacts/season-*.png.
"""

import csv
import io
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from compmgr.auth.models import Role
from compmgr.competitions.models import Competition, Status
from compmgr.database import utcnow
from compmgr.dates import today
from compmgr.extensions import db
from compmgr.judging import scoring
from compmgr.judging.models import Assignment, Judge, Jury
from compmgr.registration.models import Project
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_registration import add_person
from tests.e2e.test_scoring import KEPT_LIST, KEPT_SHEETS, _wait_until
from tests.factories import (
    CompetitionFactory,
    JudgeFactory,
    JuryFactory,
    ParticipantFactory,
    ProjectFactory,
    SchoolFactory,
    UserFactory,
    grant,
)
from tests.mailbox import links, outbox
from tests.results.helpers import consent

# (title, school key, birth date, stand): two Jugend forscht, two junior projects, all Biologie
PROJECTS = [
    ("Moose als Luftfilter", "a", date(2009, 1, 1), "B01"),
    ("Bakterien im Brunnen", "b", date(2009, 6, 1), "B02"),
    ("Kresse im Dunkeln", "a", date(2014, 3, 1), "B03"),
    ("Bienen im Stadtpark", "b", date(2014, 4, 1), "B04"),
    ("Ameisenstraßen", "b", date(2013, 5, 5), "B05"),  # withdrawn by its school
]

NEW_PASSWORD = "Regenwurm-Kompost-2027"
# every judge's value for each project: the scores rank the projects of each Sparte
VALUES = {
    "Moose als Luftfilter": 8,
    "Bakterien im Brunnen": 6,
    "Regenwürmer im Kompost": 5,
    "Kresse im Dunkeln": 8,
    "Bienen im Stadtpark": 5,
}


def _seed():
    """A competition whose registration deadline passed yesterday, with one Biologie jury."""
    comp = CompetitionFactory(
        name="Regionalwettbewerb Nordheide", registration_deadline=today() - timedelta(days=1)
    )
    admin = UserFactory(email="admin@example.org", name="Ada Admin")
    admin.is_admin = True
    grant(UserFactory(email="orga@example.org", name="Käthe Groß"), comp, Role.ORGANISER)
    schools = {
        "a": SchoolFactory(competition_id=comp.id, name="Gymnasium am Weißen Berg", city="Görlitz"),
        "b": SchoolFactory(competition_id=comp.id, name="Oberschule Süd", city="Zittau"),
    }
    grant(UserFactory(email="schule@example.org"), comp, Role.SCHOOL, schools["a"])
    grant(UserFactory(email="schule-b@example.org"), comp, Role.SCHOOL, schools["b"])
    bio = comp.subjects[1]
    jury = JuryFactory(competition=comp, subject=bio, name="Biologie")
    ids = {}
    for k, (title, key, born, stand) in enumerate(PROJECTS):
        person = ParticipantFactory(
            competition_id=comp.id,
            school=schools[key],
            birth_date=born,
            grade=11 if born.year < 2012 else 7,
            first_name=["Lena", "Ömer", "Jörg", "Änne", "Paul"][k],
            last_name=["Weiß", "Öztürk", "Groß", "Schäfer", "Klein"][k],
        )
        consent(person, True)
        project = ProjectFactory(
            competition=comp,
            school=schools[key],
            participants=[person],
            subject=bio,
            title=title,
            stand=stand,
            abstract="Wir messen und vergleichen.",
        )
        ids[title] = project.id
    judges = {}
    for k, (first, last) in enumerate([("Jana", "Vorsitz"), ("Jens", "Zwei"), ("Jutta", "Drei")]):
        judges[first] = JudgeFactory(
            competition=comp,
            user=UserFactory(email=f"juror{k + 1}@example.org", name=f"{first} {last}"),
            jury=jury,
            chair=k == 0,
            first_name=first,
            last_name=last,
            confidentiality_accepted_at=utcnow(),
        )
    db.session.commit()
    return {
        "cid": comp.id,
        "jury": jury.id,
        "bio": bio.id,
        "school_a": schools["a"].id,
        "projects": ids,
        "judges": {name: j.id for name, j in judges.items()},
    }


class Desk:
    """One browser context per person, logged in once: each person keeps their own device."""

    def __init__(self, browser, base):
        self.browser, self.base, self.pages = browser, base, {}

    def new(self, email, **options):
        context = self.browser.new_context(
            locale="de-DE", **(options or {"viewport": {"width": 1280, "height": 900}})
        )
        page = self.pages[email] = context.new_page()
        page.set_default_timeout(10000)
        return page

    def open(self, email, path, password="password123"):
        """Return email's page, logged in on first use, at path."""
        page = self.pages.get(email)
        if page is None:
            page = self.new(email)
            login(page, self.base, email, password)
            page.wait_for_url(lambda url: "/login" not in url)
        page.goto(self.base + path)
        return page

    def close(self):
        for page in self.pages.values():
            page.context.close()


@pytest.fixture
def desk(browser, live_server):
    desk = Desk(browser, live_server)
    yield desk
    desk.close()


def _step(page, base, cid, action, label):
    """Take one phase step from the organiser's dashboard: read what changes, tick, confirm."""
    page.goto(f"{base}/c/{cid}/org/")
    page.get_by_role("link", name=f"{action} …").first.click()
    page.get_by_text("Was sich ändert").wait_for()
    page.get_by_label("Ich habe gelesen").check()
    page.get_by_role("button", name="Bestätigen").click()
    page.get_by_text(f"Neue Phase: {label}").wait_for()


def _score_all(page, criteria, value):
    """Click one value for every criterion of the open sheet."""
    for c in criteria:
        page.locator(f"label[for='c{c}-{value}']").click()


def _open_sheet(phone, title):
    phone.get_by_role("link", name=re.compile(f"^Bewert.*: {title}$")).click()
    phone.get_by_role("heading", name=title).wait_for()


QUEUED = "Object.keys(localStorage).filter(k => k.startsWith('compmgr-score')).length"


def _public(browser, base, cid):
    """The public results page as a parent opens it: no login, on a phone."""
    context = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    anon = context.new_page()
    response = anon.goto(f"{base}/c/{cid}/results")
    text = f"{response.status} " + anon.locator("main").inner_text()
    assert anon.evaluate("document.documentElement.scrollWidth") <= 390
    return anon, text


def _decide(page, ids, prizes, winners=()):
    for title, prize in prizes.items():
        page.locator(f"#prize_{ids[title]}").select_option(prize)
    for title in winners:
        page.locator(f"#qualified_{ids[title]}").check()
    page.get_by_role("button", name="Entscheidung speichern").click()
    page.get_by_text("Die Entscheidung der Jury ist gespeichert.").wait_for()


def _lock(page):
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Jury abschließen").click()
    page.get_by_text("Die Jury „Biologie“ ist abgeschlossen.").wait_for()


def _window(page):
    return page.get_by_test_id("window").inner_text()


def test_one_competition_through_every_phase(live_app, live_server, browser, desk):
    with live_app.app_context():
        s = _seed()
    base, cid = live_server, s["cid"]
    school, org = f"/c/{cid}/school/", f"/c/{cid}/org/"

    # -- Registration: the deadline has passed; the organiser extends it for one school ------
    page = desk.open("schule@example.org", school)
    assert "Die Anmeldefrist ist am" in _window(page)
    assert page.get_by_role("link", name="Projekt anmelden").count() == 0
    screenshot(page, "season-01-school-deadline-passed")

    page = desk.open("orga@example.org", f"{org}entries/schools")
    until = (today() + timedelta(days=3)).isoformat()
    page.get_by_label("Anmeldung verlängert bis – Gymnasium am Weißen Berg").fill(until)
    row = page.get_by_role("row", name="Gymnasium am Weißen Berg")
    row.get_by_role("button", name="Speichern").click()
    page.get_by_text("Die Anmeldung für Gymnasium am Weißen Berg ist bis").wait_for()

    page = desk.open("schule@example.org", school)
    assert "Die Anmeldung ist offen bis einschließlich" in _window(page)
    add_person(page, base, cid, "Mia", "Wurm", "2009-09-09", 11)
    page.goto(f"{base}/c/{cid}/school/projects/new")
    page.get_by_label("Titel des Projekts").fill("Regenwürmer im Kompst")  # a typo, corrected later
    page.get_by_label("Fachgebiet").select_option(label="Biologie")
    page.get_by_label("Kurzfassung").fill("Wir zählen Regenwürmer in drei Komposthaufen.")
    page.get_by_label("Mia Wurm", exact=False).check()
    page.get_by_label("Gruppensprecher(in)").select_option(label="Mia Wurm (09.09.2009)")
    page.get_by_label("Betreuer(in)", exact=True).fill("Frau Weiß")
    page.get_by_label("E-Mail der Betreuerin / des Betreuers").fill("weiss@schule.example")
    page.get_by_role("button", name="Projekt speichern").click()
    page.wait_for_url(re.compile(r"/school/projects/\d+$"))
    assert "Sparte Jugend forscht" in page.locator("#division").inner_text()
    page.goto(base + school)
    page.get_by_role("row", name="Regenwürmer im Kompst").first.wait_for()
    screenshot(page, "season-02-school-late-registration")

    # the other school withdraws a project
    page = desk.open("schule-b@example.org", school)
    assert "Die Anmeldefrist ist am" in _window(page)  # the extension is for one school only
    page.get_by_role("link", name="Ameisenstraßen").click()
    page.get_by_role("link", name="Projekt zurückziehen …").click()
    page.get_by_label("Grund (freiwillig)").fill("Der Ameisenhaufen wurde zerstört.")
    page.get_by_label("Ja, wir ziehen dieses Projekt vom Wettbewerb zurück.").check()
    page.get_by_role("button", name="Projekt zurückziehen").click()
    page.get_by_text("Das Projekt „Ameisenstraßen“ ist zurückgezogen.").wait_for()
    page.goto(base + school)
    assert "Zurückgezogen" in page.get_by_role("row", name="Ameisenstraßen").first.inner_text()

    # the organiser corrects the late registration's title; the school sees the correction
    page = desk.open("orga@example.org", f"{org}entries/?q=Ameisen")
    assert "Zurückgezogen" in page.get_by_role("row", name="Ameisenstraßen").first.inner_text()
    page.goto(f"{base}{org}entries/schools/{s['school_a']}")
    page.get_by_role("row", name="Regenwürmer im Kompst").first.get_by_role(
        "link", name="Korrigieren"
    ).click()
    page.get_by_label("Titel des Projekts").fill("Regenwürmer im Kompost")
    page.get_by_role("button", name="Projekt speichern").click()
    page.get_by_text("Das Projekt „Regenwürmer im Kompost“ ist gespeichert.").wait_for()
    screenshot(page, "season-03-organiser-correction")
    page.goto(f"{base}{org}audit/")
    assert "Regenwürmer im Kompst" in page.locator("main").inner_text()  # the old title is kept
    page.goto(f"{base}{org}entries/")  # the late project gets a stand; no other stand moves
    page.get_by_role("button", name="Nur Projekte ohne Stand nummerieren").click()
    page.get_by_text("1 Projekt ohne Stand hat eine Standnummer bekommen.").wait_for()
    with live_app.app_context():
        stands = dict(db.session.execute(db.select(Project.title, Project.stand)).all())
    assert stands == {  # a withdrawn project gives up its stand
        **{title: stand for title, _key, _born, stand in PROJECTS},
        "Ameisenstraßen": None,
        "Regenwürmer im Kompost": "B05",
    }
    page = desk.open("schule@example.org", school)
    page.get_by_role("row", name="Regenwürmer im Kompost").first.wait_for()

    # -- Registration closes, judging begins: each step shows what it changes -----------------
    page = desk.open("orga@example.org", org)
    _step(page, base, cid, "Anmeldung schließen", "Anmeldung geschlossen")
    page = desk.open("schule@example.org", school)
    assert "Die Anmeldung ist offen bis einschließlich" in _window(page)  # still extended
    page = desk.open("schule-b@example.org", school)
    assert "Die Anmeldung ist geschlossen" in _window(page)
    page = desk.open("orga@example.org", org)
    _step(page, base, cid, "Bewertung beginnen", "Bewertung")
    assert "Die Jurys bewerten" in page.get_by_test_id("phase").inner_text()
    page = desk.open("schule@example.org", school)
    assert _window(page) == "Die Bewertung hat begonnen: Ihre Anmeldungen sind eingefroren."
    assert page.get_by_role("link", name="Projekt anmelden").count() == 0
    screenshot(page, "season-04-school-frozen")

    # -- Assignment; a re-run with nothing changed moves nothing ------------------------------
    page = desk.open("orga@example.org", f"{org}judging/assignments")
    page.get_by_role("button", name="Automatisch zuteilen").click()
    page.get_by_text("Zuteilung berechnet").wait_for()
    assert page.get_by_role("row", name="Ameisenstraßen").count() == 0  # withdrawn
    page.get_by_role("button", name="Automatisch zuteilen").click()
    page.get_by_text(": 0 geändert").wait_for()
    screenshot(page, "season-05-assignment")

    # a judge drops out: the projects go to the others, and the list says so
    page.goto(f"{base}{org}judging/judges")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("row", name="Drei, Jutta").get_by_role("button", name="Fällt aus").click()
    page.get_by_role("heading", name="Ausfall: Jutta Drei").wait_for()
    page.goto(f"{base}{org}judging/judges")
    assert "fällt aus" in page.get_by_role("row", name="Drei, Jutta").inner_text()

    # a new judge is invited straight into the jury, joins through the mailed link
    page.locator("summary", has_text="Juror(in) einladen").click()
    page.get_by_label("Vorname").fill("Nora")
    page.get_by_label("Nachname").fill("Neumann")
    page.get_by_label("E-Mail-Adresse").fill("neu@example.org")
    page.get_by_label("Gleich in Jury aufnehmen").select_option(label="Biologie")
    page.get_by_role("button", name="Einladen").click()
    page.get_by_role("row", name="Neumann, Nora").wait_for()
    page = desk.new("neu@example.org")
    (link,) = [u for m in outbox(live_app) for u in links(m) if "/invite/" in u]
    page.goto(base + urlsplit(link).path)
    page.get_by_label("Neues Passwort").fill(NEW_PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Passwort speichern").click()
    page.get_by_text("Vertraulichkeitserklärung").first.wait_for()
    page.get_by_label("Ich habe die Vertraulichkeitserklärung gelesen", exact=False).check()
    page.get_by_role("button", name="Bestätigen und weiter").click()
    page.get_by_role("heading", name="Meine Projekte").wait_for()
    screenshot(page, "season-06-new-judge-before-assignment")

    page = desk.open("orga@example.org", f"{org}judging/assignments")
    page.get_by_role("button", name="Automatisch zuteilen").click()
    page.get_by_text("Zuteilung berechnet").wait_for()
    assert "Nora Neumann" in page.get_by_role("row", name="Moose als Luftfilter").inner_text()
    assert "Jutta Drei" not in page.locator("table").inner_text()
    page.get_by_text("Jedes Projekt hat genug Juror:innen ohne Befangenheit.").wait_for()
    with live_app.app_context():
        nora = db.session.scalar(db.select(Judge).filter_by(email="neu@example.org"))
        load = db.session.scalar(
            db.select(db.func.count()).select_from(Assignment).filter_by(judge_id=nora.id)
        )
    assert load == 5
    page = desk.open("neu@example.org", f"/c/{cid}/jury/", NEW_PASSWORD)
    page.get_by_text("0 von 5 bewertet, 5 offen").wait_for()
    page = desk.open("juror3@example.org", f"/c/{cid}/jury/")
    page.get_by_text("Noch keine Projekte zugeteilt.").wait_for()

    # -- Scoring on phones; two judges go offline for a while ---------------------------------
    with live_app.app_context():
        ids = {
            p.title: p.id
            for p in db.session.scalars(db.select(Project).filter_by(competition_id=cid))
        }
        crit = {
            title: [
                c.id for c in scoring.criteria_for(cid, db.session.get(Project, pid).division_id)
            ]
            for title, pid in ids.items()
        }
    jury_home = f"/c/{cid}/jury/"
    walk = {  # judge: (scored online, scored offline)
        "juror1@example.org": ("Moose als Luftfilter", "Kresse im Dunkeln"),
        "juror2@example.org": ("Bakterien im Brunnen", "Bienen im Stadtpark"),
    }
    phones = {}
    for email, (online, _offline) in walk.items():
        phone = phones[email] = desk.new(
            f"{email} (phone)",
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
        )
        login(phone, base, email)
        phone.wait_for_url(lambda url: "/login" not in url)
        phone.goto(base + jury_home)
        phone.get_by_text("0 von 5 bewertet, 5 offen").wait_for()
        assert phone.get_by_test_id("phase-text").inner_text() == "Die Bewertung läuft."
        _open_sheet(phone, online)
        _score_all(phone, crit[online], VALUES[online])
        phone.get_by_text("Gespeichert um").wait_for()
        phone.get_by_role("button", name="Bewertung abschließen").click()
        phone.get_by_text("1 von 5 bewertet, 4 offen").wait_for()
        _wait_until(phone, KEPT_SHEETS.format(scope=jury_home), want=5)
        _wait_until(phone, KEPT_LIST.format(scope=jury_home), want=True)
    for email, (_online, offline) in walk.items():  # both offline at the same time
        phone = phones[email]
        phone.context.set_offline(True)
        _open_sheet(phone, offline)
        _score_all(phone, crit[offline], VALUES[offline])
        phone.get_by_text("Keine Verbindung").wait_for()
        phone.get_by_role("link", name="Meine Projekte").first.click()
        phone.get_by_text("Noch nicht übertragen: die Bewertung eines Projekts").wait_for()
    screenshot(phones["juror1@example.org"], "season-07-judge-offline-list")
    with live_app.app_context():
        for email, (_online, offline) in walk.items():
            judge = db.session.scalar(db.select(Judge).filter_by(email=email))
            assert scoring.sheet(judge, db.session.get(Project, ids[offline]))[0] == {}
    for email, (_online, offline) in walk.items():
        phone = phones[email]
        _open_sheet(phone, offline)
        phone.context.set_offline(False)
        phone.get_by_text("Gespeichert um").wait_for()
        _wait_until(phone, QUEUED)
        phone.get_by_role("button", name="Bewertung abschließen").click()
        phone.get_by_text("2 von 5 bewertet, 3 offen").wait_for()
    screenshot(phones["juror2@example.org"], "season-08-judge-back-online")
    with live_app.app_context():  # the other sheets, so that the chair ranks every project
        for judge in db.session.scalars(db.select(Judge).filter_by(competition_id=cid)):
            if judge.is_absent:
                continue
            for title, pid in ids.items():
                project = db.session.get(Project, pid)
                if title == "Ameisenstraßen" or title in walk.get(judge.email, ()):
                    continue
                values = {c: VALUES[title] for c in crit[title]}
                scoring.save_sheet(judge, project, values, submit=True)
        db.session.commit()

    # -- The mixed jury's chair decides per Sparte, locks; reopened, corrects, locks again ----
    chair = f"/c/{cid}/jury/chair/{s['jury']}/"
    page = desk.open("juror1@example.org", chair)
    page.get_by_test_id("per-division").wait_for()
    _decide(
        page,
        ids,
        {
            "Moose als Luftfilter": "1",
            "Bakterien im Brunnen": "2",
            "Regenwürmer im Kompost": "3",
            "Kresse im Dunkeln": "1",
            "Bienen im Stadtpark": "2",
        },
        winners=("Moose als Luftfilter", "Kresse im Dunkeln"),
    )
    screenshot(page, "season-09-chair-per-sparte")
    _lock(page)
    page = desk.open("juror2@example.org", jury_home)
    assert page.get_by_test_id("jury-locked").count() == 5
    assert page.get_by_text("Bewertung ändern").count() == 0
    anon, text = _public(browser, base, cid)
    assert text.startswith("404 Seite nicht gefunden") and "Moose" not in text  # not public yet
    anon.context.close()

    page = desk.open("orga@example.org", f"{org}judging/juries")
    page.get_by_role("link", name="Wieder öffnen … (Biologie)").click()
    page.get_by_role("textbox", name="Grund").fill("2. Preis junior war ein 3. Preis")
    page.get_by_label("Ja, die Jury wieder öffnen", exact=False).check()
    page.get_by_role("button", name="Jury wieder öffnen").click()
    page.get_by_text("ist wieder offen").wait_for()

    page = desk.open("juror1@example.org", chair)
    _decide(page, ids, {"Bienen im Stadtpark": "3"})
    _lock(page)
    with live_app.app_context():
        assert db.session.get(Jury, s["jury"]).is_locked

    # -- Publish, withdraw, publish again; the public page shows the prizes per Sparte -------
    page = desk.open("orga@example.org", org)
    _step(page, base, cid, "Ergebnisse veröffentlichen", "Ergebnisse veröffentlicht")
    anon, text = _public(browser, base, cid)
    jf = anon.locator(
        "section", has=anon.get_by_role("heading", name="Biologie · Jugend forscht", exact=True)
    )
    junior = anon.locator(
        "section", has=anon.get_by_role("heading", name="Biologie · Jugend forscht junior")
    )
    assert "Moose als Luftfilter" in jf.inner_text() and "Kresse" not in jf.inner_text()
    assert "Kresse im Dunkeln" in junior.inner_text()
    assert "3. Preis" in junior.get_by_role("row", name="Bienen im Stadtpark").inner_text()
    assert "Lena Weiß" in text and "Mia Wurm" not in text  # Mia gave no publication consent
    screenshot(anon, "season-10-public-results-390")
    anon.context.close()
    page = desk.open("schule@example.org", school)
    assert "Die Ergebnisse sind veröffentlicht." in _window(page)
    page = desk.open("juror2@example.org", jury_home)
    assert page.get_by_test_id("phase-text").inner_text() == "Die Ergebnisse sind veröffentlicht."

    page = desk.open("orga@example.org", org)
    _step(page, base, cid, "Veröffentlichung zurücknehmen", "Bewertung")
    anon, text = _public(browser, base, cid)
    assert text.startswith("404 Seite nicht gefunden") and "Moose" not in text
    anon.context.close()
    page = desk.open("schule-b@example.org", school)
    assert _window(page) == "Die Bewertung hat begonnen: Ihre Anmeldungen sind eingefroren."
    page = desk.open("orga@example.org", org)
    _step(page, base, cid, "Ergebnisse veröffentlichen", "Ergebnisse veröffentlicht")

    page.goto(f"{base}/c/{cid}/ceremony")  # the ceremony names the Sparte of each prize
    slides = page.locator("body").text_content()
    assert "Biologie · Jugend forscht junior" in slides and "Biologie · Jugend forscht" in slides

    # -- Certificates and the next level's list ------------------------------------------------
    page.goto(f"{base}/c/{cid}/print/")
    with page.expect_download() as info:
        page.get_by_role("button", name="Urkunden herunterladen").click()
    reader = PdfReader(info.value.path())
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert len(pages) == 10  # every participant of the five projects: taking part and prize
    assert not any("Paul Klein" in text for text in pages)  # withdrawn: no certificate
    assert any(
        "Lena Weiß" in text
        and "1. Preis und Regionalsieg im Fachgebiet Biologie, Sparte Jugend forscht" in text
        for text in pages
    )
    assert any(
        "Änne Schäfer" in text
        and "3. Preis im Fachgebiet Biologie, Sparte Jugend forscht junior" in text
        for text in pages
    )  # the corrected prize
    page = desk.open("schule-b@example.org", f"/c/{cid}/print/school")
    assert "PDF herunterladen" in page.get_by_role("row", name="Änne Schäfer").inner_text()
    assert "kein teilnehmendes Projekt" in page.get_by_role("row", name="Paul Klein").inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF herunterladen für Änne Schäfer").click()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(info.value.path()).pages)
    assert "Änne Schäfer" in text and "3. Preis" in text
    page = desk.open("orga@example.org", f"{org}publish")

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV herunterladen").click()
    rows = list(
        csv.reader(
            io.StringIO(open(info.value.path(), encoding="utf-8-sig").read(), newline=""),
            delimiter=";",
        )
    )
    header, *qualified = rows
    sparte, title = header.index("Sparte"), header.index("Projekttitel")
    assert [(r[title], r[sparte]) for r in qualified] == [
        ("Moose als Luftfilter", "Jugend forscht"),
        ("Kresse im Dunkeln", "Jugend forscht junior"),
    ]

    # -- Archive; only the instance admin un-archives ------------------------------------------
    _step(page, base, cid, "Archivieren", "Archiviert")
    page.goto(f"{base}{org}phase?to=published")
    assert "Nur die Instanz-Administration" in page.get_by_test_id("phase-refusal").inner_text()
    page = desk.open("schule@example.org", school)
    assert _window(page) == (
        "Der Wettbewerb ist abgeschlossen und archiviert. Vielen Dank für Ihre Teilnahme!"
    )
    page = desk.open("juror2@example.org", jury_home)
    assert page.get_by_test_id("phase-text").inner_text() == (
        "Der Wettbewerb ist abgeschlossen und archiviert."
    )
    anon, text = _public(browser, base, cid)
    assert text.startswith("200") and "Moose als Luftfilter" in text  # results stay public
    anon.context.close()
    page = desk.open("admin@example.org", f"{org}phase?to=published")
    page.get_by_label("Ich habe gelesen").check()
    page.get_by_role("button", name="Bestätigen").click()
    page.get_by_text("Neue Phase: Ergebnisse veröffentlicht").wait_for()
    screenshot(page, "season-11-admin-unarchived")
    with live_app.app_context():
        assert db.session.get(Competition, cid).status == Status.PUBLISHED
    page = desk.open("orga@example.org", org)
    assert "Phase: Ergebnisse veröffentlicht" in page.get_by_test_id("phase").inner_text()
    page = desk.open("schule@example.org", school)
    assert "Die Ergebnisse sind veröffentlicht." in _window(page)
