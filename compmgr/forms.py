"""Form pieces every feature shares: the base form and the common messages."""

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField as WtfFileField
from flask_wtf.form import SUBMIT_METHODS
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import FileField, MultipleFileField

from compmgr import text

REQUIRED = _l("Dieses Feld ist erforderlich.")
FILE_FIELDS = (FileField, WtfFileField, MultipleFileField)


class BaseForm(FlaskForm):
    """The form every page uses: CSRF from Flask-WTF, plus two guards for hostile input."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            """Give uploads only to file fields and text only to the rest; no JSON into HTML forms.

            Flask-WTF hands every form the files and the fields of a request mixed together, so a
            file part named like a date field crashes WTForms when the page is shown again; a JSON
            body that is no flat object does too. Neither comes from our pages. Data a caller
            passes (a multidict, or None) is used as it is.
            """
            if formdata is None or hasattr(formdata, "getlist"):
                return formdata
            if not has_request_context() or request.method not in SUBMIT_METHODS or request.is_json:
                return None
            if not request.files:
                return request.form
            file_names = {field.name for field in form if isinstance(field, FILE_FIELDS)}
            files = MultiDict(
                [(k, v) for k, v in request.files.items(multi=True) if k in file_names]
            )
            fields = MultiDict(
                [(k, v) for k, v in request.form.items(multi=True) if k not in file_names]
            )
            return CombinedMultiDict((files, fields))

        def bind_field(self, form, unbound_field, options):
            """Bind a field; names and titles lose bidi controls (see text.bind_field)."""
            return text.bind_field(self, form, unbound_field, options)
