"""Forms of the privacy pages: the notices and the confirmation of a deletion."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import ValidationError

from compmgr.forms import BaseForm

MAX_BODY = 50_000


class SitePageForm(BaseForm):
    title = StringField(_l("Überschrift"))
    body = TextAreaField(
        _l("Text"),
        description=_l(
            "Absätze durch eine Leerzeile trennen. Der Text wird so angezeigt, wie er "
            "hier steht (kein HTML)."
        ),
    )

    def validate_title(self, field):
        field.data = (field.data or "").strip()
        if not field.data:
            raise ValidationError(_l("Bitte eine Überschrift eingeben."))
        if len(field.data) > 200:
            raise ValidationError(_l("Die Überschrift darf höchstens 200 Zeichen lang sein."))

    def validate_body(self, field):
        field.data = (field.data or "").strip()
        if not field.data:
            raise ValidationError(_l("Bitte den Text der Seite eingeben."))
        if len(field.data) > MAX_BODY:
            raise ValidationError(_l("Der Text darf höchstens 50 000 Zeichen lang sein."))


class DeleteParticipantForm(BaseForm):
    confirm = BooleanField(
        _l("Ich habe die Folgen gelesen. Die Person soll endgültig gelöscht werden.")
    )

    def validate_confirm(self, field):
        if not field.data:
            raise ValidationError(_l("Bitte bestätigen Sie, dass die Person gelöscht werden soll."))
