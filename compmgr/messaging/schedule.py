"""What the worker sends on its own: reminders of missing items, of open invitations, digests.

run_schedule is called by every worker round (a minute apart at most). Each reminder is
queued once: its outbox row carries a dedupe key (a unique column), and only one worker runs
the schedule at a time (an advisory lock on PostgreSQL, the single writer on SQLite).
"""

from datetime import datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import text

from compmgr.audit.models import AuditEntry
from compmgr.auth.invitations import resend_invitation
from compmgr.auth.models import Role, RoleGrant, User
from compmgr.competitions.models import Competition, Status
from compmgr.database import utcnow, writing
from compmgr.dates import BERLIN, show_date
from compmgr.extensions import db
from compmgr.mail import public_url_for
from compmgr.messaging.models import DigestSubscription
from compmgr.messaging.sending import queue, school_accounts
from compmgr.outbox import OutboxMail
from compmgr.registration import services as registration
from compmgr.registration.models import Project, ProjectStatus

ACTIVE = (Status.REGISTRATION_OPEN, Status.REGISTRATION_CLOSED, Status.JUDGING)
SCHEDULE_LOCK = 0x636D6D61  # "cmma": one schedule run at a time on PostgreSQL


def run_schedule(now=None):
    """Queue every reminder and digest due at now (UTC); return how many mails were queued."""
    now = now or utcnow()
    local = now.astimezone(BERLIN)
    config = current_app.config
    queued = 0
    with writing():
        if db.engine.dialect.name == "postgresql":
            got = db.session.scalar(
                text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": SCHEDULE_LOCK}
            )
            if not got:
                db.session.rollback()
                return 0
        competitions = db.session.scalars(
            db.select(Competition).where(Competition.status.in_([s.value for s in ACTIVE]))
        ).all()
        for comp in competitions:
            if local.hour >= config["MAIL_REMINDER_HOUR"]:
                queued += missing_reminders(comp, local.date())
                queued += invitation_reminders(comp, now)
            if local.hour >= config["MAIL_DIGEST_HOUR"]:
                queued += digests(comp, local.date())
        db.session.commit()
    return queued


def deadlines(comp):
    """The deadlines a school is reminded of: (code, name, date)."""
    found = []
    if comp.registration_deadline and comp.status == Status.REGISTRATION_OPEN:
        found.append(("registration", _("Anmeldung"), comp.registration_deadline))
    if comp.paper_deadline:
        found.append(("paper", _("Schriftliche Arbeit"), comp.paper_deadline))
    return found


def missing_reminders(comp, today):
    """Remind each school of what its projects lack, MAIL_REMINDER_DAYS before each deadline."""
    days = current_app.config["MAIL_REMINDER_DAYS"]
    queued = 0
    for code, _name, deadline in deadlines(comp):
        if not deadline - timedelta(days=days) <= today <= deadline:
            continue
        projects = db.session.scalars(
            db.select(Project).where(Project.competition_id == comp.id, Project.takes_part)
        ).all()
        by_school_id = {}
        for p in sorted(projects, key=lambda p: (p.school_id, p.title)):
            missing = registration.missing_items(p)
            if missing:
                by_school_id.setdefault(p.school_id, (p.school, []))[1].append(p)
        for school, mine in by_school_id.values():
            if code == "registration" and school.registration_extended_until:
                continue  # this school has its own, later deadline

            def context(locale, school=school, mine=mine, deadline=deadline, code=code):
                names = {"registration": _("Anmeldung"), "paper": _("Schriftliche Arbeit")}
                return {
                    "school": school.label,
                    "deadline": show_date(deadline),
                    "deadline_name": names[code],
                    "link": public_url_for("registration.dashboard", cid=comp.id),
                    "projects": [
                        {
                            "title": p.title,
                            "missing": [str(x) for x in registration.missing_items(p)],
                        }
                        for p in mine
                    ],
                }

            queued += len(
                queue(
                    "missing_reminder",
                    school_accounts(school),
                    comp,
                    context,
                    school=school,
                    dedupe=f"missing:{comp.id}:{code}:{deadline.isoformat()}:s{school.id}",
                )
            )
    return queued


def invitation_reminders(comp, now):
    """Remind judges who have not accepted their invitation after MAIL_INVITE_REMINDER_DAYS."""
    days = current_app.config["MAIL_INVITE_REMINDER_DAYS"]
    if not days:
        return 0
    users = db.session.scalars(
        db.select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(
            RoleGrant.competition_id == comp.id,
            RoleGrant.role == Role.JUDGE.value,
            User.password_hash.is_(None),
            User.active.is_(True),
            RoleGrant.created_at <= now - timedelta(days=days),
        )
        .distinct()
    ).all()
    queued = 0
    for user in users:
        reminded = db.session.scalar(
            db.select(OutboxMail.id).filter_by(
                user_id=user.id, competition_id=comp.id, kind="invitation_reminder"
            )
        )
        if reminded is None:
            resend_invitation(user, reminder=True)
            queued += 1
    return queued


def digest_entries(comp, since):
    """New registrations, withdrawals and declined invitations since, in words."""
    new = db.session.scalars(
        db.select(Project)
        .where(Project.competition_id == comp.id, Project.created_at >= since)
        .order_by(Project.id)
    ).all()
    entries = db.session.scalars(
        db.select(AuditEntry)
        .where(
            AuditEntry.competition_id == comp.id,
            AuditEntry.at >= since,
            AuditEntry.action.in_(["project.status", "offer.declined"]),
        )
        .order_by(AuditEntry.id)
    ).all()
    withdrawn_ids = [
        e.object_id
        for e in entries
        if e.action == "project.status"
        and isinstance(e.after, dict)
        and e.after.get("status") == ProjectStatus.WITHDRAWN.value
    ]
    withdrawn = (
        db.session.scalars(db.select(Project).where(Project.id.in_(withdrawn_ids))).all()
        if withdrawn_ids
        else []
    )
    declined = [(e.after or {}).get("email", "") for e in entries if e.action == "offer.declined"]
    return (
        [f"{p.title} ({p.school.label})" for p in new],
        [f"{p.title} ({p.school.label})" for p in withdrawn],
        declined,
    )


def digests(comp, today):
    """Send the subscribed organisers the day's digest, once a day, when something happened."""
    subscribers = db.session.scalars(
        db.select(User)
        .join(DigestSubscription, DigestSubscription.user_id == User.id)
        .where(DigestSubscription.competition_id == comp.id, User.active.is_(True))
    ).all()
    if not subscribers:
        return 0
    midnight = datetime.combine(today, time(), tzinfo=BERLIN)
    since = midnight - timedelta(days=1)
    registrations, withdrawals, declined = digest_entries(comp, since)
    if not (registrations or withdrawals or declined):
        return 0
    context = {
        "registrations": registrations,
        "withdrawals": withdrawals,
        "declined": declined,
        "link": public_url_for("admin.dashboard", cid=comp.id),
    }
    return len(
        queue("digest", subscribers, comp, context, dedupe=f"digest:{comp.id}:{today.isoformat()}")
    )
