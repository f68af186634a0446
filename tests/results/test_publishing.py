"""The results page and the ceremony: who sees them, and whose names appear."""

from datetime import timedelta

from compmgr.competitions.models import Status
from compmgr.database import utcnow
from compmgr.results.publishing import public_names
from tests.results.helpers import consent, judged_competition, publish, withdraw


def publication_allowed(participant):
    return participant.has_consent("publication")


def test_names_follow_the_latest_publication_consent(db):
    w = judged_competition()
    assert public_names(w.winner) == "Lena Weiß und 1 weitere Person"
    assert public_names(w.second) == "Teilnehmerin/Teilnehmer der Schule „Gesamtschule Süd“"
    consent(w.joerg, True)
    db.session.flush()
    db.session.refresh(w.joerg)
    assert public_names(w.winner) == "Lena Weiß und Jörg Groß"
    consent(w.lena, False, when=utcnow() + timedelta(minutes=1))  # withdrawn later
    consent(w.joerg, False, when=utcnow() + timedelta(minutes=1))
    db.session.flush()
    for p in (w.lena, w.joerg):
        db.session.refresh(p)
    assert not publication_allowed(w.lena)
    assert public_names(w.winner) == "Team der Schule „Gymnasium am Weißen Berg“"


def test_results_are_404_for_the_public_until_published_then_visible(db, client, login_as):
    w = judged_competition()
    url = f"/c/{w.comp.id}/results"
    assert client.get(url).status_code == 404

    web = login_as(w.org)
    preview = web.get(url)
    assert preview.status_code == 200
    assert "Vorschau" in preview.get_data(as_text=True)

    confirm_page = web.get(f"/c/{w.comp.id}/org/phase?to=published").get_data(as_text=True)
    assert "Chemie" in confirm_page  # the guard names the unlocked jury before confirming
    assert "noch nicht abgeschlossen" in confirm_page
    response = publish(web, w.comp, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Neue Phase: Ergebnisse veröffentlicht" in page
    db.session.refresh(w.comp)
    assert w.comp.status == Status.PUBLISHED and w.comp.results_published_at is not None

    web.logout()
    html = client.get(url).get_data(as_text=True)
    assert client.get(url).status_code == 200
    assert "=Mikroplastik in der Neiße" in html
    assert "Lena Weiß und 1 weitere Person" in html
    assert "Jörg" not in html and "Groß" not in html
    assert "Öztürk" not in html and "Ömer" not in html
    assert "Teilnehmerin/Teilnehmer der Schule „Gesamtschule Süd“" in html
    assert "Geheime Chemie" not in html  # the Chemie jury is not locked
    assert "Schäfer" not in html


def test_unpublishing_hides_the_page_again(db, client, login_as):
    w = judged_competition()
    web = login_as(w.org)
    assert publish(web, w.comp).status_code == 302
    assert withdraw(web, w.comp).status_code == 302
    db.session.refresh(w.comp)
    assert w.comp.status == Status.JUDGING and w.comp.results_published_at is None
    web.logout()
    assert client.get(f"/c/{w.comp.id}/results").status_code == 404


def test_results_of_another_competitions_organiser_stay_hidden(db, client, login_as):
    w = judged_competition()
    other = judged_competition(name="Regionalwettbewerb Nord", org_email="nord@example.org")
    web = login_as(other.org)
    assert web.get(f"/c/{w.comp.id}/results").status_code == 404


def test_ceremony_shows_prizes_of_locked_juries_with_consented_names(db, login_as):
    w = judged_competition()
    from compmgr.results.models import SpecialPrize, SpecialPrizeAward

    prize = SpecialPrize(
        competition_id=w.comp.id, name="Sonderpreis Umwelt", sponsor="Stadtwerke Görlitz"
    )
    prize.awards.append(SpecialPrizeAward(project=w.second))
    db.session.add(prize)
    db.session.commit()
    html = login_as(w.org).get(f"/c/{w.comp.id}/ceremony").get_data(as_text=True)
    assert html.count('class="ceremony-slide') == 5  # title, special prize, 2nd, 1st, end
    assert html.index("2. Preis") < html.index("1. Preis")  # build up to the first prize
    assert html.index("Sonderpreis Umwelt") < html.index("2. Preis")
    assert "Lena Weiß und 1 weitere Person" in html
    assert "Jörg" not in html and "Ömer" not in html and "Geheime Chemie" not in html
    assert "js/ceremony.js" in html and "<script>" not in html


def test_a_mixed_team_reads_a_comma_list_with_one_und(db):
    from tests.factories import (
        CompetitionFactory,
        ParticipantFactory,
        ProjectFactory,
        SchoolFactory,
    )

    comp = CompetitionFactory()
    school = SchoolFactory(competition_id=comp.id)
    people = [
        ParticipantFactory(competition_id=comp.id, school=school, first_name=first, last_name=last)
        for first, last in (("Jörg", "Schwarz"), ("Ben", "Bauer"), ("Emil", "Wolf"))
    ]
    consent(people[0], True)
    consent(people[1], True)
    project = ProjectFactory(competition=comp, school=school, participants=people)
    db.session.flush()
    assert public_names(project) == "Jörg Schwarz, Ben Bauer und 1 weitere Person"
