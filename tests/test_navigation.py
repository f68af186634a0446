"""The main menu: the organiser's entries grouped so they fit one row, the page's entry marked."""

import re

from compmgr.auth.models import Role
from tests.factories import CompetitionFactory, UserFactory, grant


def _menu(html):
    """Return the main navigation's HTML."""
    return re.search(r'<nav class="navbar.*?</nav>', html, re.S).group(0)


def _texts(html, css):
    return [
        re.sub(r"<[^>]+>", "", m).strip()
        for m in re.findall(rf'class="{css}[^"]*"[^>]*>(.*?)</(?:a|button)>', html, re.S)
    ]


def test_organiser_menu_has_six_entries_two_of_them_dropdowns(db, login_as):
    comp = CompetitionFactory(name="Regionalwettbewerb Süd")
    org = grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER)
    db.session.commit()
    menu = _menu(login_as(org).get(f"/c/{comp.id}/org/rubric/").get_data(as_text=True))
    top = re.search(
        r'<ul class="navbar-nav me-auto">(.*?)</ul>\s*<ul class="navbar-nav nav-account', menu, re.S
    ).group(1)
    assert _texts(top, "nav-link") == [
        "Übersicht",
        "Wettbewerb",
        "Anmeldungen",
        "Jury",
        "Ergebnisse",
        "Urkunden & Druck",
    ]
    assert _texts(top, "dropdown-item") == [
        "Einstellungen",
        "Sparten & Fachgebiete",
        "Bewertungskriterien",
        "Zugänge",
        "E-Mails",
        "Datenschutz",
        "Protokoll",
        "Sonderpreise",
        "Ergebnisse veröffentlichen",
        "Statistik & Jahresbericht",
    ]
    # the page's entry and its dropdown are marked; the toggles are buttons that say whether they are open
    assert (
        f'<a class="dropdown-item active" aria-current="page" href="/c/{comp.id}/org/rubric/">'
        in top
    )
    assert re.search(
        r'<button class="nav-link dropdown-toggle active" type="button" id="nav-competition"\s+'
        r'data-bs-toggle="dropdown" aria-expanded="false">Wettbewerb</button>',
        top,
    )
    assert top.count('aria-current="page"') == 1
    # the competition and the role are named once more in the account menu; no admin entry for organisers
    assert 'title="Wettbewerbsleitung · Regionalwettbewerb Süd 2027"' in menu
    assert "Rolle oder Wettbewerb wechseln" in menu and "Administration" not in menu
    assert "navbar-expand-xl" in menu  # one row from 1200 px, the toggler below


def test_admin_finds_administration_in_the_account_menu_and_on_top_outside_a_competition(
    db, login_as
):
    comp = CompetitionFactory()
    admin = UserFactory(email="admin@example.org", name="Ada Admin", is_admin=True)
    db.session.commit()
    web = login_as(admin)
    inside = _menu(web.get(f"/c/{comp.id}/org/").get_data(as_text=True))
    assert inside.count(">Administration</a>") == 1
    assert '<a class="dropdown-item" href="/admin/">Administration</a>' in inside
    outside = _menu(web.get("/admin/").get_data(as_text=True))
    assert (
        '<a class="nav-link active" aria-current="page" href="/admin/">Administration</a>'
        in outside
    )
    assert (
        '<span class="nav-account-text">Ada Admin</span>' in outside and "Rolle wählen" in outside
    )
