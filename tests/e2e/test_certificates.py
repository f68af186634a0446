"""Certificates in a real browser: the organiser downloads the bulk PDF; the QR link verifies."""

import io
import re

from pypdf import PdfReader

from compmgr.auth.models import Role
from compmgr.extensions import db
from tests.certificates.data import make_contest
from tests.e2e.conftest import login, screenshot
from tests.factories import UserFactory, grant


def test_organiser_downloads_the_bulk_pdf_sorted_by_stand(live_app, live_server, page):
    with live_app.app_context():
        contest = make_contest()
        grant(UserFactory(email="orga@example.org"), contest["comp"], Role.ORGANISER)
        contest["comp"].status = "published"
        db.session.commit()
        cid = contest["comp"].id
    login(page, live_server, "orga@example.org")
    page.wait_for_url(f"{live_server}/c/{cid}/**")
    page.goto(f"{live_server}/c/{cid}/print/")  # the menu links here (checked below)
    page.get_by_role("heading", name="Urkunden und Drucksachen").wait_for()
    assert (
        page.get_by_role("link", name="Urkunden & Druck").get_attribute("href")
        == f"/c/{cid}/print/"
    )
    screenshot(page, "certificates-print-page")
    page.get_by_label("Reihenfolge").select_option("stand")
    with page.expect_download() as info:
        page.get_by_role("button", name="Urkunden herunterladen").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    data = open(download.path(), "rb").read()
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) == 8
    assert "Ömer Öztürk" in pages[0] and "Teilnahmeurkunde" in pages[0]  # stand B01 first
    assert "Sonderpreis Umwelttechnik" in pages[2]
    assert (
        "Änne Groß" in pages[-1] and "1. Preis und Regionalsieg im Fachgebiet Chemie" in pages[-1]
    )

    # the QR code's link (also a link annotation over the code), opened as a stranger would
    last = PdfReader(io.BytesIO(data)).pages[-1]
    url = next(a.get_object()["/A"]["/URI"] for a in last["/Annots"])
    assert url.startswith(f"{live_server}/verify/")
    page.context.clear_cookies()
    page.goto(url)
    page.get_by_text("Diese Urkunde ist echt.").wait_for()
    assert re.search("Regionalsieg", page.locator(".verify-details").inner_text())
    screenshot(page, "certificates-verify")


def test_template_page_shows_errors_next_to_the_field(live_app, live_server, page):
    with live_app.app_context():
        contest = make_contest()
        grant(UserFactory(email="orga@example.org"), contest["comp"], Role.ORGANISER)
        db.session.commit()
        cid = contest["comp"].id
    login(page, live_server, "orga@example.org")
    page.goto(f"{live_server}/c/{cid}/print/template")
    page.get_by_label("Text der Preisurkunde (vor der Leistung)").fill("erhält für {projekt} den")
    page.get_by_role("button", name="Speichern").click()
    error = page.locator("#text_prize-error")
    assert "Unbekannter Platzhalter {projekt}." in error.inner_text()
    screenshot(page, "certificates-template-error")
