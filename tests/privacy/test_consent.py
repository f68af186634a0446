"""Outputs follow consent: results page, press file, ceremony, verification page."""

import csv
import io

from compmgr.certificates import services as cert_services
from compmgr.certificates import tokens
from compmgr.registration.models import Participant
from tests.privacy.scene import consent, published_competition

consent_granted = Participant.has_consent
current_consent = Participant.consent
display_name = Participant.public_name.fget


def test_latest_record_is_in_force(db):
    s = published_competition()
    assert consent_granted(s.lena, "publication")
    consent(s.lena, "publication", False)
    db.session.commit()
    assert current_consent(s.lena, "publication").granted is False
    assert display_name(s.lena) == "Teilnehmerin/Teilnehmer der Schule „Gymnasium am Weißen Berg“"
    assert display_name(s.anna) == "Anna Schäfer"


def test_results_page_names_only_consenting_people(client, db):
    s = published_competition()
    html = client.get(f"/c/{s.comp.id}/results").get_data(as_text=True)
    assert "Lena Weiß und 1 weitere Person" in html
    assert "Groß" not in html and "Öztürk" not in html
    assert "Teilnehmerin/Teilnehmer der Schule „Gesamtschule Süd“" in html


def test_withdrawn_publication_consent_removes_the_name_from_the_results(client, db):
    s = published_competition()
    consent(s.lena, "publication", False)
    db.session.commit()
    html = client.get(f"/c/{s.comp.id}/results").get_data(as_text=True)
    assert "Weiß</" not in html and "Lena" not in html
    assert "Team der Schule „Gymnasium am Weißen Berg“" in html


def test_ceremony_follows_consent(login_as, db):
    s = published_competition()
    web = login_as(s.org)
    html = web.get(f"/c/{s.comp.id}/ceremony").get_data(as_text=True)
    assert "Lena Weiß" in html and "Jörg" not in html and "Öztürk" not in html


def test_press_file_follows_consent(login_as, db):
    s = published_competition()
    web = login_as(s.org)
    response = web.get(f"/c/{s.comp.id}/org/privacy/press.csv")
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Preis", "Fachgebiet/Sonderpreis", "Projekt", "Teilnehmende"]
    by_title = {r[2]: r for r in rows[1:]}
    assert by_title["Mikroplastik in der Neiße"][3] == "Lena Weiß und 1 weitere Person"
    assert (
        by_title["Bienen im Stadtpark"][3]
        == "Teilnehmerin/Teilnehmer der Schule „Gesamtschule Süd“"
    )
    assert "Kupfer im Regenwasser" not in by_title  # no prize, not in the press file
    assert "Groß" not in text and "Öztürk" not in text and "@" not in text


def test_verification_page_withholds_the_name_without_consent(client, app, db):
    s = published_competition()
    certs = cert_services.certificates(s.comp, participant_id=s.oemer.id)
    token = tokens.make_token(app.config["SECRET_KEY"], certs[0].claim)
    html = client.get(f"/verify/{token}").get_data(as_text=True)
    assert "Öztürk" not in html and "Bienen im Stadtpark" not in html
    certs = cert_services.certificates(s.comp, participant_id=s.lena.id)
    token = tokens.make_token(app.config["SECRET_KEY"], certs[0].claim)
    assert "Lena Weiß" in client.get(f"/verify/{token}").get_data(as_text=True)
