"""The judge's pages: only assigned, non-conflicted projects; autosave; plain form; lock."""

import re

import pytest

from compmgr.audit.models import AuditEntry
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.judging import scoring
from compmgr.judging.models import Conflict, Review, Score
from tests.factories import make_document
from tests.forms import FormError, csrf_token, submit
from tests.judging.scene import build_scene, full_values


def _scores(judge, project):
    return {
        s.criterion_id: s.value
        for s in db.session.scalars(
            db.select(Score).filter_by(judge_id=judge.id, project_id=project.id)
        )
    }


def _autosave(web, scene, project, payload, token=None):
    return web.post_raw(
        f"/c/{scene.comp.id}/jury/projects/{project.id}/autosave", json=payload, token=token
    )


def test_judge_sees_only_assigned_and_unconflicted_projects(db, web):
    scene = build_scene(n_projects=3, n_judges=1, assign_all=False)
    judge = scene.judges[0]
    p1, p2, p3 = scene.projects
    from tests.factories import assign

    assign(judge, p1)
    assign(judge, p2)
    db.session.add(
        Conflict(
            judge_id=judge.id,
            project_id=p2.id,
            source="declared",
            reason="kennt das Team",
            status="confirmed",
        )
    )
    db.session.commit()
    web.login(scene.users[0].email)
    html = web.get(f"/c/{scene.comp.id}/jury/").get_data(as_text=True)
    assert "Projekt 1" in html and "Projekt 2" not in html and "Projekt 3" not in html
    for project in (p2, p3):  # conflicted, unassigned: not by URL either
        base = f"/c/{scene.comp.id}/jury/projects/{project.id}"
        assert web.get(base + "/").status_code == 404
        assert web.get(base + "/paper").status_code == 404
        assert _autosave(web, scene, project, {"values": {}}).status_code == 404
    assert web.get(f"/c/{scene.comp.id}/jury/projects/{p1.id}/").status_code == 200


def test_dismissed_conflict_no_longer_blocks(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    db.session.add(
        Conflict(
            judge_id=scene.judges[0].id,
            project_id=scene.projects[0].id,
            source="derived",
            reason="gleicher Nachname",
            status="dismissed",
        )
    )
    db.session.commit()
    web.login(scene.users[0].email)
    assert web.get(f"/c/{scene.comp.id}/jury/projects/{scene.projects[0].id}/").status_code == 200


def test_paper_download_for_the_assigned_judge(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    make_document(scene.projects[0], "paper")
    db.session.commit()
    web.login(scene.users[0].email)
    html = web.get(f"/c/{scene.comp.id}/jury/").get_data(as_text=True)
    assert "Schriftliche Arbeit (PDF)" in html
    response = web.get(f"/c/{scene.comp.id}/jury/projects/{scene.projects[0].id}/paper")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")


def test_autosave_stores_values_is_idempotent_and_audits_each_change(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    judge, project = scene.judges[0], scene.projects[0]
    c1, c2 = scene.criteria[0], scene.criteria[1]
    web.login(scene.users[0].email)

    response = _autosave(
        web, scene, project, {"values": {str(c1.id): 7, str(c2.id): 4}, "note": "Guter Stand"}
    )
    assert response.status_code == 200, response.data
    assert response.json["ok"] and response.json["changed"] == 2
    assert _scores(judge, project) == {c1.id: 7, c2.id: 4}
    audits = db.session.scalars(db.select(AuditEntry).filter_by(action="score.set")).all()
    assert len(audits) == 2

    again = _autosave(
        web, scene, project, {"values": {str(c1.id): 7, str(c2.id): 4}, "note": "Guter Stand"}
    )
    assert again.json["changed"] == 0  # the same save twice changes nothing
    assert (
        db.session.scalar(db.select(db.func.count(AuditEntry.id)).filter_by(action="score.set"))
        == 2
    )

    partial = _autosave(web, scene, project, {"values": {str(c1.id): 9}})  # last write wins
    assert _scores(judge, project) == {c1.id: 9, c2.id: 4}
    # the answer is the whole sheet as stored, not only what this request sent
    assert partial.json["values"] == {str(c1.id): 9, str(c2.id): 4}
    assert partial.json["note"] == "Guter Stand" and partial.json["submitted"] is False
    last = db.session.scalars(
        db.select(AuditEntry).filter_by(action="score.set").order_by(AuditEntry.id.desc())
    ).first()
    assert last.before == {"value": 7}
    assert last.after["value"] == 9 and last.after["criterion_id"] == c1.id
    assert last.user_id == scene.users[0].id and last.competition_id == scene.comp.id
    assert db.session.scalar(db.select(Score.value).filter_by(criterion_id=c2.id)) == 4
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 2


def test_autosave_rejects_bad_values_and_missing_csrf(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    project, c1 = scene.projects[0], scene.criteria[0]
    web.login(scene.users[0].email)
    bad = _autosave(web, scene, project, {"values": {str(c1.id): 11}})
    assert bad.status_code == 422
    assert "0 bis 10" in bad.json["errors"][str(c1.id)]
    assert (
        _autosave(web, scene, project, {"values": {str(c1.id): 3}}, token="falsch").status_code
        == 400
    )
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0


def test_plain_form_without_javascript_saves_and_finishes(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    judge, project = scene.judges[0], scene.projects[0]
    web.login(scene.users[0].email)
    url = f"/c/{scene.comp.id}/jury/projects/{project.id}/"
    data = {f"c{c.id}": "6" for c in scene.criteria}
    response = submit(web.get(url), button="finish", note="Sehr selbstständig", **data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/jury/")
    assert _scores(judge, project) == full_values(scene, 6)
    review = db.session.execute(db.select(Review)).scalar_one()
    assert review.note == "Sehr selbstständig" and review.submitted_at is not None

    data.update({f"c{scene.criteria[0].id}": "12", "note": "Sehr selbstständig", "finish": "1"})
    failed = web.post_raw(url, data)  # forged: the page offers 0 to 10 only
    assert failed.status_code == 422
    assert "Bitte einen Wert von 0 bis 10 wählen." in failed.get_data(as_text=True)
    assert _scores(judge, project)[scene.criteria[0].id] == 6

    html = web.get(f"/c/{scene.comp.id}/jury/").get_data(as_text=True)
    assert "1 von 1 bewertet, 0 offen" in html


def test_locked_jury_blocks_every_change(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    judge, project = scene.judges[0], scene.projects[0]
    scoring.save_sheet(judge, project, {scene.criteria[0].id: 5})
    web.login(scene.users[0].email)
    url = f"/c/{scene.comp.id}/jury/projects/{project.id}/"
    stale = web.get(url)  # opened before the lock
    scene.jury.locked_at = utcnow()
    db.session.commit()
    assert (
        _autosave(web, scene, project, {"values": {str(scene.criteria[0].id): 8}}).status_code
        == 409
    )
    with pytest.raises(FormError, match="disabled"):
        submit(web.get(url), **{f"c{scene.criteria[0].id}": "8"})
    response = submit(stale, button="save", **{f"c{scene.criteria[0].id}": "8"})
    assert response.status_code == 409
    assert _scores(judge, project) == {scene.criteria[0].id: 5}
    with pytest.raises(scoring.ScoringLocked):
        scoring.save_sheet(judge, project, {scene.criteria[0].id: 8})


def test_judge_without_confidentiality_declaration_is_sent_to_the_welcome_page(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    scene.judges[0].confidentiality_accepted_at = None
    db.session.commit()
    web.login(scene.users[0].email)
    response = web.get(f"/c/{scene.comp.id}/jury/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/jury/welcome")


def test_a_cleared_value_leaves_the_sheet_and_submitting_is_answered(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    judge, project = scene.judges[0], scene.projects[0]
    c1, c2 = scene.criteria[0], scene.criteria[1]
    web.login(scene.users[0].email)
    _autosave(web, scene, project, {"values": {str(c1.id): 7, str(c2.id): 4}})
    cleared = _autosave(web, scene, project, {"values": {str(c1.id): ""}, "submit": True})
    assert cleared.json["values"] == {str(c2.id): 4} and cleared.json["changed"] == 1
    # finishing needs every criterion: the answer says so instead of a silent "finished"
    assert cleared.json["submitted"] is False and cleared.json["refused"] is True
    assert str(c1.id) in cleared.json["missing"] and str(c2.id) not in cleared.json["missing"]
    assert _scores(judge, project) == {c2.id: 4}


def test_a_finished_sheet_reopens_only_when_a_value_is_cleared_and_both_are_audited(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    project, c1 = scene.projects[0], scene.criteria[0]
    web.login(scene.users[0].email)
    all_values = {str(c.id): 6 for c in scene.criteria}
    assert _autosave(web, scene, project, {"values": all_values, "submit": True}).json["submitted"]
    # a note from a tab opened earlier leaves the finished sheet finished
    assert _autosave(web, scene, project, {"values": {}, "note": "nachgetragen"}).json["submitted"]
    reopened = _autosave(web, scene, project, {"values": {str(c1.id): ""}})
    assert reopened.json["submitted"] is False
    actions = db.session.scalars(
        db.select(AuditEntry.action)
        .where(AuditEntry.action.in_(["review.submit", "review.reopen"]))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["review.submit", "review.reopen"]


def test_a_withdrawn_project_leaves_the_judges_list_and_takes_no_scores(db, web):
    """A school may withdraw after the assignment was made: judges no longer see or score it."""
    from compmgr.registration.models import ProjectStatus

    scene = build_scene(n_projects=2, n_judges=1)
    withdrawn, kept = scene.projects
    withdrawn.status = ProjectStatus.WITHDRAWN
    db.session.commit()
    web.login(scene.users[0].email)
    html = web.get(f"/c/{scene.comp.id}/jury/").get_data(as_text=True)
    assert "Projekt 2" in html and "Projekt 1" not in html
    assert web.get(f"/c/{scene.comp.id}/jury/projects/{withdrawn.id}/").status_code == 404
    response = _autosave(web, scene, withdrawn, {"values": {str(scene.criteria[0].id): 5}})
    assert response.status_code == 404
    assert _scores(scene.judges[0], withdrawn) == {}


def test_the_save_asks_again_whether_the_judge_may_score(db):
    """The view checks before waiting for the write lock; the save checks again under it."""
    from compmgr.judging.models import Assignment

    scene = build_scene(n_projects=1, n_judges=1)
    judge, project = scene.judges[0], scene.projects[0]
    db.session.execute(db.delete(Assignment).where(Assignment.judge_id == judge.id))
    db.session.commit()  # e.g. the organiser removed the assignment meanwhile
    with pytest.raises(scoring.ScoringForbidden):
        scoring.save_sheet_once(judge, project, {scene.criteria[0].id: 5})
    assert _scores(judge, project) == {}


def test_finishing_an_incomplete_sheet_is_explained_and_loses_nothing(db, web):
    """The score page's autosave: one of six criteria filled, "Bewertung abschließen"."""
    scene = build_scene(n_projects=1, n_judges=1)
    judge, project = scene.judges[0], scene.projects[0]
    first, *rest = scene.criteria
    web.login(scene.users[0].email)
    response = _autosave(
        web, scene, project, {"values": {str(first.id): 8}, "note": "Gute Idee", "submit": True}
    )
    assert response.status_code == 200 and response.json["ok"]
    answer = response.json
    assert answer["submitted"] is False and answer["refused"] is True
    assert answer["missing"] == [str(c.id) for c in rest]
    assert answer["message"].startswith(
        f"Noch nicht abgeschlossen: {len(rest)} Kriterien haben noch keinen Wert"
    )
    assert "Zwischenstand gespeichert" in answer["message"]
    # nothing lost: the value and the note are stored, the sheet is a draft
    assert _scores(judge, project) == {first.id: 8}
    review = db.session.execute(db.select(Review)).scalar_one()
    assert review.note == "Gute Idee" and review.submitted_at is None
    html = web.get(f"/c/{scene.comp.id}/jury/").get_data(as_text=True)
    assert "0 von 1 bewertet, 1 offen" in html and f"1 von {len(scene.criteria)} Kriterien" in html

    done = _autosave(web, scene, project, {"values": {str(c.id): 5 for c in rest}, "submit": True})
    assert done.json["submitted"] is True and done.json["missing"] == []
    assert "refused" not in done.json
    assert _scores(judge, project) == {first.id: 8, **{c.id: 5 for c in rest}}
    html = web.get(f"/c/{scene.comp.id}/jury/").get_data(as_text=True)
    assert "1 von 1 bewertet, 0 offen" in html


def test_plain_form_finishing_an_incomplete_sheet_marks_the_missing_criteria(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    judge, project = scene.judges[0], scene.projects[0]
    first, *rest = scene.criteria
    web.login(scene.users[0].email)
    url = f"/c/{scene.comp.id}/jury/projects/{project.id}/"
    response = submit(
        web.get(url), button="finish", note="Messreihe fehlt", **{f"c{first.id}": "4"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"Noch nicht abgeschlossen: {len(rest)} Kriterien haben noch keinen Wert" in html
    assert html.count(">Für den Abschluss fehlt hier noch ein Wert.<") == len(rest)
    for c in rest:  # each note sits with its criterion and is linked from the summary
        assert f'id="c{c.id}-missing"' in html and f'href="#c{c.id}-box"' in html
    assert f'id="c{first.id}-missing"' not in html
    assert re.search(rf'id="c{first.id}-4" value="4"\s+checked', html)  # kept
    assert _scores(judge, project) == {first.id: 4}
    review = db.session.execute(db.select(Review)).scalar_one()
    assert review.note == "Messreihe fehlt" and review.submitted_at is None

    data = {f"c{c.id}": "6" for c in scene.criteria}
    finished = submit(response, button="finish", **data)
    assert finished.status_code == 302 and finished.headers["Location"].endswith("/jury/")
    db.session.refresh(review)
    assert review.submitted_at is not None


def test_a_finished_sheet_is_complete_and_clearing_a_value_opens_it_again(db):
    scene = build_scene(n_projects=1, n_judges=1)
    judge, project = scene.judges[0], scene.projects[0]
    saved = scoring.save_sheet(judge, project, full_values(scene, 7), submit=True)
    assert saved.submitted and not saved.refused and saved.missing == []
    cleared = scoring.save_sheet(judge, project, {scene.criteria[2].id: None})
    assert not cleared.submitted and cleared.missing == [scene.criteria[2].id]
    assert db.session.execute(db.select(Review)).scalar_one().submitted_at is None
    assert scoring.progress(judge, [project])[project.id] == (
        len(scene.criteria) - 1,
        len(scene.criteria),
        False,
    )


def test_a_complete_sheet_not_yet_finished_does_not_count_as_done(db, web):
    scene = build_scene(n_projects=2, n_judges=1)
    scoring.save_sheet(scene.judges[0], scene.projects[0], full_values(scene, 7))
    db.session.commit()
    web.login(scene.users[0].email)
    html = web.get(f"/c/{scene.comp.id}/jury/").get_data(as_text=True)
    assert "0 von 2 bewertet, 2 offen" in html and "vollständig, noch nicht abgeschlossen" in html


def test_an_autosave_takes_a_handful_of_statements(db, web):
    """User, grants, competition and judge in one statement; the sheet with its permission and
    lock; the rubric with the scores; then one write and one audit entry per changed value."""
    from sqlalchemy import event

    scene = build_scene(n_projects=1, n_judges=1)
    url = f"/c/{scene.comp.id}/jury/projects/{scene.projects[0].id}/autosave"
    key = str(scene.criteria[0].id)
    web.login(scene.users[0].email)
    token = csrf_token(web.client)
    assert web.post_raw(url, json={"values": {key: 3}}, token=token).status_code == 200
    seen = []

    def count(conn, cursor, statement, *args):
        if not statement.startswith(("BEGIN", "PRAGMA")):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        # SQLite ends the read transaction before the write (begin_writes): the judge is read
        # again under the write lock, and the user too when an audit entry names them
        sqlite = db.engine.dialect.name == "sqlite"
        for value, expected in ((4, 7 if sqlite else 5), (4, 4 if sqlite else 3)):
            seen.clear()  # a change, then the same value again
            response = web.post_raw(url, json={"values": {key: value}}, token=token)
            assert response.status_code == 200, response.data
            assert len(seen) == expected, "\n".join(s[:70] for s in seen)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_a_score_outside_the_rubric_stays_in_the_answer(db, web):
    """A value kept from before the project's division changed is part of the sheet as stored."""
    from compmgr.judging.models import Criterion

    scene = build_scene(n_projects=1, n_judges=1)
    judge, project, c1 = scene.judges[0], scene.projects[0], scene.criteria[0]
    other = next(d for d in scene.comp.divisions if d.id != project.division_id)
    foreign = Criterion(
        competition_id=scene.comp.id, division_id=other.id, group="G", name="Fremd", position=99
    )
    db.session.add(foreign)
    db.session.flush()
    db.session.add(
        Score(judge_id=judge.id, project_id=project.id, criterion_id=foreign.id, value=2)
    )
    db.session.commit()
    web.login(scene.users[0].email)
    answer = _autosave(web, scene, project, {"values": {str(c1.id): 5}}).json
    assert answer["values"] == {str(foreign.id): 2, str(c1.id): 5}
    assert str(foreign.id) not in answer["missing"]
    assert answer["missing"] == [str(c.id) for c in scene.criteria[1:]]
    refused = _autosave(web, scene, project, {"values": {str(foreign.id): 3}})
    assert refused.status_code == 422 and _scores(judge, project)[foreign.id] == 2
