"""Pages that only read but log the access never fail because another write commits meanwhile.

On SQLite a read transaction cannot turn into a write once another writer has committed since
it began: the access-log entry of an export used to fail with "database is locked" (a 503)
whenever a prize was saved at the same moment. Threads request exports, certificates and the
school dashboard while other threads save special prizes through the real views. That no GET
writes from its read transaction is checked on every demo page by ``tests/test_demo_crawl.py``.
"""

import threading

import pytest

from compmgr.audit.models import AccessLogEntry
from compmgr.auth.models import Role
from compmgr.results.models import SpecialPrize
from tests.conftest import sign_in
from tests.factories import UserFactory, grant
from tests.results.helpers import judged_competition

READERS, READS, SAVERS = 4, 10, 2


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}  # about concurrency; CSRF has its own tests


def test_reads_that_log_never_fail_during_concurrent_prize_saves(app, db):
    w = judged_competition()
    teacher = grant(UserFactory(email="schule@example.org"), w.comp, Role.SCHOOL, w.lena.school)
    prize = SpecialPrize(competition_id=w.comp.id, name="Sonderpreis Umwelt")
    db.session.add(prize)
    db.session.commit()
    cid, prize_id = w.comp.id, prize.id
    pages = [  # (user, url) of every kind of GET that writes the access log
        (w.org, f"/c/{cid}/org/entries/export?table=participants&format=csv"),
        (w.org, f"/c/{cid}/org/entries/export?table=projects&format=xlsx"),
        (w.org, f"/c/{cid}/print/participants/{w.lena.id}/certificate.pdf"),
        (w.org, f"/c/{cid}/org/entries/projects/{w.winner.id}"),
        (teacher, f"/c/{cid}/school/"),
    ]

    def client_of(user):
        """A client logged in with a server-side session, opened here in the test's thread."""
        client = app.test_client()
        with client.session_transaction() as sess:
            sign_in(sess, user)
        return client

    pages = [(user.id, url) for user, url in pages]  # ids read here: threads have no app context
    reader_clients = [{u.id: client_of(u) for u in (w.org, teacher)} for _n in range(READERS)]
    saver_clients = [client_of(w.org) for _n in range(SAVERS)]
    failures, reads, saves = [], [], []
    done = threading.Event()

    def reader(n):
        for k in range(READS):
            user_id, url = pages[(n + k) % len(pages)]
            response = reader_clients[n][user_id].get(url)
            (reads if response.status_code == 200 else failures).append((url, response.status_code))

    def saver(n):
        client, k = saver_clients[n], 0
        while not done.is_set():
            k += 1
            response = client.post(
                f"/c/{cid}/org/prizes/{prize_id}",
                data={
                    "name": f"Sonderpreis Umwelt {n}.{k}",
                    "sponsor": "Stadtwerke Görlitz",
                    "amount": "150 €",
                },
            )
            (saves if response.status_code == 302 else failures).append(
                ("prize", response.status_code)
            )

    savers = [threading.Thread(target=saver, args=(n,)) for n in range(SAVERS)]
    readers = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    for t in savers + readers:
        t.start()
    for t in readers:
        t.join()
    done.set()
    for t in savers:
        t.join()
    assert failures == []
    assert len(reads) == READERS * READS and saves
    db.session.rollback()
    logged = db.session.scalar(db.select(db.func.count(AccessLogEntry.id)))
    assert logged == len(reads)  # every page that showed personal data is in the access log
