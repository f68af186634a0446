"""The English catalog is complete and correct, and the interface switches to English."""

import html
import io
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from compmgr.auth.models import Role
from tests.conftest import Browserish
from tests.factories import CompetitionFactory, SchoolFactory, UserFactory, grant
from tests.forms import submit

TRANSLATIONS = Path(__file__).resolve().parent.parent / "compmgr" / "translations"
PO_FILE = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx%]")


def load_catalog():
    with PO_FILE.open("rb") as fh:
        return read_po(fh, locale="en")


def placeholders(text):
    """Return the %-placeholders of a message: named ones as a sorted list, positional in order."""
    found = PLACEHOLDER.findall(text)
    named = sorted(p for p in found if p.startswith("%("))
    positional = [p for p in found if not p.startswith("%(")]
    return named, positional


def test_every_message_is_translated_with_the_same_placeholders():
    catalog = load_catalog()
    assert not catalog.obsolete, "obsolete (#~) entries left in messages.po"
    problems = []
    count = 0
    for message in catalog:
        if not message.id:
            continue
        count += 1
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(s and s.strip() for s in strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        if len(ids) == 2:
            assert len(strings) == 2, f"plural entry needs two forms: {ids[0]!r}"
            # each form keeps the placeholders of its msgid (singular and plural)
            pairs = [(ids[0], strings[0]), (ids[1], strings[1])]
        else:
            pairs = [(ids[0], strings[0])]
        for source, target in pairs:
            if placeholders(source) != placeholders(target):
                problems.append(f"placeholders differ: {source!r} -> {target!r}")
    assert count > 500, "the catalog looks empty: run pybabel extract/update"
    assert not problems, "\n".join(problems)
    # Babel's own checks (python-format consistency) agree, and the catalog compiles
    errors = [(m.id, [str(e) for e in errs]) for m, errs in catalog.check()]
    assert not errors, errors
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    assert buffer.tell() > 10_000


@pytest.fixture
def app_config(tmp_path):
    """Serve the catalog compiled from the committed .po file, not a possibly stale .mo."""
    target = tmp_path / "translations" / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as fh:
        write_mo(fh, load_catalog())
    return {"BABEL_TRANSLATION_DIRECTORIES": str(tmp_path / "translations")}


def text_of(response):
    return html.unescape(response.get_data(as_text=True))


def test_anonymous_visitor_switches_the_login_page_to_english(web, db):
    login = web.get("/login")
    page = text_of(login)
    assert '<html lang="de">' in page and "Passwort vergessen?" in page
    response = submit(login, button="English")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    login = web.get("/login")
    page = text_of(login)
    assert '<html lang="en">' in page
    assert "Forgotten your password?" in page and "Email address" in page
    assert "Passwort vergessen?" not in page
    # form validation messages come from the lazy strings in the form class
    page = text_of(submit(login, email="", password=""))
    assert "Please enter your email address." in page


def test_organiser_and_school_pages_render_in_english_after_switching(app, web, db):
    comp = CompetitionFactory()
    school = SchoolFactory(competition_id=comp.id, name="Goethe-Gymnasium")
    user = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    teacher = grant(UserFactory(email="lehrerin@example.org"), comp, Role.SCHOOL, school)
    db.session.commit()

    web.login(user.email)
    dashboard = f"/c/{comp.id}/org/"
    page = text_of(web.get(dashboard))
    assert '<html lang="de">' in page
    assert "Projekte je Fachgebiet und Sparte" in page and "Abmelden" in page

    assert submit(web.get(dashboard), button="English").status_code == 302
    page = text_of(web.get(dashboard))
    assert '<html lang="en">' in page
    assert "Projects per subject area and division" in page
    assert "Log out" in page and "Special prizes" in page
    assert "Projekte je Fachgebiet und Sparte" not in page and "Abmelden" not in page
    page = text_of(web.get(f"/c/{comp.id}/org/settings"))
    assert "Registration deadline" in page and "Anmeldeschluss" not in page
    # "Stand" means a state here (msgctxt), not a stand at the fair
    page = text_of(web.get(f"/c/{comp.id}/org/publish"))
    assert '<h2 class="h5" id="state-h">Status</h2>' in page and "Publish results" in page
    # help texts built at import time still follow the language of the request
    page = text_of(web.get(f"/c/{comp.id}/print/template"))
    assert "Placeholders: {vorname}" in page and "Full name" in page
    assert "Platzhalter" not in page and "vollständiger Name" not in page
    # flash messages are translated too
    assert "You have been logged out." in text_of(web.get(web.logout().headers["Location"]))
    db.session.refresh(user)
    assert user.locale == "en"

    # another browser: German is the default for the teacher, who has never switched ...
    other = Browserish(app.test_client())
    other.login(teacher.email)
    page = text_of(other.get(f"/c/{comp.id}/school/"))
    assert "Projekt anmelden" in page and "Register a project" not in page
    assert submit(other.get(f"/c/{comp.id}/school/"), button="English").status_code == 302
    page = text_of(other.get(f"/c/{comp.id}/school/"))
    assert "Register a project" in page and "Projekt anmelden" not in page

    # ... while the organiser's choice is stored on the account and follows them to a new browser
    third = Browserish(app.test_client())
    third.login(user.email)
    assert "Projects per subject area and division" in text_of(third.get(dashboard))


def test_the_catalog_knows_every_message_of_the_source(tmp_path):
    """A string added to the code but not to messages.po would stay German in the English UI."""
    from babel.messages.frontend import CommandLineInterface

    root = TRANSLATIONS.parent.parent
    template = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(root / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(template),
            str(root),
        ]
    )
    with template.open("rb") as fh:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in load_catalog() if m.id}
    missing = sorted(wanted - known)
    assert not missing, "run pybabel extract/update (README, Translations) for:\n" + "\n".join(
        missing
    )
