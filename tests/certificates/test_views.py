"""The print pages: who may print what, bulk PDF and ZIP, single certificates, documents."""

import io
import re
import zipfile

from pypdf import PdfReader

from compmgr.auth.models import Role
from compmgr.extensions import db
from tests.factories import UserFactory, grant
from tests.forms import submit


def _text(data):
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


def _organiser(contest, login_as):
    user = grant(UserFactory(), contest["comp"], Role.ORGANISER)
    db.session.commit()
    return login_as(user)


def _school(contest, login_as, key="weiss"):
    user = grant(UserFactory(), contest["comp"], Role.SCHOOL, contest["schools"][key])
    db.session.commit()
    return login_as(user)


def test_organiser_downloads_all_certificates_as_one_pdf(contest, login_as):
    web = _organiser(contest, login_as)
    cid = contest["comp"].id
    response = web.get(f"/c/{cid}/print/certificates?kind=all&order=school&format=pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    pages = _text(response.data)
    assert len(pages) == 8
    assert "Ömer Öztürk" in pages[0] and "Jörg Weiß" in pages[-1]


def test_prize_winners_only_by_jury(contest, login_as):
    web = _organiser(contest, login_as)
    cid, jury = contest["comp"].id, contest["juries"]["chemie"].id
    pages = _text(web.get(f"/c/{cid}/print/certificates?kind=prizes&jury={jury}").data)
    assert len(pages) == 2
    assert all("1. Preis und Regionalsieg im Fachgebiet Chemie" in p for p in pages)


def test_zip_has_one_pdf_per_school(contest, login_as):
    web = _organiser(contest, login_as)
    response = web.get(f"/c/{contest['comp'].id}/print/certificates?format=zip")
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(archive.namelist())
    assert names == [
        "Urkunden_Gesamtschule_Süd_Musterstadt.pdf",
        "Urkunden_Gymnasium_am_Weißen_Berg_Musterstadt.pdf",
    ]
    sued = _text(archive.read(names[0]))
    assert len(sued) == 4 and all("Gesamtschule Süd" in p for p in sued)


def test_a_jury_of_another_competition_is_not_found(contest, login_as):
    from tests.factories import CompetitionFactory, JuryFactory

    other = JuryFactory(competition=CompetitionFactory(name="Anderer Wettbewerb"))
    db.session.commit()
    web = _organiser(contest, login_as)
    response = web.get(f"/c/{contest['comp'].id}/print/certificates?jury={other.id}")
    assert response.status_code in (302, 404)


def test_school_waits_for_publication_then_prints_only_its_own(contest, login_as):
    web = _school(contest, login_as)
    cid = contest["comp"].id
    joerg, oemer = contest["people"]["jörg"].id, contest["people"]["ömer"].id
    response = web.get(f"/c/{cid}/print/participants/{joerg}/certificate.pdf")
    assert response.status_code == 302
    assert "noch nicht verfügbar" in web.get(f"/c/{cid}/print/school").get_data(as_text=True)
    contest["comp"].status = "published"
    db.session.commit()
    response = web.get(f"/c/{cid}/print/participants/{joerg}/certificate.pdf")
    assert response.status_code == 200
    pages = _text(response.data)
    assert [("Teilnahmeurkunde" in p, "Preisurkunde" in p) for p in pages] == [
        (True, False),
        (False, True),
    ]
    assert web.get(f"/c/{cid}/print/participants/{oemer}/certificate.pdf").status_code == 404
    assert web.get(f"/c/{cid}/print/certificates").status_code == 403  # no bulk for schools


def test_template_settings_reject_an_unknown_placeholder(contest, login_as):
    web = _organiser(contest, login_as)
    url = f"/c/{contest['comp'].id}/print/template"
    response = submit(web.get(url), text_prize="erhält für {projekt} den")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Unbekannter Platzhalter {projekt}." in html
    assert 'id="text_prize-error"' in html and "erhält für {projekt} den" in html
    fixed = submit(response, text_prize="erhält für „{titel}“ den", sig1_name="Dr. Käthe Großmann")
    assert fixed.status_code == 302
    pages = _text(web.get(f"/c/{contest['comp'].id}/print/certificates?kind=prizes").data)
    assert "Dr. Käthe Großmann" in pages[0]


def test_logo_must_be_a_real_png_or_jpeg(contest, login_as):
    from PIL import Image

    from compmgr.certificates.models import CertificateTemplate

    web = _organiser(contest, login_as)
    url = f"/c/{contest['comp'].id}/print/template"
    response = submit(web.get(url), logo=(io.BytesIO(b"<svg>nicht wirklich</svg>"), "logo.png"))
    assert response.status_code == 422
    assert "PNG oder JPEG" in response.get_data(as_text=True)
    png = io.BytesIO()
    Image.new("RGB", (60, 30), "#c00000").save(png, "PNG")
    png.seek(0)
    response = submit(response, logo=(png, "logo.png"))
    assert response.status_code == 302
    template = db.session.execute(db.select(CertificateTemplate)).scalar_one()
    assert template.logo_stored_name
    preview = web.get(f"/c/{contest['comp'].id}/print/template/preview.pdf")
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    assert "frame-ancestors 'self'" in preview.headers["Content-Security-Policy"]
    assert b"/Image" in preview.data or b"/XObject" in preview.data


def test_other_documents(contest, login_as):
    from tests.factories import JudgeFactory, assign

    judge = JudgeFactory(
        competition=contest["comp"],
        jury=contest["juries"]["bio"],
        first_name="Jürgen",
        last_name="Prüfer",
        email="pruefer@example.org",
    )
    assign(judge, contest["projects"]["solo"])
    db.session.commit()
    web = _organiser(contest, login_as)
    cid = contest["comp"].id
    sheets = " ".join(_text(web.get(f"/c/{cid}/print/score-sheets.pdf").data))
    assert "Bewertungsbogen: Jürgen Prüfer" in sheets and "Bienen »im« Stadtpark" in sheets
    assert "Problemstellung" in sheets or "Kriterium" in sheets
    one = " ".join(_text(web.get(f"/c/{cid}/print/judges/{judge.id}/score-sheet.pdf").data))
    assert "Jürgen Prüfer" in one
    signs = _text(web.get(f"/c/{cid}/print/stand-signs.pdf").data)
    assert [s.split()[0] for s in signs] == ["Regionalwettbewerb"] * 3
    assert "B01" in signs[0] and "Fachgebiet Biologie" in signs[0]
    # stand signs hang in a public hall: Ömer gave no publication consent, Jörg did
    assert "Öztürk" not in " ".join(signs) and "Gesamtschule Süd" in signs[0]
    assert "Jörg Weiß" in " ".join(signs)
    listing = " ".join(_text(web.get(f"/c/{cid}/print/participants.pdf?order=school").data))
    assert listing.index("Ömer Öztürk") < listing.index("Zoë Süßmilch") < listing.index("Änne Groß")
    assert "Rückzug" not in listing
    page = web.get(f"/c/{cid}/print/").get_data(as_text=True)
    assert f'href="/c/{cid}/print/">Urkunden &' in page  # linked in the organiser's menu


def test_single_certificates_are_offered_only_to_people_who_get_one(contest, login_as):
    from tests.factories import ProjectFactory

    comp, sued = contest["comp"], contest["schools"]["sued"]
    rita = contest["people"]["rita"]  # her only project is withdrawn
    ProjectFactory(
        competition=comp,
        school=sued,
        participants=[contest["people"]["zoë"]],
        title="Entwurf",
        status="draft",
    )
    web = _organiser(contest, login_as)
    page = web.get(f"/c/{comp.id}/print/").get_data(as_text=True)
    offered = re.findall(r"<tr><td>([^<]+)</td>", page)
    assert offered == ["Änne Groß", "Ömer Öztürk", "Zoë Süßmilch", "Jörg Weiß"]
    assert "Rita Rückzug" not in page
    # Rita registers again with a new project: now she gets a certificate and is offered.
    ProjectFactory(
        competition=comp, school=sued, participants=[rita], title="Zweiter Anlauf", stand="B04"
    )
    page = web.get(f"/c/{comp.id}/print/").get_data(as_text=True)
    assert re.findall(r"<tr><td>([^<]+)</td>", page) == [
        "Änne Groß",
        "Ömer Öztürk",
        "Rita Rückzug",
        "Zoë Süßmilch",
        "Jörg Weiß",
    ]
    response = web.get(f"/c/{comp.id}/print/participants/{rita.id}/certificate.pdf")
    assert response.mimetype == "application/pdf" and "Zweiter Anlauf" in _text(response.data)[0]


def _no_prizes_yet(contest):
    from compmgr.results.models import Decision, SpecialPrizeAward

    db.session.execute(db.delete(SpecialPrizeAward))
    db.session.execute(db.delete(Decision))
    db.session.commit()


def test_an_empty_selection_downloads_nothing_and_says_why(contest, login_as):
    _no_prizes_yet(contest)
    web = _organiser(contest, login_as)
    cid = contest["comp"].id
    for fmt in ("pdf", "zip"):
        response = web.get(f"/c/{cid}/print/certificates?kind=prizes&order=school&format={fmt}")
        assert response.status_code == 422
        assert response.mimetype == "text/html" and "Content-Disposition" not in response.headers
        html = response.get_data(as_text=True)
        assert "Für diese Auswahl gibt es keine Urkunden, daher wurde keine Datei erstellt." in html
        assert "erst, wenn Preise vergeben sind" in html
        assert '<option selected value="prizes">' in html  # the choice is kept
    # the participation certificates are still there
    response = web.get(f"/c/{cid}/print/certificates?kind=participation")
    assert response.mimetype == "application/pdf" and len(_text(response.data)) == 4
