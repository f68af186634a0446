"""A jury that judges both Sparten: places and prizes per Sparte, tie kept, lock what is shown."""

import pytest

from compmgr.audit.models import AuditEntry
from compmgr.certificates import services as certificates
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.judging.ranking import rank_jury
from compmgr.results.models import Decision, SpecialPrize, SpecialPrizeAward
from tests.forms import submit
from tests.results.helpers import mixed_jury, publish


@pytest.fixture
def mixed(db):
    return mixed_jury()


def _url(comp, jury):
    return f"/c/{comp.id}/jury/chair/{jury.id}/"


def _decision(projects, places, prizes, tie=False, reasons=None):
    data = {"tie_decided": tie}
    for p, place, prize in zip(projects, places, prizes, strict=True):
        data[f"place_{p.id}"] = str(place)
        data[f"prize_{p.id}"] = str(prize) if prize else ""
        data[f"qualified_{p.id}"] = prize == 1
        data[f"reason_{p.id}"] = (reasons or {}).get(p.id, "")
    return data


def test_a_mixed_jury_ranks_each_sparte_from_one(mixed):
    comp, jury, projects, _users, _org = mixed
    lines = rank_jury(jury)
    assert [(line.project_id, line.rank) for line in lines] == [
        (projects[0].id, 1),
        (projects[1].id, 2),
        (projects[2].id, 1),
        (projects[3].id, 2),
    ]
    assert projects[0].division_id != projects[2].division_id


def test_each_sparte_gets_its_own_first_prize_without_a_tie(mixed, login_as):
    comp, jury, projects, users, _org = mixed
    web = login_as(users[0])
    page = web.get(_url(comp, jury))
    html = page.get_data(as_text=True)
    assert 'data-testid="per-division"' in html
    assert "Sparte Jugend forscht junior" in html
    saved = submit(page, **_decision(projects, (1, 2, 1, 2), (1, 2, 1, 2)))
    assert saved.status_code == 302
    got = {d.project_id: (d.place, d.prize) for d in db.session.scalars(db.select(Decision))}
    assert got[projects[0].id] == (1, 1) and got[projects[2].id] == (1, 1)
    # two first prizes in one Sparte still need an explicitly decided tie
    refused = submit(web.get(_url(comp, jury)), **_decision(projects, (1, 2, 1, 2), (1, 1, 1, 2)))
    assert refused.status_code == 422
    assert "Sparte Jugend forscht" in refused.get_data(as_text=True)


def test_results_ceremony_and_certificates_name_the_sparte(mixed, login_as, client):
    comp, jury, projects, users, org = mixed
    web = login_as(users[0])
    assert (
        submit(
            web.get(_url(comp, jury)), **_decision(projects, (1, 2, 1, 2), (1, 2, 1, 2))
        ).status_code
        == 302
    )
    assert submit(web.get(_url(comp, jury)), button="Jury abschließen").status_code == 302
    web.logout()
    web = login_as(org)
    assert publish(web, comp).status_code == 302
    ceremony = web.get(f"/c/{comp.id}/ceremony").get_data(as_text=True)
    assert (
        "Biologie · Jugend forscht junior" in ceremony and "Biologie · Jugend forscht<" in ceremony
    )
    web.logout()
    html = client.get(f"/c/{comp.id}/results").get_data(as_text=True)
    assert html.count("1. Preis") == 2
    assert "Biologie · Jugend forscht junior" in html
    prizes = certificates.certificates(comp, kind="prizes")
    texts = {c.achievement for c in prizes}
    assert "1. Preis und Regionalsieg im Fachgebiet Biologie, Sparte Jugend forscht junior" in texts
    assert "1. Preis und Regionalsieg im Fachgebiet Biologie, Sparte Jugend forscht" in texts


def test_the_tie_tick_is_kept_and_survives_a_reopen(mixed, login_as):
    comp, jury, projects, users, org = mixed
    web = login_as(users[0])
    reasons = {projects[1].id: "Gleich stark, beschlossen"}
    tie = _decision(projects, (1, 2, 1, 2), (1, 1, 1, 2), tie=True, reasons=reasons)
    assert submit(web.get(_url(comp, jury)), **tie).status_code == 302
    page = web.get(_url(comp, jury)).get_data(as_text=True)
    assert '<input checked class="form-check-input" id="tie_decided"' in page
    assert submit(web.get(_url(comp, jury)), button="Jury abschließen").status_code == 302
    web.logout()
    unlock = f"/c/{comp.id}/org/judging/juries/{jury.id}/unlock"
    web = login_as(org)
    assert submit(web.get(unlock), reason="Korrektur", confirm=True).status_code == 302
    web.logout()
    web = login_as(users[0])
    # the correction keeps the tie the jury decided: no need to tick it again
    correction = submit(web.get(_url(comp, jury)), **{f"reason_{projects[3].id}": "Nachtrag"})
    assert correction.status_code == 302
    assert submit(web.get(_url(comp, jury)), button="Jury abschließen").status_code == 302
    db.session.refresh(jury)
    assert jury.is_locked


def test_locking_refuses_when_the_screen_shows_an_unsaved_decision(mixed, login_as):
    comp, jury, projects, users, _org = mixed
    web = login_as(users[0])
    assert (
        submit(
            web.get(_url(comp, jury)), **_decision(projects, (1, 2, 1, 2), (1, 2, 1, 2))
        ).status_code
        == 302
    )
    # a correction the rules refuse: the page shows it again, unsaved
    refused = submit(web.get(_url(comp, jury)), **_decision(projects, (1, 2, 1, 2), (1, 1, 1, 2)))
    assert refused.status_code == 422
    locked = submit(refused, button="Jury abschließen")
    assert locked.status_code == 409
    assert "nicht die gespeicherte" in locked.get_data(as_text=True)
    db.session.refresh(jury)
    assert not jury.is_locked
    assert (
        db.session.scalars(db.select(Decision).filter_by(project_id=projects[1].id)).one().prize
        == 2
    )


def test_a_locked_jury_offers_no_change_and_names_its_own_lock_time(mixed, login_as):
    comp, jury, projects, users, _org = mixed
    web = login_as(users[1])
    before = web.get(f"/c/{comp.id}/jury/").get_data(as_text=True)
    assert "Bewertung ändern" in before
    jury.locked_at = utcnow()
    db.session.commit()
    after = web.get(f"/c/{comp.id}/jury/").get_data(as_text=True)
    assert "Bewertung ändern" not in after and "Bewertung ansehen" in after
    assert "0 von 4 bewertet, 0 offen" in after  # nothing is left open in a locked jury
    sheet = web.get(f"/c/{comp.id}/jury/projects/{projects[0].id}/").get_data(as_text=True)
    assert 'data-testid="locked"' in sheet and "Die Jury hat ihre Entscheidung am" in sheet
    assert "Abgeschlossen am" not in sheet


def test_audit_log_and_special_prizes_name_the_stand(mixed, login_as):
    comp, jury, projects, users, org = mixed
    web = login_as(users[0])
    assert (
        submit(
            web.get(_url(comp, jury)), **_decision(projects, (1, 2, 1, 2), (1, 2, 1, 2))
        ).status_code
        == 302
    )
    web.logout()
    prize = SpecialPrize(competition_id=comp.id, name="Umwelttechnik")
    prize.awards.append(SpecialPrizeAward(project=projects[1]))
    db.session.add(prize)
    db.session.commit()
    web = login_as(org)
    audit = web.get(f"/c/{comp.id}/org/audit/").get_data(as_text=True)
    assert "B01 · Moose als Luftfilter" in audit and "B02 · Moose als Luftfilter" in audit
    prizes = web.get(f"/c/{comp.id}/org/prizes").get_data(as_text=True)
    assert "B02 · Moose als Luftfilter" in prizes
    assert db.session.scalars(db.select(AuditEntry).filter_by(action="decision.set")).first()
