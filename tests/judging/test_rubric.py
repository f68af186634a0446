"""The rubric editor: per division, validated, locked once scores exist, reset audited."""

from compmgr.audit.models import AuditEntry
from compmgr.auth.models import Role
from compmgr.extensions import db
from compmgr.judging import scoring
from compmgr.judging.models import Criterion, Score
from tests.factories import UserFactory, grant
from tests.judging.scene import build_scene


def _organiser(scene):
    user = grant(UserFactory(email="orga@example.org"), scene.comp, Role.ORGANISER)
    db.session.commit()
    return user


def _data(**overrides):
    data = {"group": "Präsentation/Stand", "name": "Plakat", "description": "Übersichtlich?",
            "weight": "0.5", "scale_min": "0", "scale_max": "5", "division_id": ""}
    data.update(overrides)
    return data


def test_default_rubric_has_the_five_groups(db):
    scene = build_scene(n_projects=1, n_judges=1)
    groups = {c.group for c in scene.criteria}
    assert groups == {"Problemstellung", "Methode/Durchführung", "Ergebnisse/Diskussion",
                      "Präsentation/Stand", "Eigenständigkeit"}


def test_organiser_adds_a_division_criterion_and_the_judge_sees_it(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    _organiser(scene)
    web.login("orga@example.org")
    base = f"/c/{scene.comp.id}/org/rubric"
    bad = web.post(base + "/new", _data(scale_min="5", scale_max="5"))
    assert bad.status_code == 422
    assert "Der größte Wert muss über dem kleinsten liegen." in bad.get_data(as_text=True)
    division = scene.projects[0].division
    other = next(d for d in scene.comp.divisions if d.id != division.id)
    assert web.post(base + "/new", _data(division_id=str(division.id))).status_code == 302
    assert web.post(base + "/new", _data(name="Nur die andere Sparte",
                                         division_id=str(other.id))).status_code == 302
    names = [c.name for c in scoring.criteria_for(scene.comp.id, division.id)]
    assert "Plakat" in names and "Nur die andere Sparte" not in names
    plakat = db.session.execute(db.select(Criterion).filter_by(name="Plakat")).scalar_one()
    assert (plakat.weight, plakat.scale_max, plakat.division_id) == (0.5, 5, division.id)
    edit = web.post(f"{base}/{plakat.id}/edit", _data(name="Plakat und Modell", scale_max="10"))
    assert edit.status_code == 302
    db.session.refresh(plakat)
    assert plakat.name == "Plakat und Modell" and plakat.division_id is None
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))
                             .filter_by(action="criterion.save")) == 3


def test_rubric_is_locked_once_scores_exist_until_reset(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    scoring.save_sheet(scene.judges[0], scene.projects[0], {scene.criteria[0].id: 4})
    _organiser(scene)
    db.session.commit()
    web.login("orga@example.org")
    base = f"/c/{scene.comp.id}/org/rubric"
    first = scene.criteria[0]
    assert "die Kriterien sind gesperrt" in web.get(base + "/").get_data(as_text=True)
    web.post(f"{base}/{first.id}/edit", _data(name="Geändert"))
    web.post(f"{base}/{first.id}/delete")
    web.post(base + "/new", _data())
    db.session.refresh(first)
    assert first.name != "Geändert"
    assert db.session.scalar(db.select(db.func.count(Criterion.id))) == len(scene.criteria)

    wrong = web.post(base + "/reset-scores", {"confirm": "ja"})
    assert wrong.status_code == 422 and "Bitte genau ZURÜCKSETZEN eintippen." in wrong.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 1

    assert web.post(base + "/reset-scores", {"confirm": "ZURÜCKSETZEN"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0
    entry = db.session.execute(db.select(AuditEntry).filter_by(action="scores.reset")).scalar_one()
    assert entry.before == {"scores": 1} and entry.after == {"scores": 0}
    assert web.post(f"{base}/{first.id}/edit", _data(name="Geändert")).status_code == 302
    db.session.refresh(first)
    assert first.name == "Geändert"


def test_organiser_sees_the_audit_trail(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    scoring.save_sheet(scene.judges[0], scene.projects[0], {scene.criteria[0].id: 4},
                       user=scene.users[0])
    scoring.save_sheet(scene.judges[0], scene.projects[0], {scene.criteria[0].id: 7},
                       user=scene.users[0])
    _organiser(scene)
    db.session.commit()
    web.login("orga@example.org")
    html = web.get(f"/c/{scene.comp.id}/org/audit/?action=score.set").get_data(as_text=True)
    assert html.count("<td>Bewertung geändert</td>") == 2
    assert scene.criteria[0].name in html and "Projekt 1" in html
    assert f"{scene.criteria[0].name}: – " in html and f"{scene.criteria[0].name}: 4 " in html
    assert scene.users[0].name in html
