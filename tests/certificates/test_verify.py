"""The public verification page behind each certificate's QR code."""

from compmgr.certificates import services
from compmgr.certificates.tokens import load_claim, make_token
from compmgr.extensions import db
from compmgr.results.models import Decision

SECRET = "test-secret-key-not-for-production"


def _token(contest, who, kind):
    cert = next(
        c
        for c in services.certificates(contest["comp"])
        if c.participant_id == contest["people"][who].id and c.kind == kind
    )
    return make_token(SECRET, cert.claim)


def _publish(contest):
    contest["comp"].status = "published"
    db.session.commit()


def test_real_token_shows_holder_achievement_and_competition(client, contest):
    _publish(contest)
    response = client.get(f"/verify/{_token(contest, 'jörg', 'prize')}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Diese Urkunde ist echt." in html
    assert "Jörg Weiß" in html  # publication consent given
    assert "1. Preis und Regionalsieg im Fachgebiet Chemie" in html
    assert "Regionalwettbewerb Großstadt 2027" in html


def test_without_publication_consent_the_name_is_withheld(client, contest):
    _publish(contest)
    html = client.get(f"/verify/{_token(contest, 'ömer', 'special')}").get_data(as_text=True)
    assert "Öztürk" not in html
    assert "Teilnehmerin/Teilnehmer der Schule „Gesamtschule Süd“" in html
    assert "Sonderpreis Umwelttechnik" in html


def test_consent_withdrawn_later_counts(client, contest):
    from compmgr.registration.models import ConsentRecord

    _publish(contest)
    person = contest["people"]["jörg"]
    person.consents.append(ConsentRecord(kind="publication", granted=False, given_by="parent"))
    db.session.commit()
    html = client.get(f"/verify/{_token(contest, 'jörg', 'participation')}").get_data(as_text=True)
    assert "Jörg" not in html


def test_forged_and_altered_tokens_are_rejected(client, contest):
    token = _token(contest, "zoë", "participation")
    payload, signature = token.split(".")
    # a claim for someone else's prize with the old signature
    forged_payload = make_token(
        "another-key", [contest["people"]["jörg"].id, contest["projects"]["team"].id, "p", 1, 1]
    )
    for bad in (
        forged_payload,
        f"{forged_payload.split('.')[0]}.{signature}",
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "kaputt",
    ):
        response = client.get(f"/verify/{bad}")
        assert response.status_code == 404, bad
        assert "konnte nicht bestätigt werden" in response.get_data(as_text=True)
    assert load_claim(SECRET, token) is not None


def test_prize_is_not_revealed_before_publication(client, contest):
    html = client.get(f"/verify/{_token(contest, 'jörg', 'prize')}").get_data(as_text=True)
    assert "noch nicht veröffentlicht" in html
    assert "1. Preis" not in html


def test_changed_decision_makes_an_old_prize_certificate_invalid(client, contest):
    _publish(contest)
    token = _token(contest, "jörg", "prize")
    decision = db.session.execute(
        db.select(Decision).filter_by(project_id=contest["projects"]["team"].id)
    ).scalar_one()
    decision.prize, decision.qualified = 2, False
    db.session.commit()
    html = client.get(f"/verify/{token}").get_data(as_text=True)
    assert "entspricht nicht mehr" in html
    assert "1. Preis" not in html


def test_the_link_printed_on_each_page_verifies_that_page(client, contest):
    import io
    from urllib.parse import urlsplit

    from pypdf import PdfReader

    from compmgr.certificates import printing

    _publish(contest)
    certs = services.certificates(contest["comp"], kind="prizes")
    out = io.BytesIO()
    client.application.config["PUBLIC_URL"] = "https://jufo.example.org/"
    with client.application.test_request_context(base_url="http://evil.example"):
        printing.write_certificates(contest["comp"], certs, out)  # printed from a page
    for cert, page in zip(certs, PdfReader(out).pages, strict=True):
        url = page["/Annots"][0].get_object()["/A"]["/URI"]
        assert url.startswith("https://jufo.example.org/verify/")  # never the request's Host
        html = client.get(urlsplit(url).path).get_data(as_text=True)
        assert "Diese Urkunde ist echt." in html and cert.achievement in html


def test_the_printed_qr_code_scans_to_the_verification_link(client, contest, tmp_path):
    import io
    import shutil
    import subprocess
    from urllib.parse import urlsplit

    import pytest
    from pypdf import PdfReader

    from compmgr.certificates import printing

    zxingcpp = pytest.importorskip("zxingcpp")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from PIL import Image

    _publish(contest)
    certs = services.certificates(contest["comp"], kind="prizes")[:2]
    out = io.BytesIO()
    printing.write_certificates(contest["comp"], certs, out)
    (tmp_path / "c.pdf").write_bytes(out.getvalue())
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", str(tmp_path / "c.pdf"), str(tmp_path / "p")], check=True
    )
    for number, page in enumerate(PdfReader(out).pages, start=1):
        link = page["/Annots"][0].get_object()["/A"]["/URI"]
        image = Image.open(tmp_path / f"p-{number}.png")
        scanned = [b.text for b in zxingcpp.read_barcodes(image)]
        assert scanned == [link]
        assert "Diese Urkunde ist echt." in client.get(urlsplit(link).path).get_data(as_text=True)


def test_a_prize_named_sonderpreis_is_not_called_sonderpreis_twice(client, contest):
    from compmgr.results.models import SpecialPrize

    prize = db.session.scalars(db.select(SpecialPrize)).one()
    prize.name = "Sonderpreis Umwelttechnik"  # as the prize form suggests
    _publish(contest)
    html = client.get(f"/verify/{_token(contest, 'ömer', 'special')}").get_data(as_text=True)
    assert "Sonderpreis Umwelttechnik, gestiftet von Stadtwerke Großstadt" in html
    assert "Sonderpreis Sonderpreis" not in html
    certs = services.certificates(contest["comp"], kind="prizes")
    assert all("Sonderpreis Sonderpreis" not in c.achievement for c in certs)
    assert services.special_title("Schulpreis der Stadt") == "Schulpreis der Stadt"
    assert services.special_title("Umwelttechnik") == "Sonderpreis Umwelttechnik"
