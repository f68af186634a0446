"""The chair's final decision: reasons where it differs from the scores, prizes, lock, audit."""

from compmgr.audit.models import AuditEntry
from compmgr.extensions import db
from compmgr.judging import scoring
from compmgr.results.models import Decision
from compmgr.results.services import Row, check_rows
from tests.forms import submit
from tests.judging.scene import build_scene, full_values


def _scored_scene():
    """Projects 1, 2, 3 get 80 %, 60 %, 40 % from every judge: suggested places 1, 2, 3."""
    scene = build_scene(n_projects=3, n_judges=2)
    for judge in scene.judges:
        for project, v in zip(scene.projects, (8, 6, 4), strict=True):
            scoring.save_sheet(judge, project, full_values(scene, v))
    db.session.commit()
    return scene


def _form(scene, places, prizes=(), reasons=None, qualified=(), tie=False):
    data = {}
    for project, place in zip(scene.projects, places, strict=True):
        data[f"place_{project.id}"] = str(place)
        data[f"prize_{project.id}"] = ""
        data[f"reason_{project.id}"] = (reasons or {}).get(project.id, "")
    for project, prize in prizes:
        data[f"prize_{project.id}"] = str(prize)
    for project in scene.projects:
        data[f"qualified_{project.id}"] = project in qualified
    data["tie_decided"] = tie
    return data


def test_rules_for_places_reasons_and_prize_counts():
    suggested = {1: 1, 2: 2, 3: 3}
    limits = {1: 1, 2: 1, 3: 1}
    assert check_rows([Row(1, 1), Row(2, 2), Row(3, 3)], suggested, limits) == {}
    swapped = check_rows([Row(1, 1), Row(2, 3), Row(3, 2)], suggested, limits)
    assert set(swapped) == {2, 3} and "Begründung" in swapped[2]
    assert (
        check_rows(
            [Row(1, 1), Row(2, 3, reason="Stand überzeugte"), Row(3, 2, reason="Stand überzeugte")],
            suggested,
            limits,
        )
        == {}
    )
    assert 2 in check_rows([Row(1, 1), Row(2, 1), Row(3, 3)], suggested, limits)
    two_firsts = [Row(1, 1, prize=1), Row(2, 2, prize=1), Row(3, 3)]
    assert "form" in check_rows(two_firsts, suggested, limits)
    assert set(check_rows(two_firsts, suggested, limits, tie_decided=True)) == {2}  # needs a reason
    two_firsts[1].reason = "gleich stark, Jury beschließt Gleichstand"
    assert check_rows(two_firsts, suggested, limits, tie_decided=True) == {}


def test_chair_sets_places_against_the_scores_with_a_reason_and_locks(db, web):
    scene = _scored_scene()
    p1, p2, p3 = scene.projects
    url = f"/c/{scene.comp.id}/jury/chair/{scene.jury.id}/"
    web.login(scene.users[0].email)
    chair = web.get(url)
    page = chair.get_data(as_text=True)
    assert "Fortschritt" in page and "Schätzwert" in page and "kleinste Quadrate" in page

    without = submit(chair, **_form(scene, (1, 3, 2), prizes=((p1, 1), (p3, 2), (p2, 3))))
    assert without.status_code == 422
    assert "bitte die Begründung der Jury angeben" in without.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Decision.id))) == 0

    reasons = {p2.id: "Methodische Schwächen im Gespräch", p3.id: "Herausragende Eigenständigkeit"}
    saved = submit(
        without,
        **_form(
            scene,
            (1, 3, 2),
            prizes=((p1, 1), (p3, 2), (p2, 3)),
            reasons=reasons,
            qualified=(p1, p3),
        ),
    )
    assert saved.status_code == 302
    got = {d.project_id: d for d in db.session.scalars(db.select(Decision))}
    assert (got[p3.id].place, got[p3.id].prize, got[p3.id].qualified) == (2, 2, True)
    assert got[p3.id].reason == "Herausragende Eigenständigkeit"
    assert (got[p2.id].place, got[p2.id].qualified) == (3, False)
    audit = db.session.scalars(db.select(AuditEntry).filter_by(action="decision.set")).all()
    assert len(audit) == 3 and all(a.user_id == scene.users[0].id for a in audit)
    p3_entry = next(a for a in audit if a.object_id == got[p3.id].id)
    assert (
        p3_entry.before is None
        and p3_entry.after["place"] == 2
        and p3_entry.after["suggested"] == 3
    )

    stale = web.get(url)  # e.g. open in a second tab
    locked = submit(stale, button="Jury abschließen")
    assert locked.status_code == 302
    db.session.refresh(scene.jury)
    assert scene.jury.locked_at is not None and scene.jury.locked_by_id == scene.users[0].id
    assert (
        db.session.scalar(db.select(db.func.count(AuditEntry.id)).filter_by(action="jury.lock"))
        == 1
    )

    again = submit(stale, button="Entscheidung speichern", **_form(scene, (1, 2, 3)))
    assert again.status_code == 409
    assert db.session.get(Decision, got[p3.id].id).place == 2


def test_lock_needs_places_and_only_the_chair_may_rank(db, web):
    scene = _scored_scene()
    base = f"/c/{scene.comp.id}/jury/chair/{scene.jury.id}/"
    web.login(scene.users[1].email)  # a member, not the chair
    assert web.get(base).status_code == 404
    assert web.post_raw(base + "lock").status_code == 404  # no page offers it: forged
    web.logout()
    web.login(scene.users[0].email)
    response = submit(web.get(base), button="Jury abschließen")
    assert response.status_code == 302
    db.session.refresh(scene.jury)
    assert scene.jury.locked_at is None
    assert "Bitte zuerst für alle Projekte die Plätze" in web.get(base).get_data(as_text=True)


def test_more_prizes_than_configured_only_by_explicit_tie(db, web):
    scene = _scored_scene()
    p1, p2, p3 = scene.projects
    url = f"/c/{scene.comp.id}/jury/chair/{scene.jury.id}/"
    web.login(scene.users[0].email)
    response = submit(web.get(url), **_form(scene, (1, 2, 3), prizes=((p1, 1), (p2, 1))))
    assert response.status_code == 422
    assert "Gleichstand" in response.get_data(as_text=True)
    ok = submit(
        response,
        **_form(
            scene,
            (1, 2, 3),
            prizes=((p1, 1), (p2, 1)),
            tie=True,
            reasons={p2.id: "Gleich stark, zwei 1. Preise beschlossen"},
        ),
    )
    assert ok.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Decision.id)).filter_by(prize=1)) == 2
