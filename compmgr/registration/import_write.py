"""Prepare a checked registration import as a plan of rows, then write it in a few bulk statements.

``prepare`` works out, without touching the database, which schools, participants, projects
and memberships are new and which existing rows change (only a real change counts as an
update). ``write`` then inserts and updates them in batches: a 5,000-row file is about ten
statements, so the write lock is held for a fraction of a second.
"""

from dataclasses import dataclass, field

from sqlalchemy import bindparam

from compmgr.competitions.models import Competition
from compmgr.competitions.services import division_for
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.registration.import_state import person_key, school_key
from compmgr.registration.models import (
    Participant,
    Project,
    ProjectMember,
    ProjectStatus,
    School,
)

PROJECT_FIELDS = ("title", "subject_id", "abstract", "supervisor_name", "supervisor_email")


@dataclass
class Plan:
    """Rows to insert and update; new rows refer to each other by natural key until written."""

    counts: dict
    schools: list = field(default_factory=list)  # (name, city)
    people: dict = field(
        default_factory=dict
    )  # ref -> values; ref is an id or ("person", first, last, birth)
    changed_people: set = field(default_factory=set)  # ids
    projects: dict = field(default_factory=dict)  # ref -> values; ref is an id or ("project", key)
    changed_projects: set = field(default_factory=set)  # ids whose fields changed
    teams: dict = field(default_factory=dict)  # project ref -> [membership dicts]
    divisions: dict = field(default_factory=dict)  # project ref -> division id


@dataclass
class _Birth:
    birth_date: object


def _text(data, name):
    return str(data.get(name) or "").strip()


class _Planner:
    """Plan the rows one by one; what earlier rows planned is looked up by key."""

    def __init__(self, rows, state):
        self.state = state
        self.counts = dict(
            rows=len(rows),
            schools_created=0,
            participants_created=0,
            participants_updated=0,
            projects_created=0,
            projects_updated=0,
        )
        self.plan = Plan(self.counts)
        self.schools = {key: s.id for key, s in state.index["school_by_key"].items()}
        self.people = {key: p.id for key, p in state.index["person_by_key"].items()}
        self.rows_per_key = {}
        for row in rows:
            key = _text(row.data, "key")
            self.rows_per_key[key] = self.rows_per_key.get(key, 0) + 1
        self.touched, self.existed, self.changed = {}, set(), set()  # project key -> ref; keys

    def school(self, d):
        """Return the school's ref, planning a new school once."""
        skey = school_key(d["school"], d.get("city"))
        if skey not in self.schools:
            self.schools[skey] = ("school", _text(d, "school"), _text(d, "city"))
            self.plan.schools.append(self.schools[skey][1:])
            self.counts["schools_created"] += 1
        return self.schools[skey]

    def person(self, row, school):
        """Return the participant's ref with grade and contact data of the row."""
        d = row.data
        pkey = person_key(d["first_name"], d["last_name"], row.birth)
        ref = self.people.get(pkey)
        if ref is None:
            ref = self.people[pkey] = (
                "person",
                _text(d, "first_name"),
                _text(d, "last_name"),
                row.birth,
            )
            self.plan.people[ref] = dict(school=school, email="", phone="")
            self.counts["participants_created"] += 1
        elif ref not in self.plan.people:
            p = self.state.person(ref)
            self.plan.people[ref] = dict(
                school=p.school_id, grade=p.grade, email=p.email, phone=p.phone
            )
        person = self.plan.people[ref]
        person["grade"] = row.grade
        for name in ("email", "phone"):
            if _text(d, name):
                person[name] = _text(d, name)
        return ref

    def project(self, row, key, school):
        """Plan the project of key from its first row: new, or the stored one with changes."""
        d = row.data
        project = self.state.project_by_key(key)
        if project is None:
            pref = ("project", key)
            self.plan.projects[pref] = dict(
                school=school,
                status=ProjectStatus.SUBMITTED,
                promoted=False,
                title="",
                abstract="",
                supervisor_name="",
                supervisor_email="",
            )
            self.plan.teams[pref] = []
            self.counts["projects_created"] += 1
        else:
            pref = project.id
            self.existed.add(key)
            self.plan.projects[pref] = {
                name: getattr(project, name)
                for name in ("status", "promoted", "division_id", *PROJECT_FIELDS)
            }
            self.plan.teams[pref] = [
                dict(id=m.id, person=m.participant_id, is_speaker=m.is_speaker, position=m.position)
                for m in self.state.members_of(project.id)
            ]
        self.touched[key] = pref
        values = self.plan.projects[pref]
        before = dict(values)
        values["title"] = _text(d, "title")
        values["subject_id"] = row.subject.id
        for name, column in (
            ("abstract", "abstract"),
            ("supervisor", "supervisor_name"),
            ("supervisor_email", "supervisor_email"),
        ):
            if _text(d, name):
                values[column] = _text(d, name)
        if key in self.existed and values != before:
            self.changed.add(key)
            self.plan.changed_projects.add(pref)

    def member(self, row, key, ref):
        """Put the participant into the project's team; the row may name the speaker."""
        team = self.plan.teams[self.touched[key]]
        member = next((m for m in team if m["person"] == ref), None)
        if member is None:
            member = dict(id=None, person=ref, is_speaker=False, position=len(team))
            team.append(member)
            self.changed.update({key} & self.existed)
        if row.speaker or self.rows_per_key[key] == 1:
            for m in team:
                if m["is_speaker"] != (m is member):
                    m["is_speaker"] = m is member
                    m["speaker_changed"] = True
                    self.changed.update({key} & self.existed)

    def row(self, row):
        school = self.school(row.data)
        ref = self.person(row, school)
        key = _text(row.data, "key")
        if key not in self.touched:
            self.project(row, key, school)
        self.member(row, key, ref)

    def changed_people(self):
        for ref, values in self.plan.people.items():
            if isinstance(ref, int):
                p = self.state.person(ref)
                if (values["grade"], values["email"], values["phone"]) != (
                    p.grade,
                    p.email,
                    p.phone,
                ):
                    self.plan.changed_people.add(ref)


def prepare(competition, rows, state):
    """Turn checked rows into a Plan against state, as the school's forms would change the data."""
    planner = _Planner(rows, state)
    for row in rows:
        planner.row(row)
    planner.changed_people()
    plan, counts = planner.plan, planner.counts
    counts["projects_updated"] = len(planner.changed)
    counts["participants_updated"] = len(plan.changed_people)
    for pref in planner.touched.values():
        _plan_division(competition, plan, pref, state)
    return plan


def _plan_division(competition, plan, pref, state):
    """Derive the division from the whole team, as services.update_division does."""
    values = plan.projects[pref]
    if values["promoted"] or not ProjectStatus(values["status"]).takes_part:
        return
    births = [
        _Birth(
            m["person"][3]
            if isinstance(m["person"], tuple)
            else state.person(m["person"]).birth_date
        )
        for m in plan.teams[pref]
    ]
    division = division_for(births, competition.divisions, competition.age_cutoff).division
    division_id = division.id if division else None
    if not isinstance(pref, int) or division_id != values.get("division_id"):
        plan.divisions[pref] = division_id


def lock_competition(competition):
    """Queue imports into one competition on PostgreSQL (SQLite has one writer anyway)."""
    if db.engine.dialect.name != "sqlite":
        # FOR NO KEY UPDATE: other imports wait; inserts that refer to the competition do not.
        query = db.select(Competition.id).where(Competition.id == competition.id)
        db.session.execute(query.with_for_update(key_share=True))


def _ids(table, columns, cid):
    return {
        tuple(row[1:]): row[0]
        for row in db.session.execute(
            db.select(table.c.id, *columns).where(table.c.competition_id == cid)
        )
    }


def write(competition, plan):
    """Insert and update the plan's rows in batches; new rows get their ids by natural key."""
    cid, now = competition.id, utcnow()
    stamp = dict(competition_id=cid, created_at=now, updated_at=now)
    schools, people, projects = School.__table__, Participant.__table__, Project.__table__
    if plan.schools:
        db.session.execute(schools.insert(), [dict(stamp, name=n, city=c) for n, c in plan.schools])
        ids = {
            ("school", *key): i
            for key, i in _ids(schools, [schools.c.name, schools.c.city], cid).items()
        }
    else:
        ids = {}
    new_people = {ref: v for ref, v in plan.people.items() if isinstance(ref, tuple)}
    if new_people:
        db.session.execute(
            people.insert(),
            [
                dict(
                    stamp,
                    school_id=ids.get(v["school"], v["school"]),
                    first_name=ref[1],
                    last_name=ref[2],
                    birth_date=ref[3],
                    grade=v["grade"],
                    email=v["email"],
                    phone=v["phone"],
                )
                for ref, v in new_people.items()
            ],
        )
        found = _ids(people, [people.c.first_name, people.c.last_name, people.c.birth_date], cid)
        ids.update({ref: found[ref[1:]] for ref in new_people})
    if plan.changed_people:
        db.session.execute(
            people.update()
            .where(people.c.id == bindparam("b_id"))
            .values(
                grade=bindparam("b_grade"),
                email=bindparam("b_email"),
                phone=bindparam("b_phone"),
                updated_at=now,
            ),
            [
                dict(b_id=ref, b_grade=v["grade"], b_email=v["email"], b_phone=v["phone"])
                for ref, v in plan.people.items()
                if ref in plan.changed_people
            ],
        )
    new_projects = {ref: v for ref, v in plan.projects.items() if isinstance(ref, tuple)}
    if new_projects:
        db.session.execute(
            projects.insert(),
            [
                dict(
                    stamp,
                    key=ref[1],
                    school_id=ids.get(v["school"], v["school"]),
                    status=v["status"],
                    division_id=plan.divisions.get(ref),
                    **{name: v[name] for name in PROJECT_FIELDS},
                )
                for ref, v in new_projects.items()
            ],
        )
        found = _ids(projects, [projects.c.key], cid)
        ids.update({ref: found[(ref[1],)] for ref in new_projects})
    _update_projects(plan, now)
    _write_teams(plan, ids)
    db.session.expire_all()  # objects loaded before do not know these rows


def _update_projects(plan, now):
    projects = Project.__table__
    changed = [
        dict(b_id=ref, **{f"b_{n}": plan.projects[ref][n] for n in PROJECT_FIELDS})
        for ref in plan.changed_projects
    ]
    if changed:
        db.session.execute(
            projects.update()
            .where(projects.c.id == bindparam("b_id"))
            .values(updated_at=now, **{n: bindparam(f"b_{n}") for n in PROJECT_FIELDS}),
            changed,
        )
    divisions = [
        dict(b_id=ref, b_division=d) for ref, d in plan.divisions.items() if isinstance(ref, int)
    ]
    if divisions:
        db.session.execute(
            projects.update()
            .where(projects.c.id == bindparam("b_id"))
            .values(division_id=bindparam("b_division"), updated_at=now),
            divisions,
        )


def _write_teams(plan, ids):
    members = ProjectMember.__table__
    new, speakers = [], []
    for pref, team in plan.teams.items():
        for m in team:
            if m["id"] is None:
                new.append(
                    dict(
                        project_id=ids.get(pref, pref),
                        participant_id=ids.get(m["person"], m["person"]),
                        is_speaker=m["is_speaker"],
                        position=m["position"],
                    )
                )
            elif m.get("speaker_changed"):
                speakers.append(dict(b_id=m["id"], b_speaker=m["is_speaker"]))
    if new:
        db.session.execute(members.insert(), new)
    if speakers:
        db.session.execute(
            members.update()
            .where(members.c.id == bindparam("b_id"))
            .values(is_speaker=bindparam("b_speaker")),
            speakers,
        )
