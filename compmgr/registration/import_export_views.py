"""The organiser's import and export pages."""

from io import BytesIO

from flask import abort, flash, g, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from compmgr.audit.access_log import log_access
from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.database import reads_first
from compmgr.extensions import db
from compmgr.registration import bp, exports, import_format, imports, people
from compmgr.registration.forms import ImportForm


@bp.route("/org/entries/import", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
@reads_first  # reading and checking the file take no write lock; imports.import_file takes it to write
def import_file(cid):
    """Import registrations from a CSV or XLSX file, all or nothing."""
    form = ImportForm()
    errors, result, status = [], None, 200
    if form.validate_on_submit():
        try:
            data = import_format.read_upload(form.file.data)
            result = imports.import_file(g.competition, data, user=current_user)
            db.session.commit()
            flash(result.summary(), "success")
        except import_format.FileRefused as exc:  # the file as a whole: said next to its field
            db.session.rollback()
            form.file.errors.extend(
                _("Zeile %(n)s: %(message)s", n=line, message=message) if line else message
                for line, message in exc.errors
            )
            status = 413 if exc.too_large else 422
        except imports.ImportFailed as exc:
            db.session.rollback()
            errors, status = exc.errors, 422
    elif request.method == "POST":
        status = 422
    return render_template(
        "registration/review/import.html",
        form=form,
        errors=errors,
        result=result,
        columns=import_format.COLUMNS,
        optional=import_format.OPTIONAL_COLUMNS,
    ), status


@bp.route("/org/entries/export")
@role_required(Role.ORGANISER)
def export(cid):
    """Download participants or projects as CSV or XLSX (?table=participants&format=xlsx)."""
    which = request.args.get("table", "participants")
    fmt = request.args.get("format", "csv")
    if which not in exports.TABLES or fmt not in exports.FORMATS:
        abort(404)
    data, mimetype, name = exports.export(g.competition, which, fmt)
    log_access(current_user, "export", people.competition_participant_ids(cid), competition_id=cid)
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


@bp.route("/org/entries/import/template.<fmt>", endpoint="import_template")
@role_required(Role.ORGANISER)
def import_template(cid, fmt):
    """Download an empty import file (CSV or XLSX) with the documented column titles."""
    if fmt not in import_format.TEMPLATE_FORMATS:
        abort(404)
    data, mimetype, name = import_format.template_file(fmt)
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
