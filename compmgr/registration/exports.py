"""Export participants and projects as CSV (German Excel) or XLSX, formulas escaped."""

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy.orm import selectinload

from compmgr.extensions import db
from compmgr.registration import services
from compmgr.registration.models import Participant, Project, ProjectMember
from compmgr.sorting import by_stand, person_key
from compmgr.spreadsheets import CSV_MIMETYPE, XLSX_MIMETYPE, to_csv, to_xlsx

TABLES = ("participants", "projects")
FORMATS = ("csv", "xlsx")


def _yes(flag):
    return _("ja") if flag else _("nein")


def _shown_membership(person):
    """Return the membership a participant's row shows: a project still taking part first
    (someone whose team withdrew may have registered again), else the earliest."""
    members = sorted(person.memberships, key=lambda m: (not m.project.takes_part, m.id))
    return members[0] if members else None


def participant_rows(competition):
    """Return the header and one row per participant."""
    header = [
        _("Nachname"),
        _("Vorname"),
        _("Geburtsdatum"),
        _("Klasse"),
        _("E-Mail"),
        _("Telefon"),
        _("Schule"),
        _("Ort"),
        _("Projektschlüssel"),
        _("Projekt"),
        _("Stand"),
        _("Projektstatus"),
        _("Gruppensprecher(in)"),
        _("Teilnahmeerklärung"),
        _("Namensveröffentlichung"),
        _("Fotos"),
    ]
    people = sorted(
        db.session.scalars(
            db.select(Participant)
            .filter_by(competition_id=competition.id)
            .options(
                selectinload(Participant.memberships).selectinload(ProjectMember.project),
                selectinload(Participant.consents),
                selectinload(Participant.school),
            )
        ).all(),
        key=lambda p: (person_key(p), p.birth_date, p.id),
    )
    rows = []
    for p in people:
        member = _shown_membership(p)
        project = member.project if member else None
        consents = services.consents_of(p)
        rows.append(
            [
                p.last_name,
                p.first_name,
                p.birth_date.strftime("%d.%m.%Y"),
                p.grade,
                p.email,
                p.phone,
                p.school.name,
                p.school.city,
                project.key or "" if project else "",
                project.title if project else "",
                project.stand or "" if project else "",
                str(project.status_enum.label) if project else "",
                _yes(member.is_speaker) if member else "",
                _yes(consents["participation"]),
                _yes(consents["publication"]),
                _yes(consents["photos"]),
            ]
        )
    return header, rows


def project_rows(competition):
    """Return the header and one row per project."""
    header = [
        _("Stand"),
        _("Projektschlüssel"),
        _("Titel"),
        _("Fachgebiet"),
        _("Sparte"),
        _("Status"),
        _("Schule"),
        _("Ort"),
        _("Team"),
        _("Gruppensprecher(in)"),
        _("Betreuer(in)"),
        _("E-Mail Betreuer(in)"),
        pgettext("Standbedarf", "Platz"),
        _("Strom"),
        _("Wasser"),
        _("Gas"),
        _("Weitere Wünsche"),
        _("Tiere"),
        _("Patentberatung"),
        _("Online-Link"),
        _("Hochstufung"),
        _("Schriftliche Arbeit (Seiten)"),
        _("Es fehlt noch"),
        _("Kurzfassung"),
    ]
    projects = by_stand(
        db.session.scalars(db.select(Project).filter_by(competition_id=competition.id)).all()
    )
    rows = []
    for p in projects:
        paper = p.document("paper")
        rows.append(
            [
                p.stand or "",
                p.key or "",
                p.title,
                p.subject.name,
                p.division.name if p.division else "",
                str(p.status_enum.label),
                p.school.name,
                p.school.city,
                ", ".join(x.full_name for x in p.participants),
                p.speaker.full_name if p.speaker else "",
                p.supervisor_name,
                p.supervisor_email,
                _yes(p.needs_space),
                _yes(p.needs_power),
                _yes(p.needs_water),
                _yes(p.needs_gas),
                p.needs_notes,
                _yes(p.involves_animals),
                _yes(p.patent_consultation),
                p.remote_link,
                p.promoted_reason if p.promoted else "",
                paper.page_count if paper else "",
                ", ".join(str(m) for m in services.missing_items(p)),
                p.abstract,
            ]
        )
    return header, rows


def table(competition, which):
    return participant_rows(competition) if which == "participants" else project_rows(competition)


def export(competition, which, fmt):
    """Return (bytes, mimetype, filename) of one export."""
    header, rows = table(competition, which)
    name = {"participants": "teilnehmende", "projects": "projekte"}[which]
    if fmt == "xlsx":
        title = _("Teilnehmende") if which == "participants" else _("Projekte")
        return (
            to_xlsx(header, rows, title),
            XLSX_MIMETYPE,
            f"{name}.xlsx",
        )
    return to_csv(header, rows), CSV_MIMETYPE, f"{name}.csv"
