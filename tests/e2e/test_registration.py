"""A school registers a team of three with a paper in a real browser and sees every mistake explained."""

from datetime import date, timedelta

from compmgr.auth.models import Role
from compmgr.extensions import db
from tests.e2e.conftest import login, screenshot
from tests.factories import CompetitionFactory, SchoolFactory, UserFactory, grant, make_pdf


def add_person(page, base, cid, first, last, birth, grade, email="x@schule.example"):
    page.goto(f"{base}/c/{cid}/school/participants/new")
    page.get_by_label("Vorname").fill(first)
    page.get_by_label("Nachname").fill(last)
    page.get_by_label("Geburtsdatum").fill(birth)
    page.get_by_label("Klassenstufe").fill(str(grade))
    page.get_by_label("E-Mail", exact=True).fill(email)
    page.get_by_label("Die Teilnahme- und Datenschutzerklärung ist akzeptiert", exact=False).check()
    page.get_by_role("button", name="Speichern").click()


def test_school_registers_a_team_of_three_with_a_paper(live_app, live_server, page, tmp_path):
    with live_app.app_context():
        comp = CompetitionFactory(
            name="Regionalwettbewerb Süd", registration_deadline=date.today() + timedelta(days=30)
        )
        school = SchoolFactory(competition_id=comp.id, name="Gymnasium am Weißen Berg")
        grant(UserFactory(email="schule@example.org"), comp, Role.SCHOOL, school)
        db.session.commit()
        cid = comp.id
    base = live_server
    login(page, base, "schule@example.org")

    # mistakes on a participant: too young for grade 3, broken e-mail
    add_person(page, base, cid, "Kai", "Klein", "2017-06-01", 3, email="kein-at")
    assert "ab Klasse 4" in page.locator("#grade-error").inner_text()
    assert "gültige E-Mail-Adresse" in page.locator("#email-error").inner_text()
    assert page.get_by_label("Vorname").input_value() == "Kai"
    screenshot(page, "registration-participant-errors")
    add_person(page, base, cid, "Opa", "Alt", "1990-01-01", 13)
    assert "passt keine Sparte" in page.locator("#birth_date-error").inner_text()

    add_person(page, base, cid, "Lena", "Müller", "2010-05-17", 10)
    add_person(page, base, cid, "Jörg", "Groß", "2011-03-01", 9)
    add_person(page, base, cid, "Özlem", "Öztürk", "2009-08-08", 11)
    # the same person again is refused with a link to the existing entry
    add_person(page, base, cid, "Lena", "Müller", "2010-05-17", 10)
    assert page.get_by_role("link", name="Lena Müller (17.05.2010)").is_visible()
    screenshot(page, "registration-duplicate")

    # the project: first without a speaker and with a too long abstract
    page.goto(f"{base}/c/{cid}/school/projects/new")
    page.get_by_label("Titel des Projekts").fill("Bioplastik aus Kartoffelschalen")
    page.get_by_label("Fachgebiet").select_option(label="Chemie")
    page.get_by_label("Kurzfassung").fill("x" * 1510)
    assert "10 Zeichen zu viel" in page.locator("#abstract-counter").inner_text()
    for name in ("Lena Müller", "Jörg Groß", "Özlem Öztürk"):
        page.get_by_label(name, exact=False).check()
    page.get_by_label("Betreuer(in)", exact=True).fill("Frau Weiß")
    page.get_by_label("E-Mail der Betreuerin / des Betreuers").fill("weiss@schule.example")
    page.get_by_label("Strom").check()
    page.get_by_role("button", name="Projekt speichern").click()
    assert "1510 Zeichen" in page.locator("#abstract-error").inner_text()
    assert "muss zum Team gehören" in page.locator("#speaker_id-error").inner_text()
    screenshot(page, "registration-project-errors")

    page.get_by_label("Kurzfassung").fill(
        "Wir machen Folie aus Kartoffelstärke und prüfen ihre Reißfestigkeit."
    )
    page.get_by_label("Gruppensprecher(in)").select_option(label="Lena Müller (17.05.2010)")
    page.get_by_role("button", name="Projekt speichern").click()
    explanation = page.locator("#division").inner_text()
    assert "Sparte Jugend forscht, weil Özlem Öztürk am 31.12.2026 17 Jahre alt ist." in explanation

    # the paper: a file that is not a PDF, then a PDF with too many pages
    fake = tmp_path / "arbeit.pdf"
    fake.write_bytes(b"Das ist ein Word-Dokument")
    page.get_by_label("PDF-Datei, höchstens 30 MB").first.set_input_files(str(fake))
    page.get_by_role("button", name="Hochladen").first.click()
    assert "keine PDF-Datei" in page.locator(".alert-danger").inner_text()
    paper = tmp_path / "schriftliche-arbeit.pdf"
    paper.write_bytes(make_pdf(17))
    page.get_by_label("PDF-Datei, höchstens 30 MB").first.set_input_files(str(paper))
    page.get_by_role("button", name="Hochladen").first.click()
    assert "17 Seiten" in page.locator(".alert-success").inner_text()
    assert "Erlaubt sind 15 Seiten Haupttext" in page.locator(".alert-warning").first.inner_text()
    screenshot(page, "registration-project-with-paper")

    page.goto(f"{base}/c/{cid}/school/")
    row = page.get_by_role("row", name="Bioplastik aus Kartoffelschalen").first
    assert "vollständig" in row.inner_text()
    screenshot(page, "registration-dashboard")
