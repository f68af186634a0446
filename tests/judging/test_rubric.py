"""The rubric editor: per division, validated, locked once scores exist, reset audited."""

import pytest

from compmgr.audit.models import AuditEntry
from compmgr.auth.models import Role
from compmgr.extensions import db
from compmgr.judging import scoring
from compmgr.judging.models import Criterion, Score
from tests.factories import UserFactory, grant
from tests.forms import FormError, submit
from tests.judging.scene import build_scene


def _organiser(scene):
    user = grant(UserFactory(email="orga@example.org"), scene.comp, Role.ORGANISER)
    db.session.commit()
    return user


def _data(**overrides):
    data = {
        "group": "Präsentation/Stand",
        "name": "Plakat",
        "description": "Übersichtlich?",
        "weight": "0.5",
        "scale_min": "0",
        "scale_max": "5",
        "division_id": "",
    }
    data.update(overrides)
    return data


def test_default_rubric_has_the_five_groups(db):
    scene = build_scene(n_projects=1, n_judges=1)
    groups = {c.group for c in scene.criteria}
    assert groups == {
        "Problemstellung",
        "Methode/Durchführung",
        "Ergebnisse/Diskussion",
        "Präsentation/Stand",
        "Eigenständigkeit",
    }


def test_organiser_adds_a_division_criterion_and_the_judge_sees_it(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    _organiser(scene)
    web.login("orga@example.org")
    base = f"/c/{scene.comp.id}/org/rubric"
    new = base + "/new"
    bad = submit(web.get(base + "/"), action=new, **_data(scale_min="5", scale_max="5"))
    assert bad.status_code == 422
    assert "Der größte Wert muss über dem kleinsten liegen." in bad.get_data(as_text=True)
    division = scene.projects[0].division
    other = next(d for d in scene.comp.divisions if d.id != division.id)
    assert submit(bad, action=new, **_data(division_id=division.id)).status_code == 302
    assert (
        submit(
            web.get(base + "/"),
            action=new,
            **_data(name="Nur die andere Sparte", division_id=other.id),
        ).status_code
        == 302
    )
    names = [c.name for c in scoring.criteria_for(scene.comp.id, division.id)]
    assert "Plakat" in names and "Nur die andere Sparte" not in names
    plakat = db.session.execute(db.select(Criterion).filter_by(name="Plakat")).scalar_one()
    assert (plakat.weight, plakat.scale_max, plakat.division_id) == (0.5, 5, division.id)
    edit = submit(
        web.get(f"{base}/{plakat.id}/edit"),
        name="Plakat und Modell",
        scale_max="10",
        division_id="",
    )
    assert edit.status_code == 302
    db.session.refresh(plakat)
    assert plakat.name == "Plakat und Modell" and plakat.division_id is None
    assert (
        db.session.scalar(
            db.select(db.func.count(AuditEntry.id)).filter_by(action="criterion.save")
        )
        == 3
    )


def test_rubric_is_locked_once_scores_exist_until_reset(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    _organiser(scene)
    web.login("orga@example.org")
    base = f"/c/{scene.comp.id}/org/rubric"
    first = scene.criteria[0]
    stale_index, stale_edit = web.get(base + "/"), web.get(f"{base}/{first.id}/edit")
    scoring.save_sheet(scene.judges[0], scene.projects[0], {scene.criteria[0].id: 4})
    db.session.commit()  # a judge scores while the organiser's pages are open
    index = web.get(base + "/")
    assert "die Kriterien sind gesperrt" in index.get_data(as_text=True)
    with pytest.raises(FormError):
        submit(index, action=f"{base}/{first.id}/delete")  # no longer offered
    submit(stale_edit, name="Geändert")
    submit(stale_index, action=f"{base}/{first.id}/delete")
    submit(stale_index, action=base + "/new", **_data())
    db.session.refresh(first)
    assert first.name != "Geändert"
    assert db.session.scalar(db.select(db.func.count(Criterion.id))) == len(scene.criteria)

    wrong = submit(index, confirm="ja")
    assert wrong.status_code == 422 and "Bitte genau ZURÜCKSETZEN eintippen." in wrong.get_data(
        as_text=True
    )
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 1

    assert submit(wrong, confirm="ZURÜCKSETZEN").status_code == 302
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0
    entry = db.session.execute(db.select(AuditEntry).filter_by(action="scores.reset")).scalar_one()
    assert entry.before == {"scores": 1} and entry.after == {"scores": 0}
    assert submit(web.get(f"{base}/{first.id}/edit"), name="Geändert").status_code == 302
    db.session.refresh(first)
    assert first.name == "Geändert"


def test_organiser_sees_the_audit_trail(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    scoring.save_sheet(
        scene.judges[0], scene.projects[0], {scene.criteria[0].id: 4}, user=scene.users[0]
    )
    scoring.save_sheet(
        scene.judges[0], scene.projects[0], {scene.criteria[0].id: 7}, user=scene.users[0]
    )
    _organiser(scene)
    db.session.commit()
    web.login("orga@example.org")
    html = web.get(f"/c/{scene.comp.id}/org/audit/?action=score.set").get_data(as_text=True)
    assert html.count("<td>Bewertung geändert</td>") == 2
    assert scene.criteria[0].name in html and "Projekt 1" in html
    assert f"{scene.criteria[0].name}: – " in html and f"{scene.criteria[0].name}: 4 " in html
    assert scene.users[0].name in html
