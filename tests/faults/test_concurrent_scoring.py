"""Ten judges save at once through the autosave endpoint: every acknowledged value is stored once.

The suite's small version of bench/load.py: threads instead of gunicorn workers, the same
endpoint, the same check of the database against the last value each judge got acknowledged.
"""

import random
import threading

import pytest

from compmgr.audit.models import AuditEntry
from compmgr.judging.models import Score
from tests.judging.scene import build_scene

JUDGES, ROUNDS, PROJECTS = 10, 2, 2


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}  # about concurrency; CSRF has its own tests


def test_ten_judges_save_at_once_and_every_last_value_is_stored_once(app, db):
    scene = build_scene(n_projects=PROJECTS, n_judges=JUDGES)
    cid = scene.comp.id
    criteria = [c.id for c in scene.criteria][:6]
    projects = [p.id for p in scene.projects]
    from compmgr.auth.sessions import open_session

    users = [
        ((u.get_id(), open_session(u)), j.id)
        for u, j in zip(scene.users, scene.judges, strict=True)
    ]
    db.session.commit()
    last = {}
    errors, acknowledged = [], []
    lock = threading.Lock()

    def judge(n, user_id, judge_id):
        rng = random.Random(n)
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"], sess["sid"] = user_id
        for _round in range(ROUNDS):
            for project_id in rng.sample(projects, len(projects)):
                sheet = {}
                for criterion_id in criteria:
                    sheet[str(criterion_id)] = rng.randint(0, 10)
                    response = client.post(
                        f"/c/{cid}/jury/projects/{project_id}/autosave", json={"values": sheet}
                    )
                    body = response.get_json(silent=True) or {}
                    with lock:
                        if response.status_code == 200 and body.get("ok"):
                            acknowledged.append(1)
                            for key, value in sheet.items():
                                last[(judge_id, project_id, int(key))] = value
                            assert body["values"][str(criterion_id)] == sheet[str(criterion_id)]
                        else:
                            errors.append(
                                (response.status_code, response.get_data(as_text=True)[:200])
                            )

    threads = [
        threading.Thread(target=judge, args=(n, uid, jid)) for n, (uid, jid) in enumerate(users)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(acknowledged) == JUDGES * ROUNDS * len(projects) * len(criteria)
    db.session.rollback()
    rows = db.session.execute(
        db.select(Score.judge_id, Score.project_id, Score.criterion_id, Score.value)
    ).all()
    stored = {(j, p, c): v for j, p, c, v in rows}
    assert len(rows) == len(stored), "a score is stored twice"
    assert stored == last, "a stored value differs from the last acknowledged one"
    changes = db.session.scalar(
        db.select(db.func.count(AuditEntry.id)).filter_by(action="score.set")
    )
    assert changes >= len(
        stored
    )  # every change is in the audit trail, written in the same transaction
