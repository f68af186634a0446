"""Published results, the award ceremony, publishing and the next-level export and import.

Who sees what: the results page ``/c/<cid>/results`` is public once the organiser has
published (anyone, no login); before that only the competition's organisers see it, as a
preview, and everyone else gets 404. The ceremony view is for organisers only. Both show
decisions of locked juries only and a name only with the person's publication consent.
"""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from compmgr import spreadsheets
from compmgr.audit.access_log import log_access
from compmgr.auth.access import public, role_required
from compmgr.auth.models import Role
from compmgr.competitions.models import Competition
from compmgr.database import reads_first, writing
from compmgr.extensions import db
from compmgr.results import bp, nextlevel, publishing
from compmgr.results.forms import ImportForm
from compmgr.spreadsheets import CSV_MIMETYPE, XLSX_MIMETYPE
from compmgr.utils import send_download


@bp.route("/c/<int:cid>/results")
@public
def results_page(cid):
    """Show the published results; organisers see a preview before publication."""
    competition = db.session.get(Competition, cid)
    if competition is None:
        abort(404)
    preview = not publishing.is_published(competition)
    if preview and not publishing.is_organiser(current_user, competition):
        abort(404)
    return render_template(
        "results/public.html",
        competition=competition,
        preview=preview,
        groups=publishing.jury_groups(competition),
        special_prizes=[(p, e) for p, e in publishing.special_prizes(competition) if e],
    )


@bp.route("/c/<int:cid>/ceremony")
@role_required(Role.ORGANISER)
def ceremony(cid):
    """Show the award ceremony full screen, one prize at a time."""
    return render_template(
        "results/ceremony.html", slides=publishing.ceremony_slides(g.competition)
    )


@bp.route("/c/<int:cid>/org/publish")
@role_required(Role.ORGANISER)
def publish_overview(cid):
    """Show the state of publication, the juries still open and the next-level export."""
    return render_template(
        "results/publish.html",
        unlocked=publishing.unlocked_juries(g.competition),
        published=publishing.is_published(g.competition),
        qualified=nextlevel.qualified_projects(g.competition),
    )


@bp.route("/c/<int:cid>/org/publish/qualified.<any(csv, xlsx):fmt>")
@role_required(Role.ORGANISER)
def export_qualified(cid, fmt):
    """Download the qualified projects with their teams for the next level."""
    rows = nextlevel.export_rows(g.competition)
    log_access(current_user, "export", [r["participant_id"] for r in rows], competition_id=cid)
    name = f"regionalsieger-{g.competition.id}.{fmt}"
    if fmt == "csv":
        return send_download(nextlevel.to_csv(rows), name, CSV_MIMETYPE)
    return send_download(nextlevel.to_xlsx(rows), name, XLSX_MIMETYPE)


def nextlevel_summary(result):
    """Say how many projects the import created and skipped, each in singular or plural."""
    parts = [
        ngettext("%(num)d Projekt neu", "%(num)d Projekte neu", result.created),
        ngettext(
            "%(num)d Projekt schon vorhanden", "%(num)d Projekte schon vorhanden", result.skipped
        ),
    ]
    return _("Importiert: %(details)s.", details=", ".join(parts))


@bp.route("/c/<int:cid>/org/publish/import", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
@reads_first  # reading and checking the file take no write lock; only the write does
def import_qualified(cid):
    """Import the qualified projects of the previous level from its export file."""
    form = ImportForm()
    errors, status = [], 200
    if form.validate_on_submit():
        try:
            rows = nextlevel.read_table(spreadsheets.read_upload(form.file.data))
        except ValueError as exc:  # the file as a whole: said next to its field
            line = getattr(exc, "line", 0)
            form.file.errors.append(
                _("Zeile %(n)s: %(message)s", n=line, message=str(exc)) if line else str(exc)
            )
            status = 413 if isinstance(exc, spreadsheets.FileTooLarge) else 422
        else:
            result = nextlevel.check_rows(g.competition, rows)
            errors = result.errors
            if result.level_warning and not form.accept_level.data:
                form.accept_level.errors.append(result.level_warning)
            elif not errors:
                with writing():
                    nextlevel.write_rows(g.competition, result)
                db.session.commit()
                flash(nextlevel_summary(result), "success")
                if result.level_warning:
                    flash(result.level_warning, "warning")
                return redirect(url_for(".import_qualified", cid=cid))
            status = 422
        db.session.rollback()
    elif request.method == "POST":
        status = 422
    return render_template("results/import.html", form=form, errors=errors), status
