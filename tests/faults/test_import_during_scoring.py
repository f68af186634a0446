"""Judges' autosaves go through while the organiser imports 5,000 registrations.

The import reads and checks the file without any lock and takes the write lock only for its
bulk statements. Judges save through the autosave endpoint during the whole import; one save
is sent the moment the import starts writing (the write is held a little longer here, so the
save surely arrives while it holds the lock; on SQLite it waits for it). Every save must be
acknowledged and stored.
"""

import io
import threading
import time

import pytest

from bench.imports import registration_rows, to_csv
from compmgr.auth.models import Role
from compmgr.judging.models import Score
from compmgr.registration import import_write
from compmgr.registration.models import Participant
from tests.conftest import sign_in
from tests.factories import UserFactory, grant
from tests.judging.scene import build_scene

ROWS = 5000


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}  # about concurrency; CSRF has its own tests


def test_autosaves_made_while_an_import_writes_are_saved(app, db, monkeypatch):
    scene = build_scene(n_projects=2, n_judges=3)
    organiser = grant(UserFactory(email="orga@example.org"), scene.comp, Role.ORGANISER)
    db.session.commit()
    cid, criterion = scene.comp.id, scene.criteria[0].id
    projects = [p.id for p in scene.projects]
    data = to_csv(registration_rows(ROWS))
    writing, written, stop = threading.Event(), threading.Event(), threading.Event()
    real_write = import_write.write

    def held_write(competition, plan):
        writing.set()
        time.sleep(0.5)  # hold the write lock long enough for the judge's save to wait on it
        real_write(competition, plan)
        written.set()

    monkeypatch.setattr(import_write, "write", held_write)
    saves, failures, last = [], [], {}

    def client_of(user):
        """A client logged in with a server-side session, opened here in the test's thread."""
        client = app.test_client()
        with client.session_transaction() as sess:
            sign_in(sess, user)
        return client

    def save(client, judge_id, value, project):
        while_writing = writing.is_set() and not written.is_set()
        response = client.post(
            f"/c/{cid}/jury/projects/{project}/autosave", json={"values": {str(criterion): value}}
        )
        body = response.get_json(silent=True) or {}
        if response.status_code == 200 and body.get("ok"):
            saves.append((judge_id, while_writing))
            last[(judge_id, project)] = value
        else:
            failures.append((response.status_code, response.get_data(as_text=True)[:200]))

    def judge(n, client, judge_id):
        k = 0
        if n == 0:  # this judge saves the moment the import starts writing
            writing.wait(60)
            save(client, judge_id, 10, projects[0])
            return
        while not stop.is_set():
            k += 1
            save(client, judge_id, k % 11, projects[k % 2])

    threads = [
        threading.Thread(target=judge, args=(n, client_of(u), j.id))
        for n, (u, j) in enumerate(zip(scene.users, scene.judges, strict=True))
    ]
    organiser_client = client_of(organiser)
    for t in threads:
        t.start()
    judge_during_write = scene.judges[0].id
    response = organiser_client.post(
        f"/c/{cid}/org/entries/import",
        data={"file": (io.BytesIO(data), "anmeldungen.csv")},
        content_type="multipart/form-data",
    )
    stop.set()
    for t in threads:
        t.join()
    assert response.status_code == 200 and "Import abgeschlossen" in response.get_data(as_text=True)
    assert failures == []
    assert (judge_during_write, True) in saves  # sent while the import wrote, and acknowledged
    assert len(saves) > 3
    db.session.rollback()
    stored = {
        (s.judge_id, s.project_id): s.value
        for s in db.session.scalars(db.select(Score).filter_by(criterion_id=criterion))
    }
    assert stored == last
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == ROWS + 2
