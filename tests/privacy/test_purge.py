"""Retention purge: dry run, counts before and after, statistics and results kept."""

from datetime import date

import pytest

from compmgr import storage
from compmgr.audit.models import AuditEntry
from compmgr.auth.models import RoleGrant
from compmgr.judging.models import Judge
from compmgr.privacy import purge
from compmgr.privacy.models import CompetitionStatistics
from compmgr.registration.models import ConsentRecord, Document, Participant, Project
from tests.factories import UserFactory
from tests.forms import submit
from tests.privacy.scene import published_competition

TODAY = date(2026, 6, 1)


def counts(db, cid):
    def n(model, *where):
        return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))

    return {
        "participants": n(Participant, Participant.competition_id == cid),
        "projects": n(Project, Project.competition_id == cid),
        "documents": n(Document),
        "judges": n(Judge, Judge.competition_id == cid),
        "consents": n(ConsentRecord),
        "audit": n(AuditEntry, AuditEntry.competition_id == cid),
        "grants": n(RoleGrant, RoleGrant.competition_id == cid),
    }


def test_dry_run_reports_and_changes_nothing(db):
    s = published_competition()
    before = counts(db, s.comp.id)
    report = purge.purge(s.comp, dry_run=True, today=TODAY)
    db.session.rollback()
    assert counts(db, s.comp.id) == before
    assert (
        report.participants_deleted,
        report.participants_anonymised,
        report.participants_named,
    ) == (1, 2, 1)  # Anna goes; Jörg, Ömer anonymous; Lena named
    assert (report.projects_deleted, report.projects_kept, report.files_deleted) == (1, 2, 2)
    assert report.judges_deleted == 1 and report.audit_entries_deleted == 1


def test_purge_counts_before_and_after(db):
    s = published_competition()
    files = [d.stored_name for d in db.session.scalars(db.select(Document))]
    assert all(storage.exists(f) for f in files)
    before = counts(db, s.comp.id)
    assert before == {
        "participants": 4,
        "projects": 3,
        "documents": 2,
        "judges": 1,
        "consents": 11,
        "audit": 1,
        "grants": 3,
    }
    report = purge.purge(s.comp, today=TODAY)
    db.session.commit()
    purge.remove_files(report.stored_names)
    after = counts(db, s.comp.id)
    # kept: Lena (named), Jörg and Ömer (anonymous); only the publication records in force stay
    # (Lena: yes, Jörg: no; Ömer never had one)
    assert after == {
        "participants": 3,
        "projects": 2,
        "documents": 0,
        "judges": 0,
        "consents": 2,
        "audit": 0,
        "grants": 1,
    }  # the organiser keeps access
    assert not any(storage.exists(f) for f in files)
    people = db.session.scalars(db.select(Participant).order_by(Participant.id)).all()
    assert all(p.email == "" and p.phone == "" and p.birth_date == date(1900, 1, 1) for p in people)
    assert all(p.gender == "" for p in people)  # counted in the kept figures, gone per person
    names = {p.full_name for p in people}
    assert "Lena Weiß" in names and not names & {"Jörg Groß", "Ömer Öztürk", "Anna Schäfer"}
    winner = db.session.get(Project, s.winner.id)
    assert winner.supervisor_name == "" and winner.supervisor_email == ""


def test_statistics_survive_the_purge(db):
    s = published_competition()
    purge.purge(s.comp, today=TODAY)
    db.session.commit()
    stats = db.session.execute(db.select(CompetitionStatistics)).scalar_one()
    assert stats.purged_at is not None
    data = stats.data
    assert data["year"] == 2019 and data["projects"] == 3 and data["participants"] == 4
    assert data["by_subject"]["Biologie"] == {"projects": 2, "participants": 3}
    assert data["by_subject"]["Chemie"] == {"projects": 1, "participants": 1}
    assert data["by_school"]["Gesamtschule Süd, Zittau"] == {"projects": 2, "participants": 2}
    assert sum(v["projects"] for v in data["by_division"].values()) == 3
    assert purge.statistics(s.comp) == data  # later reads use the stored figures


def test_published_results_stay_readable_after_the_purge(client, db):
    s = published_competition()
    purge.purge(s.comp, today=TODAY)
    db.session.commit()
    html = client.get(f"/c/{s.comp.id}/results").get_data(as_text=True)
    assert "Lena Weiß und 1 weitere Person" in html
    assert "Mikroplastik in der Neiße" in html and "Bienen im Stadtpark" in html
    assert "Teilnehmerin/Teilnehmer der Schule „Gesamtschule Süd“" in html
    assert "anonym" not in html


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"retention_until": None}, "kein Löschdatum"),
        ({"retention_until": date(2030, 1, 1)}, "noch nicht erreicht"),
        ({"published": False}, "noch nicht abgeschlossen"),
    ],
)
def test_purge_refuses_before_time(db, fields, message):
    s = published_competition(**fields)
    with pytest.raises(purge.PurgeRefused, match=message):
        purge.purge(s.comp, today=TODAY)


def test_cli_dry_run_then_purge(runner, db):
    s = published_competition()
    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Probelauf" in result.output and "Teilnehmende gelöscht" in result.output
    assert counts(db, s.comp.id)["participants"] == 4
    result = runner.invoke(args=["purge", "--competition", str(s.comp.id)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert counts(db, s.comp.id)["participants"] == 3
    again = runner.invoke(args=["purge", "--competition", "999"])
    assert (
        again.exit_code == 1
        and "Fehler: Einen Wettbewerb mit der ID 999 gibt es nicht." in again.output
    )


def test_cli_skips_competitions_not_due(runner, db):
    published_competition(retention_until=date(2999, 1, 1))
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "Kein Wettbewerb" in result.output


def test_admin_sees_the_dry_run_and_purges_with_the_button(login_as, db):
    s = published_competition()
    admin = UserFactory(email="admin@example.org", is_admin=True)
    web = login_as(admin)
    page = web.get("/admin/privacy").get_data(as_text=True)
    assert "Probelauf" in page and "Jetzt endgültig löschen" in page
    assert counts(db, s.comp.id)["participants"] == 4
    response = submit(web.get("/admin/privacy"), action=f"/admin/privacy/{s.comp.id}/purge")
    assert response.status_code == 302
    assert counts(db, s.comp.id)["participants"] == 3


def test_organiser_cannot_purge(login_as, db):
    s = published_competition()
    web = login_as(s.org)
    assert web.post_raw(f"/admin/privacy/{s.comp.id}/purge").status_code == 403  # no page offers it
    assert counts(db, s.comp.id)["participants"] == 4
