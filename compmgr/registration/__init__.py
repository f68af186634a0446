"""Schools register participants and projects; organisers review, import and export."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from compmgr.audit.labels import register_labels
from compmgr.registration.models import Project, ProjectStatus, School

bp = Blueprint("registration", __name__, url_prefix="/c/<int:cid>", cli_group=None)

register_labels(
    actions={
        "project.status": _l("Status des Projekts geändert"),
        "project.subject": _l("Fachgebiet des Projekts geändert"),
        "project.promote": _l("Projekt hochgestuft"),
        "project.unpromote": _l("Hochstufung zurückgenommen"),
        "stands.number": _l("Stände nummeriert"),
        "school.extend": _l("Anmeldung für eine Schule verlängert"),
        "school.create": _l("Schule angelegt"),
        "project.correct": _l("Anmeldung von der Wettbewerbsleitung korrigiert"),
        "project.create_by_organiser": _l("Projekt von der Wettbewerbsleitung angemeldet"),
        "participant.correct": _l("Person von der Wettbewerbsleitung korrigiert"),
        "participant.create_by_organiser": _l("Person von der Wettbewerbsleitung angemeldet"),
    },
    fields={
        "title": _l("Titel"),
        "team": _l("Team"),
        "speaker": _l("Gruppensprecher(in)"),
        "city": _l("Ort"),
        "school_name": _l("Schule"),
        "fields": _l("Weitere geänderte Angaben"),
        "subject": _l("Fachgebiet"),
        "abstract": _l("Kurzfassung"),
        "supervisor_name": _l("Betreuer(in)"),
        "supervisor_email": _l("E-Mail der Betreuerin / des Betreuers"),
        "needs_space": _l("Platzbedarf"),
        "needs_power": _l("Strom"),
        "needs_water": _l("Wasser"),
        "needs_gas": _l("Gas"),
        "needs_notes": _l("Weitere Bedürfnisse"),
        "involves_animals": _l("Versuche mit Tieren"),
        "patent_consultation": _l("Patentberatung"),
        "remote_link": _l("Video-Link"),
        "only_missing": _l("Nur Projekte ohne Stand"),
    },
    values={"status": lambda value: ProjectStatus(value).label},
    names={"Project": (Project, lambda p: p.stand_title), "School": (School, lambda s: s.label)},
)

from compmgr.registration import (  # noqa: E402,F401  (routes and commands on bp, imported last)
    commands,
    correction_views,
    import_export_views,
    project_views,
    review_views,
    school_views,
)
