"""Sonderpreise: the organiser defines them and awards them to any project."""

import pytest

from compmgr.extensions import db
from compmgr.results.models import SpecialPrize, SpecialPrizeAward
from tests.forms import FormError, submit
from tests.results.helpers import judged_competition, publish


def _prizes(comp):
    return (
        db.session.execute(db.select(SpecialPrize).filter_by(competition_id=comp.id))
        .scalars()
        .all()
    )


def test_organiser_creates_edits_awards_revokes_and_deletes_a_special_prize(db, login_as):
    w = judged_competition()
    web = login_as(w.org)
    base = f"/c/{w.comp.id}/org/prizes"

    response = submit(
        web.get(base),
        name="Sonderpreis Umwelt",
        sponsor="Stadtwerke Görlitz",
        amount="150 €",
        description="Für nachhaltige Ideen",
    )
    assert response.status_code == 302
    (prize,) = _prizes(w.comp)
    assert (prize.sponsor, prize.amount) == ("Stadtwerke Görlitz", "150 €")

    response = submit(
        web.get(f"{base}/{prize.id}"),
        name="Sonderpreis Umwelt und Klima",
        sponsor="Stadtwerke Görlitz",
        amount="200 €",
    )
    assert response.status_code == 302
    db.session.refresh(prize)
    assert (prize.name, prize.amount) == ("Sonderpreis Umwelt und Klima", "200 €")

    # any project may win, also one that won nothing from its jury
    response = submit(web.get(base), **{f"a{prize.id}-project_id": w.unlocked.id})
    assert response.status_code == 302
    submit(web.get(base), **{f"a{prize.id}-project_id": w.second.id})
    db.session.refresh(prize)
    assert {a.project_id for a in prize.awards} == {w.unlocked.id, w.second.id}
    page = web.get(base).get_data(as_text=True)
    assert "Geheime Chemie" in page and "Bienen im Stadtpark" in page

    submit(web.get(base), action=f"{base}/{prize.id}/awards/{w.second.id}/delete")
    db.session.refresh(prize)
    assert [a.project_id for a in prize.awards] == [w.unlocked.id]

    submit(web.get(base), action=f"{base}/{prize.id}/delete")
    assert _prizes(w.comp) == []
    assert db.session.execute(db.select(SpecialPrizeAward)).first() is None


def test_a_prize_without_a_name_is_refused_and_the_input_kept(db, login_as):
    w = judged_competition()
    page = login_as(w.org).get(f"/c/{w.comp.id}/org/prizes")
    response = submit(page, name="  ", sponsor="Bäckerei Süß")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dieses Feld ist erforderlich." in html and 'value="Bäckerei Süß"' in html
    assert _prizes(w.comp) == []


def test_a_project_of_another_competition_cannot_be_awarded(db, login_as):
    w = judged_competition()
    other = judged_competition(name="Regionalwettbewerb Nord", org_email="nord@example.org")
    prize = SpecialPrize(competition_id=w.comp.id, name="Schulpreis")
    db.session.add(prize)
    db.session.commit()
    web = login_as(w.org)
    field = {f"a{prize.id}-project_id": other.winner.id}
    with pytest.raises(FormError, match="offers"):
        submit(web.get(f"/c/{w.comp.id}/org/prizes"), **field)  # not on the list
    response = web.post_raw(f"/c/{w.comp.id}/org/prizes/{prize.id}/awards", field)  # forged
    assert response.status_code == 422
    db.session.refresh(prize)
    assert prize.awards == []


def test_special_prizes_appear_on_the_published_results(db, client, login_as):
    w = judged_competition()
    prize = SpecialPrize(competition_id=w.comp.id, name="Sonderpreis Umwelt", sponsor="Stadtwerke")
    prize.awards.append(SpecialPrizeAward(project=w.unlocked))
    db.session.add(prize)
    db.session.commit()
    web = login_as(w.org)
    assert publish(web, w.comp).status_code == 302
    web.logout()
    html = client.get(f"/c/{w.comp.id}/results").get_data(as_text=True)
    assert "Sonderpreis Umwelt" in html and "gestiftet von Stadtwerke" in html
    assert "Anna Schäfer" in html  # she consented
