"""Fill a competition with schools, teams, consents, judges, juries, assignments and scores.

Used by ``bench/round.py`` (a national round: 120 competitions, 6,300 projects) and by
``tests/test_query_counts.py`` (one competition at two sizes). Rows go in with bulk inserts
through the app's own models, so building a round takes seconds, not an hour of factories;
competitions, juries and the rubric are made by the app's services as usual.
"""

import random
from datetime import date, timedelta

from sqlalchemy import insert

from compmgr.auth.models import Role, RoleGrant, User
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.judging.juries import create_jury
from compmgr.judging.models import (
    Assignment,
    Criterion,
    Judge,
    JuryMember,
    Review,
    Score,
)
from compmgr.registration.models import (
    ConsentRecord,
    Participant,
    Project,
    ProjectMember,
    School,
)
from tests.factories import password_hash

FIRST = ["Jörg", "Änne", "Ömer", "Zoë", "Lena", "Björn", "Müge", "Sören", "Käthe", "Luca"]
LAST = ["Müller", "Weiß", "Groß", "Öztürk", "Schäfer", "Süßmilch", "Bäßler", "Krüger"]


def _ids(model, rows):
    """Insert rows in bulk and return their ids in the order given."""
    if not rows:
        return []
    return list(
        db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
    )


def _bulk(model, rows):
    """Insert rows in bulk (none: nothing)."""
    if rows:
        db.session.execute(insert(model), rows)


def populate(
    competition,
    projects,
    judges,
    schools=None,
    scored=0.36,
    rng=None,
    tag="",
    juries_per_subject=1,
    school_ids=None,
):
    """Add ``projects`` taking-part projects (teams of 1–3, about 1.8 per project), their
    schools (one per 12 projects unless given), consents, and ``judges`` judges with accounts on
    one jury per Fachgebiet; every project is assigned to three judges of its jury, and a
    share ``scored`` of those assignments has a full score sheet. ``tag`` keeps e-mails unique;
    with ``school_ids`` the projects go to those schools and no school is added.

    Returns a dict of counts and the ids a caller needs (``users`` of judges and schools).
    """
    rng = rng or random.Random(17)
    cid = competition.id
    now = utcnow()
    pw = password_hash()
    given_schools = school_ids is not None
    if not given_schools:
        n_schools = schools or max(1, projects // 12)
        school_ids = _ids(
            School,
            [
                {
                    "competition_id": cid,
                    "name": f"Gymnasium Nr. {i} am Weißen Berg{tag}",
                    "city": "Ulm",
                }
                for i in range(n_schools)
            ],
        )
    n_schools = len(school_ids)
    subjects = competition.subjects
    divisions = competition.divisions
    # Teams and participants; names and stands are unique in a competition.
    base = db.session.scalar(db.select(db.func.count(Project.id)).filter_by(competition_id=cid))
    teams = [rng.choice((1, 1, 2, 2, 3)) for _ in range(projects)]
    part_rows, team_school = [], []
    for k, size in enumerate(teams):
        school = school_ids[k % n_schools]
        team_school.append(school)
        for m in range(size):
            part_rows.append(
                {
                    "competition_id": cid,
                    "school_id": school,
                    "first_name": rng.choice(FIRST),
                    "last_name": f"{rng.choice(LAST)}{base + k}-{m}",
                    "birth_date": date(2008, 1, 1) + timedelta(days=rng.randrange(2500)),
                    "grade": rng.randint(5, 13),
                    "email": f"p{k}-{m}{tag}@schule.example",
                    "created_at": now,
                    "updated_at": now,
                }
            )
    participant_ids = _ids(Participant, part_rows)
    consent_rows = []
    for pid in participant_ids:
        for kind in ("participation", "publication", "photos"):
            consent_rows.append(
                {
                    "participant_id": pid,
                    "kind": kind,
                    "granted": kind == "participation" or rng.random() < 0.7,
                    "given_by": "parent",
                    "given_at": now,
                }
            )
    _bulk(ConsentRecord, consent_rows)
    project_rows = []
    for k in range(projects):
        subject = subjects[k % len(subjects)]
        project_rows.append(
            {
                "competition_id": cid,
                "school_id": team_school[k],
                "subject_id": subject.id,
                "division_id": divisions[k % len(divisions)].id,
                "title": f"Wie „grün“ ist unser Schulhof? Messreihe {k}",
                "abstract": "Wir messen, wie viel Grün auf Schulhöfen wächst. " * 5,
                "status": "admitted" if k % 3 else "submitted",
                "stand": f"{subject.code}{base + k:04d}",
                "created_at": now,
                "updated_at": now,
            }
        )
    project_ids = _ids(Project, project_rows)
    member_rows, at = [], 0
    for k, size in enumerate(teams):
        for m in range(size):
            member_rows.append(
                {
                    "project_id": project_ids[k],
                    "participant_id": participant_ids[at],
                    "is_speaker": m == 0,
                    "position": m,
                }
            )
            at += 1
    _bulk(ProjectMember, member_rows)
    # School accounts.
    school_users = (
        []
        if given_schools
        else _ids(
            User,
            [
                {
                    "email": f"schule{i}-c{cid}{tag}@example.org",
                    "name": f"Schulleitung {i}",
                    "password_hash": pw,
                    "auth_nonce": 1,
                    "created_at": now,
                }
                for i in range(n_schools)
            ],
        )
    )
    if school_users:
        _bulk(
            RoleGrant,
            [
                {"user_id": u, "competition_id": cid, "role": Role.SCHOOL.value, "school_id": s}
                for u, s in zip(school_users, school_ids, strict=True)
            ],
        )
    # Juries (one per Fachgebiet, or teams) and judges with accounts.
    juries = [
        create_jury(competition, subject, team=t + 1)
        for subject in subjects
        for t in range(juries_per_subject)
    ]
    judge_users = _ids(
        User,
        [
            {
                "email": f"juror{j}-c{cid}{tag}@example.org",
                "name": f"Juror {j}",
                "password_hash": pw,
                "auth_nonce": 1,
                "created_at": now,
            }
            for j in range(judges)
        ],
    )
    _bulk(
        RoleGrant,
        [{"user_id": u, "competition_id": cid, "role": Role.JUDGE.value} for u in judge_users],
    )
    judge_ids = _ids(
        Judge,
        [
            {
                "competition_id": cid,
                "user_id": u,
                "first_name": rng.choice(FIRST),
                "last_name": f"{rng.choice(LAST)}{j}",
                "email": f"juror{j}-c{cid}{tag}@example.org",
                "affiliation": "Universität Ulm",
                "confidentiality_accepted_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for j, u in enumerate(judge_users)
        ],
    )
    panel = {jury.id: [] for jury in juries}
    member_rows = []
    for j, judge_id in enumerate(judge_ids):
        jury = juries[j % len(juries)]
        member_rows.append(
            {"jury_id": jury.id, "judge_id": judge_id, "is_chair": not panel[jury.id]}
        )
        panel[jury.id].append(judge_id)
    _bulk(JuryMember, member_rows)
    # Assignments: three judges of the project's jury (of its Fachgebiet's team).
    by_subject = {}
    for jury in juries:
        by_subject.setdefault(jury.subject_id, []).append(jury)
    assignments = []
    for k, pid in enumerate(project_ids):
        subject_juries = by_subject[project_rows[k]["subject_id"]]
        jury = subject_juries[k % len(subject_juries)]
        members = panel[jury.id]
        for judge_id in rng.sample(members, min(3, len(members))):
            assignments.append({"judge_id": judge_id, "project_id": pid, "created_at": now})
    _bulk(Assignment, assignments)
    criteria = db.session.execute(
        db.select(Criterion.id, Criterion.division_id, Criterion.scale_min, Criterion.scale_max)
        .filter_by(competition_id=cid)
        .order_by(Criterion.position)
    ).all()
    division_of = {
        pid: row["division_id"] for pid, row in zip(project_ids, project_rows, strict=True)
    }
    score_rows, review_rows = [], []
    for a in assignments:
        if rng.random() >= scored:
            continue
        division = division_of[a["project_id"]]
        for c in criteria:
            if c.division_id is not None and c.division_id != division:
                continue
            score_rows.append(
                {
                    "judge_id": a["judge_id"],
                    "project_id": a["project_id"],
                    "criterion_id": c.id,
                    "value": rng.randint(c.scale_min, c.scale_max),
                    "updated_at": now,
                }
            )
        review_rows.append(
            {
                "judge_id": a["judge_id"],
                "project_id": a["project_id"],
                "note": "Saubere Messreihe, gut erklärt.",
                "submitted_at": now,
                "updated_at": now,
            }
        )
    _bulk(Score, score_rows)
    _bulk(Review, review_rows)
    db.session.flush()
    db.session.expire_all()
    return {
        "schools": n_schools,
        "participants": len(participant_ids),
        "projects": projects,
        "judges": judges,
        "juries": len(juries),
        "assignments": len(assignments),
        "scores": len(score_rows),
        "users": len(school_users) + len(judge_users),
        "judge_users": judge_users,
        "school_users": school_users,
        "project_ids": project_ids,
        "school_ids": school_ids,
        "judge_ids": judge_ids,
        "jury_ids": [j.id for j in juries],
    }
