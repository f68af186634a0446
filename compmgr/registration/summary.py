"""Gather plain data for the confirmation PDF."""

from flask_babel import gettext as _
from flask_babel import pgettext

from compmgr.registration import services


def confirmation_data(competition, school, projects, printed_at):
    """Describe a school's projects in words for the confirmation."""
    # The PDF layer brings ReportLab: loaded when a confirmation is made, not at app start.
    from compmgr.pdf.confirmation import ConfirmationData, ConfirmationProject

    items = []
    for p in projects:
        members = []
        for m in p.members:
            person = m.participant
            text = _(
                "%(name)s, geboren %(birth)s, Klasse %(grade)s",
                name=person.full_name,
                birth=person.birth_date.strftime("%d.%m.%Y"),
                grade=person.grade,
            )
            if m.is_speaker:
                text += " – " + _("Gruppensprecher(in)")
            members.append(text)
        items.append(
            ConfirmationProject(
                title=p.title,
                subject=p.subject.name,
                division=p.division.name if p.division else "–",
                status=str(p.status_enum.label),
                members=members,
                missing=[str(x) for x in services.missing_items(p)],
            )
        )
    return ConfirmationData(
        competition=competition.title,
        school=school.label,
        printed_at=printed_at,
        projects=items,
        heading=_("Anmeldebestätigung"),
        labels={
            "school": _("Schule"),
            "printed": pgettext("Datum", "Stand"),
            "subject": _("Fachgebiet"),
            "division": _("Sparte"),
            "missing": _("Es fehlt noch"),
        },
    )
