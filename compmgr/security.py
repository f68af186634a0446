"""Request hygiene that holds for every form: hostile input gets a clear 400, never a 500."""

from flask import render_template, request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField as WtfFileField
from sqlalchemy.exc import DataError
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import FileField, MultipleFileField

from compmgr.extensions import db

FILE_FIELDS = (FileField, WtfFileField, MultipleFileField)


def wrap_formdata(self, form, formdata):
    """Give uploads only to file fields and text only to the rest; no JSON into HTML forms.

    Flask-WTF hands every form the files and the fields of a request mixed together, so a file
    part named like a date field crashes WTForms when the page is shown again; a JSON body that
    is no flat object does too. Neither comes from our pages.
    """
    from flask_wtf.form import _Auto, _is_submitted

    if formdata is not _Auto:
        return formdata
    if not _is_submitted() or request.is_json:
        return None
    file_names = {field.name for field in form if isinstance(field, FILE_FIELDS)}
    if not request.files:
        return request.form
    files = MultiDict([(k, v) for k, v in request.files.items(multi=True) if k in file_names])
    text = MultiDict([(k, v) for k, v in request.form.items(multi=True) if k not in file_names])
    return CombinedMultiDict((files, text))


def _has_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def refuse_nul_bytes():
    """Refuse input with NUL characters: no one types them, and PostgreSQL cannot store them."""
    if request.method in ("GET", "HEAD", "OPTIONS") and "\x00" not in request.query_string.decode(
            "latin-1"):
        return None
    values = [*request.args.values(), *request.args.keys()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.keys(), *(v for vs in request.form.listvalues() for v in vs)]
    elif request.is_json:
        values.append(request.get_json(silent=True))
    if any(_has_nul(v) for v in values) or "%00" in request.query_string.decode("latin-1"):
        return render_template("errors/400.html", error=None), 400
    return None


def register(app):
    """Install the form-data guard, the NUL check and the handler for values the database refuses."""
    FlaskForm.Meta.wrap_formdata = wrap_formdata
    app.before_request(refuse_nul_bytes)

    @app.errorhandler(DataError)
    def value_refused(error):
        """A value too long or out of range for its column: say so instead of a server error."""
        db.session.rollback()
        app.logger.warning("value refused by the database (%s) on %s", type(error.orig).__name__, request.endpoint)
        if request.is_json:
            return {"ok": False, "error": "invalid"}, 422
        return render_template("errors/422.html"), 422
