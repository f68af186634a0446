"""Receivers: each event a lower layer announces queues its mails in the sender's transaction."""

from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from compmgr import signals
from compmgr.audit.services import record
from compmgr.auth.models import Role
from compmgr.competitions.models import Competition
from compmgr.database import utcnow
from compmgr.extensions import db
from compmgr.judging.models import Assignment, Judge
from compmgr.mail import public_url_for
from compmgr.messaging import schedules
from compmgr.messaging.sending import judge_recipient, queue, school_accounts
from compmgr.registration import services as registration
from compmgr.registration.models import Project, ProjectStatus
from compmgr.registration.summary import confirmation_data

ROLE_WORDS = {
    Role.JUDGE: _l("Juror(in)"),
    Role.SCHOOL: _l("Schulkonto"),
    Role.ORGANISER: _l("Wettbewerbsleitung"),
}


def _inviter_name(inviter):
    return f"{inviter.name} ({inviter.email})" if inviter is not None else None


@signals.invitation_ready.connect
def mail_invitation(user, link, inviter, competition, role, school, kind, **_kw):
    def context(locale):
        role_name = str(ROLE_WORDS.get(role, "compmgr"))
        if school is not None:
            role_name += f" ({school.label})"
        return {
            "link": link,
            "role": role_name,
            "inviter": _inviter_name(inviter) or _("Die Wettbewerbsleitung"),
        }

    queue(kind, [user], competition, context)


@signals.offer_declined.connect
def note_declined(user, competition, role, **_kw):
    """Keep a declined invitation for the organisers' digest (and the audit trail)."""
    record(
        "offer.declined",
        user,
        after={"email": user.email, "role": role.value},
        competition_id=competition.id,
        user=user,
    )


def _project_context(project):
    return {
        "project": project.title,
        "school": project.school.label,
        "link": public_url_for("registration.dashboard", cid=project.competition_id),
    }


@signals.project_registered.connect
def mail_registration_received(project, competition, **_kw):
    school = project.school
    projects = sorted(school.projects, key=lambda p: p.id)

    def context(locale):
        return {
            **_project_context(project),
            "projects": [
                {
                    "title": p.title,
                    "subject": p.subject.name if p.subject else "",
                    "missing": [str(x) for x in registration.missing_items(p)],
                }
                for p in projects
                if p.takes_part
            ],
        }

    def attachments(locale):
        from compmgr.pdf.confirmation import ConfirmationBuilder  # ReportLab: loaded when used

        printed = format_datetime(utcnow(), "dd.MM.yyyy HH:mm")
        data = confirmation_data(competition, school, projects, printed)
        name = "Anmeldebestaetigung.pdf" if locale == "de" else "Registration.pdf"
        return [(name, ConfirmationBuilder(data).build(), "application/pdf")]

    queue(
        "registration_received",
        school_accounts(school),
        competition,
        context,
        school=school,
        attachments=attachments,
    )


STATUS_KINDS = {
    ProjectStatus.ADMITTED: "project_admitted",
    ProjectStatus.REJECTED: "project_rejected",
    ProjectStatus.WITHDRAWN: "project_withdrawn",
}


@signals.project_status_changed.connect
def mail_status(project, status, reason, by_school, **_kw):
    kind = STATUS_KINDS.get(status)
    if kind is None:
        return
    context = {**_project_context(project), "reason": reason}
    queue(
        kind,
        school_accounts(project.school),
        project.school.competition,
        context,
        school=project.school,
    )


@signals.project_moved.connect
def mail_moved(project, before, **_kw):
    context = {**_project_context(project), "subject": project.subject.name, "before": before}
    queue(
        "project_moved",
        school_accounts(project.school),
        project.school.competition,
        context,
        school=project.school,
    )


@signals.project_promoted.connect
def mail_promoted(project, **_kw):
    context = {
        **_project_context(project),
        "division": project.division.name,
        "reason": project.promoted_reason,
    }
    queue(
        "project_promoted",
        school_accounts(project.school),
        project.school.competition,
        context,
        school=project.school,
    )


@signals.project_corrected.connect
def mail_corrected(project, changes, **_kw):
    context = {**_project_context(project), "changes": ", ".join(str(c) for c in changes)}
    queue(
        "project_changed",
        school_accounts(project.school),
        project.school.competition,
        context,
        school=project.school,
    )


@signals.results_published.connect
def mail_results(competition, **_kw):
    link = public_url_for("certificates.school", cid=competition.id)
    schools = {p.school for p in competition_projects(competition) if p.takes_part}
    for school in sorted(schools, key=lambda s: s.id):
        queue(
            "results_published",
            school_accounts(school),
            competition,
            {"school": school.label, "link": link},
            school=school,
            dedupe=f"results:{competition.id}:{competition.results_published_at:%Y%m%d%H%M}"
            f":s{school.id}",
        )


def competition_projects(competition):
    return db.session.scalars(db.select(Project).filter_by(competition_id=competition.id)).all()


@signals.jury_locked.connect
def mail_jury_locked(jury, **_kw):
    competition = db.session.get(Competition, jury.competition_id)
    for member in jury.members:
        recipient = judge_recipient(member.judge)
        if recipient is not None:
            queue("jury_locked", [recipient], competition, {"jury": jury.name, "link": ""})


@signals.assignments_changed.connect
def mail_assignments(competition, added, removed, **_kw):
    judge_ids = {j for j, _p in added | removed}
    if not judge_ids:
        return
    link = public_url_for("judging.dashboard", cid=competition.id)
    for judge in db.session.scalars(db.select(Judge).where(Judge.id.in_(judge_ids))):
        recipient = judge_recipient(judge)
        if recipient is None:
            continue
        mine_added = {p for j, p in added if j == judge.id}
        mine_removed = {p for j, p in removed if j == judge.id}
        current = db.session.scalars(
            db.select(Assignment.project_id).filter_by(judge_id=judge.id)
        ).all()
        if set(current) == mine_added and not mine_removed:  # the first list: the assignment
            schedules.queue_assignment(judge, recipient, competition, link)
            continue
        queue(
            "judge_list_changed",
            [recipient],
            competition,
            {
                "link": link,
                "added": schedules.project_rows(mine_added),
                "removed": schedules.project_rows(mine_removed),
            },
        )
