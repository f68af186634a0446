"""An organiser's messages: selections of recipients, the preview, sending, resending."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from compmgr.audit.services import record
from compmgr.extensions import db
from compmgr.judging.models import Judge, Jury, JuryMember
from compmgr.mail import public_url_for
from compmgr.messaging.models import Message
from compmgr.messaging.render import TextError, render_text
from compmgr.messaging.sending import judge_recipient, queue, school_accounts
from compmgr.outbox import OutboxMail, retry
from compmgr.registration import services as registration
from compmgr.registration.models import Project, School

SELECTIONS = {
    "schools": _l("Alle Schulen"),
    "schools_missing": _l("Schulen, bei denen noch etwas fehlt"),
    "schools_subject": _l("Schulen eines Fachgebiets"),
    "judges": _l("Alle Jurorinnen und Juroren"),
    "jury": _l("Eine Jury"),
    "judges_pending": _l("Jurorinnen und Juroren, die noch nicht zugesagt haben"),
}


@dataclass
class Addressee:
    """One recipient of a message: the account (or judge's address) and its school, if any."""

    person: object
    school: School | None
    link: str


def _schools(comp, selection, subject_id=None):
    projects = db.session.scalars(
        db.select(Project).where(Project.competition_id == comp.id, Project.takes_part)
    ).all()
    if selection == "schools":
        schools = db.session.scalars(db.select(School).filter_by(competition_id=comp.id)).all()
    elif selection == "schools_missing":
        schools = {p.school for p in projects if registration.missing_items(p)}
    else:
        schools = {p.school for p in projects if p.subject_id == subject_id}
    return sorted(schools, key=lambda s: (s.name.casefold(), s.city.casefold(), s.id))


def _judges(comp, selection, jury_id=None):
    query = db.select(Judge).where(Judge.competition_id == comp.id)
    if selection == "jury":
        query = query.join(JuryMember, JuryMember.judge_id == Judge.id).where(
            JuryMember.jury_id == jury_id
        )
    judges = db.session.scalars(query.order_by(Judge.last_name, Judge.first_name)).all()
    if selection == "judges_pending":
        judges = [j for j in judges if j.user is None or not j.user.password_hash]
    return judges


def addressees(comp, selection, subject_id=None, jury_id=None):
    """The accounts a selection reaches, each once, in a stable order."""
    found, seen = [], set()
    if selection.startswith("schools"):
        link = public_url_for("registration.dashboard", cid=comp.id)
        for school in _schools(comp, selection, subject_id):
            for user in school_accounts(school):
                if (user.email, school.id) not in seen:
                    seen.add((user.email, school.id))
                    found.append(Addressee(user, school, link))
    else:
        link = public_url_for("judging.dashboard", cid=comp.id)
        for judge in _judges(comp, selection, jury_id):
            person = judge_recipient(judge)
            if person is not None and person.email not in seen:
                seen.add(person.email)
                found.append(Addressee(person, None, link))
    return found


def selection_label(comp, selection, subject_id=None, jury_id=None):
    label = str(SELECTIONS[selection])
    if selection == "schools_subject":
        subject = next((s for s in comp.subjects if s.id == subject_id), None)
        label += f": {subject.name}" if subject else ""
    if selection == "jury":
        jury = db.session.get(Jury, jury_id or 0)
        label += f": {jury.name}" if jury and jury.competition_id == comp.id else ""
    return label


def values_for(comp, addressee):
    return {
        "name": addressee.person.name,
        "school": addressee.school.label if addressee.school else "",
        "competition": comp.title,
        "link": addressee.link,
    }


def preview(comp, subject, body, found):
    """Return (subject, body) personalised for the first addressee; raise TextError."""
    values = (
        values_for(comp, found[0])
        if found
        else {
            "name": "Erika Muster",
            "school": "Gymnasium Nord",
            "competition": comp.title,
            "link": public_url_for("registration.dashboard", cid=comp.id),
        }
    )
    return " ".join(render_text(subject, values).split()), render_text(body, values)


def send_message(comp, author, selection, subject, body, essential, subject_id=None, jury_id=None):
    """Queue a message to every addressee of the selection; return the Message."""
    found = addressees(comp, selection, subject_id, jury_id)
    message = Message(
        competition_id=comp.id,
        author_id=author.id,
        selection=selection,
        selection_label=selection_label(comp, selection, subject_id, jury_id),
        subject=subject,
        body=body,
        essential=essential,
    )
    db.session.add(message)
    db.session.flush()
    count = 0
    for addressee in found:
        count += len(
            queue(
                "message",
                [addressee.person],
                comp,
                values_for(comp, addressee),
                school=addressee.school,
                batch=message.batch,
                essential=essential,
                texts=(subject, body),
            )
        )
    message.recipients = count
    record(
        "message.sent",
        message,
        after={"subject": subject, "selection": message.selection_label, "recipients": count},
        competition_id=comp.id,
        user=author,
    )
    return message


def check_message(comp, subject, body):
    """Return why subject or body do not render, or None."""
    try:
        preview(comp, subject, body, [])
    except TextError as exc:
        return str(exc)
    return None


def mails_of(comp, batch=None, status=None, limit=500):
    """The competition's mails, newest first, optionally of one message or status."""
    query = db.select(OutboxMail).where(OutboxMail.competition_id == comp.id)
    if batch:
        query = query.where(OutboxMail.batch == batch)
    if status:
        query = query.where(OutboxMail.status == status)
    return db.session.scalars(query.order_by(OutboxMail.id.desc()).limit(limit)).all()


def status_counts(comp, batch=None):
    query = db.select(OutboxMail.status, db.func.count()).where(
        OutboxMail.competition_id == comp.id
    )
    if batch:
        query = query.where(OutboxMail.batch == batch)
    return dict(db.session.execute(query.group_by(OutboxMail.status)).all())


def resend(comp, row, user):
    """Queue a mail of this competition again (after a failure, or on request)."""
    retry(row)
    record(
        "mail.resent",
        row,
        after={"to": row.recipient, "subject": row.subject},
        competition_id=comp.id,
        user=user,
    )


def send_stand_info(comp, author, info):
    """Queue each school's stands and the day's information to every account of the school."""
    projects = db.session.scalars(
        db.select(Project).where(Project.competition_id == comp.id, Project.takes_part)
    ).all()
    by_school = {}
    for p in sorted(projects, key=lambda p: (p.stand or "~", p.title)):
        by_school.setdefault(p.school_id, (p.school, []))[1].append(p)
    dates = " – ".join(
        d.strftime("%d.%m.%Y") for d in dict.fromkeys([comp.starts_on, comp.ends_on]) if d
    )
    link = public_url_for("registration.dashboard", cid=comp.id)
    count = 0
    for school, mine in by_school.values():
        context = {
            "school": school.label,
            "projects": [{"stand": p.stand, "title": p.title} for p in mine],
            "venue": comp.venue or "–",
            "dates": dates or "–",
            "info": info.strip(),
            "link": link,
        }
        count += len(queue("stand_info", school_accounts(school), comp, context, school=school))
    record(
        "message.sent",
        comp,
        after={"kind": "stand_info", "recipients": count},
        competition_id=comp.id,
        user=author,
    )
    return count
