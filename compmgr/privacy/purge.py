"""Retention: purge the personal data of finished competitions, keeping statistics and results.

What stays after a purge: the competition with its Fachgebiete, Sparten and schools (these are
institutions, not persons), anonymised counts per Fachgebiet, Sparte and school for the year,
and the published prize winners: their project title, and the names of members whose
publication consent is in force (a member without it stays as an anonymous place holder, so
"Lena Weiß und 1 weitere Person" still reads right). Everything else about persons goes:
other participants and projects, birth dates, contact data, papers and forms (also the files),
judges with their scores and notes, the audit trail, consents other than the publication
consent in force, and the school and judge accounts' roles in this competition.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from compmgr import storage
from compmgr.audit.models import AuditEntry
from compmgr.auth.models import Role, RoleGrant
from compmgr.competitions.models import Competition, Division, Subject
from compmgr.dates import show_date
from compmgr.dates import today as berlin_today
from compmgr.extensions import db
from compmgr.judging.models import Judge, Jury
from compmgr.registration.models import (
    ConsentKind,
    Document,
    Participant,
    Project,
    ProjectMember,
    School,
)
from compmgr.results.models import Decision, SpecialPrizeAward
from compmgr.statistics import figures
from compmgr.statistics.models import CompetitionStatistics

ANONYMISED_BIRTH_DATE = date(1900, 1, 1)  # birth_date is required; this marks "removed"


class PurgeRefused(Exception):
    """The competition may not be purged (yet); the message says why."""


@dataclass
class PurgeReport:
    """What a purge removes and keeps; a dry run fills it without changing anything."""

    competition_id: int
    dry_run: bool
    participants_deleted: int = 0
    participants_anonymised: int = 0
    participants_named: int = 0  # published winners with consent: name kept, rest removed
    projects_deleted: int = 0
    projects_kept: int = 0
    files_deleted: int = 0
    judges_deleted: int = 0
    consents_deleted: int = 0
    audit_entries_deleted: int = 0
    grants_removed: int = 0
    stored_names: list = field(default_factory=list, repr=False)

    def as_rows(self):
        return [
            (_("Teilnehmende gelöscht"), self.participants_deleted),
            (_("Teilnehmende anonymisiert"), self.participants_anonymised),
            (_("Preisträger(innen) mit Namen (Einwilligung)"), self.participants_named),
            (_("Projekte gelöscht"), self.projects_deleted),
            (_("Projekte mit veröffentlichtem Ergebnis behalten"), self.projects_kept),
            (_("Dateien gelöscht"), self.files_deleted),
            (_("Jurorinnen und Juroren gelöscht"), self.judges_deleted),
            (_("Einwilligungen gelöscht"), self.consents_deleted),
            (_("Protokolleinträge gelöscht"), self.audit_entries_deleted),
            (_("Zugänge (Schule/Jury) entfernt"), self.grants_removed),
        ]


def due(competition, today):
    """Tell whether competition is finished and past its retention date."""
    return (
        competition.retention_until is not None
        and competition.retention_until < today
        and competition.status_at_least("published")
    )


def refusal(competition, today):
    """Return why competition may not be purged on today, or None."""
    if competition.retention_until is None:
        return _("Für diesen Wettbewerb ist kein Löschdatum eingetragen.")
    if competition.retention_until >= today:
        return _(
            "Das Löschdatum (%(day)s) ist noch nicht erreicht.",
            day=show_date(competition.retention_until),
        )
    if not competition.status_at_least("published"):
        return _("Der Wettbewerb ist noch nicht abgeschlossen (Ergebnisse nicht veröffentlicht).")
    return None


def is_purged(competition):
    """Tell whether the competition's personal data has been purged."""
    return (
        db.session.scalar(
            db.select(CompetitionStatistics.purged_at).filter_by(competition_id=competition.id)
        )
        is not None
    )


def _projects(competition):
    return db.session.scalars(db.select(Project).filter_by(competition_id=competition.id)).all()


def statistics(competition):
    """Return the anonymous figures of competition (stored ones once it is purged)."""
    return figures.snapshot(competition)


def statistics_of(competitions):
    """Return {competition id: statistics} for many competitions with aggregate queries.

    Seven statements whatever the number of competitions and projects: the stored figures of
    purged competitions, the totals, and projects and participants per Fachgebiet, Sparte and
    school, each counted by the database (GROUP BY, COUNT DISTINCT).
    """
    ids = [c.id for c in competitions]
    if not ids:
        return {}
    stored = {
        s.competition_id: s.data
        for s in db.session.scalars(
            db.select(CompetitionStatistics).where(
                CompetitionStatistics.competition_id.in_(ids),
                CompetitionStatistics.purged_at.is_not(None),
            )
        )
    }
    live = [i for i in ids if i not in stored]
    result = {
        c.id: {"year": c.round_year, "projects": 0, "participants": 0}
        | {name: {} for name in GROUPS}
        for c in competitions
        if c.id in live
    }
    if live:
        counted = db.and_(Project.competition_id.in_(live), Project.takes_part)
        members = db.outerjoin(Project, ProjectMember, ProjectMember.project_id == Project.id)
        projects_n = db.func.count(db.distinct(Project.id))
        people_n = db.func.count(db.distinct(ProjectMember.participant_id))
        for cid, n_projects, n_people in db.session.execute(
            db.select(Project.competition_id, projects_n, people_n)
            .select_from(members)
            .where(counted)
            .group_by(Project.competition_id)
        ):
            result[cid].update(projects=n_projects, participants=n_people)
        for name, (label, joined, keys) in GROUPS.items():
            counts = {}
            for cid, *key, n_projects, n_people in db.session.execute(
                db.select(Project.competition_id, *keys, projects_n, people_n)
                .select_from(joined(members))
                .where(counted)
                .group_by(Project.competition_id, *keys)
            ):
                counts.setdefault(cid, {})
                people = counts[cid].setdefault(label(*key), [0, 0])
                people[0] += n_projects
                people[1] += n_people
            for cid, rows in counts.items():
                result[cid][name] = {
                    k: {"projects": rows[k][0], "participants": rows[k][1]} for k in sorted(rows)
                }
    return result | stored


def _school_label(name, city):
    return f"{name}, {city}" if city else name


# The groups of the statistics: (label from the key columns, join onto projects, key columns).
GROUPS = {
    "by_subject": (
        lambda name: name,
        lambda q: q.join(Subject, Subject.id == Project.subject_id),
        (Subject.name,),
    ),
    "by_division": (
        lambda name: name if name is not None else "–",
        lambda q: q.outerjoin(Division, Division.id == Project.division_id),
        (Division.name,),
    ),
    "by_school": (
        lambda _id, name, city: _school_label(name, city),
        lambda q: q.join(School, School.id == Project.school_id),
        (School.id, School.name, School.city),
    ),
}


def published_project_ids(competition):
    """Return the ids of projects whose prize, qualification or Sonderpreis was published."""
    if competition.results_published_at is None:
        return set()
    decided = db.session.scalars(
        db.select(Decision.project_id)
        .join(Jury, Decision.jury_id == Jury.id)
        .where(Jury.competition_id == competition.id, Jury.locked_at.is_not(None))
        .where((Decision.prize.is_not(None)) | Decision.qualified)
    ).all()
    special = db.session.scalars(
        db.select(SpecialPrizeAward.project_id)
        .join(Project)
        .where(Project.competition_id == competition.id)
    ).all()
    return set(decided) | set(special)


def purge(competition, dry_run=False, today=None):
    """Purge one competition's personal data (or, with dry_run, only count what would go).

    Raises PurgeRefused when the competition is not finished or not past retention_until.
    The caller commits and then deletes ``report.stored_names`` from storage.
    """
    reason = refusal(competition, today or berlin_today())
    if reason:
        raise PurgeRefused(reason)
    report = PurgeReport(competition_id=competition.id, dry_run=dry_run)
    keep_ids = published_project_ids(competition)
    projects = _projects(competition)
    kept = [p for p in projects if p.id in keep_ids]
    dropped = [p for p in projects if p.id not in keep_ids]
    kept_people = {m.participant_id for p in kept for m in p.members}
    people = db.session.scalars(
        db.select(Participant).filter_by(competition_id=competition.id)
    ).all()
    docs = db.session.scalars(
        db.select(Document).join(Project).where(Project.competition_id == competition.id)
    ).all()
    judges = db.session.scalars(db.select(Judge).filter_by(competition_id=competition.id)).all()
    audit = db.session.scalars(db.select(AuditEntry).filter_by(competition_id=competition.id)).all()
    grants = db.session.scalars(
        db.select(RoleGrant).where(
            RoleGrant.competition_id == competition.id,
            RoleGrant.role.in_([Role.SCHOOL.value, Role.JUDGE.value]),
        )
    ).all()

    report.projects_kept, report.projects_deleted = len(kept), len(dropped)
    report.files_deleted = len(docs)
    report.stored_names = [d.stored_name for d in docs]
    report.judges_deleted, report.audit_entries_deleted = len(judges), len(audit)
    report.grants_removed = len(grants)
    stay = {}
    for person in people:
        if person.id not in kept_people:
            report.participants_deleted += 1
            report.consents_deleted += len(person.consents)
            continue
        named = person.has_consent(ConsentKind.PUBLICATION)
        if named:
            report.participants_named += 1
        else:
            report.participants_anonymised += 1
        record = person.consent(ConsentKind.PUBLICATION)
        stay[person.id] = (person, named, record)
        report.consents_deleted += len(person.consents) - (1 if record else 0)
    if dry_run:
        return report

    figures.store(competition)
    for obj in [*docs, *dropped, *judges, *audit, *grants]:
        db.session.delete(obj)
    db.session.flush()
    for person in people:
        if person.id not in stay:
            db.session.delete(person)
    for person, named, record in stay.values():
        _strip(person, named)
        person.consents = [record] if record else []
    for project in kept:
        for name in (
            "abstract",
            "supervisor_name",
            "supervisor_email",
            "needs_notes",
            "remote_link",
            "status_reason",
            "promoted_reason",
        ):
            setattr(project, name, "")
    db.session.flush()
    return report


def _strip(person, named):
    """Remove everything but the (consented) name from a kept participant."""
    if not named:
        person.first_name, person.last_name = "anonym", f"#{person.id}"
    person.birth_date = ANONYMISED_BIRTH_DATE
    person.email = person.phone = person.gender = ""


def due_competitions(today):
    """Return every competition that is finished and past its retention date."""
    rows = db.session.scalars(
        db.select(Competition).where(
            Competition.retention_until.is_not(None), Competition.retention_until < today
        )
    ).all()
    return [c for c in rows if due(c, today)]


def remove_files(stored_names):
    """Delete the files of purged documents once the purge is committed."""
    for name in stored_names:
        storage.delete(name)
