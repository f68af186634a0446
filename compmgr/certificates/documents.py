"""Gather the plain data of the other print documents: score sheets, stand signs, lists."""

from dataclasses import dataclass, field

from compmgr.certificates import services
from compmgr.extensions import db
from compmgr.judging.models import Assignment, Criterion, Judge, JuryMember, judge_options
from compmgr.results.publishing import public_names
from compmgr.sorting import by_name, sort_text, stand_key


@dataclass
class ProjectRow:
    stand: str
    title: str
    names: list
    school: str
    subject: str
    division: str
    division_id: int | None = None
    people: list = field(default_factory=list)  # (full name, last name, first name)
    public_names: str = ""  # the team as public outputs name it (publication consent)


@dataclass
class ScoreSheet:
    judge: str
    affiliation: str
    juries: str
    projects: list = field(default_factory=list)
    criteria: dict = field(default_factory=dict)  # division_id → [(group, name, scale)]


def _row(project):
    return ProjectRow(
        stand=project.stand or "",
        title=project.title,
        names=[p.full_name for p in project.participants],
        school=project.school.label,
        subject=project.subject.name,
        division=project.division.name if project.division else "",
        division_id=project.division_id,
        people=[(p.full_name, p.last_name, p.first_name) for p in project.participants],
        public_names=public_names(project),
    )


def project_rows(competition, order="stand", school_id=None, subject_id=None, jury=None):
    """Return the projects that take part as printable rows, by stand or by school."""
    projects = db.session.scalars(
        services.projects_query(competition.id, school_id, subject_id, jury, consents=True)
    ).all()
    rows = [_row(p) for p in projects]
    if order == "stand":
        rows.sort(key=lambda r: (stand_key(r.stand), sort_text(r.title)))
    else:
        rows.sort(key=lambda r: (sort_text(r.school), sort_text(r.title)))
    return rows


def participant_rows(competition, order="school", school_id=None, subject_id=None, jury=None):
    """Return (name, project row) per participant and project, by school and name or by stand."""
    rows = []
    for project in project_rows(competition, "stand", school_id, subject_id, jury):
        for name, last, first in project.people:
            rows.append(
                (name, project, (sort_text(project.school), sort_text(last), sort_text(first)))
            )
    if order == "school":
        rows.sort(key=lambda r: r[2])
    return [(name, project) for name, project, _ in rows]


def score_sheets(competition, jury=None, judge_id=None):
    """Return one score sheet per judge: their assigned projects and the criteria."""
    query = db.select(Judge).filter_by(competition_id=competition.id)
    if judge_id is not None:
        query = query.filter_by(id=judge_id)
    if jury is not None:
        query = query.join(JuryMember).filter(JuryMember.jury_id == jury.id)
    judges = by_name(db.session.scalars(query.options(*judge_options())).all())
    # Every judge's projects in two statements, not two per judge.
    assigned = {}
    if judges:
        for judge_id_, project_id in db.session.execute(
            db.select(Assignment.judge_id, Assignment.project_id).where(
                Assignment.judge_id.in_([j.id for j in judges])
            )
        ):
            assigned.setdefault(judge_id_, []).append(project_id)
    wanted = sorted({pid for ids in assigned.values() for pid in ids})
    loaded = (
        {
            p.id: p
            for p in db.session.scalars(
                services.projects_query(competition.id, project_ids=wanted, consents=True)
            )
        }
        if wanted
        else {}
    )
    criteria = db.session.scalars(
        db.select(Criterion)
        .filter_by(competition_id=competition.id)
        .order_by(Criterion.position, Criterion.id)
    ).all()
    sheets = []
    for judge in judges:
        projects = [loaded[pid] for pid in assigned.get(judge.id, []) if pid in loaded]
        rows = sorted(
            (_row(p) for p in projects), key=lambda r: (stand_key(r.stand), sort_text(r.title))
        )
        sheet = ScoreSheet(
            judge=judge.full_name,
            affiliation=judge.affiliation,
            juries=", ".join(m.jury.name for m in judge.memberships),
            projects=rows,
        )
        for row in rows:
            sheet.criteria[row.division_id] = [
                (c.group, c.name, f"{c.scale_min}–{c.scale_max}")
                for c in criteria
                if c.division_id in (None, row.division_id)
            ]
        sheets.append(sheet)
    return sheets
