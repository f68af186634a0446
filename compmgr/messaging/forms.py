"""Forms of messaging: a school's mail preference, the organiser's texts and messages."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from compmgr.forms import REQUIRED, BaseForm
from compmgr.messaging.render import check_text


class SchoolMailForm(BaseForm):
    essential_only = BooleanField(
        _l("Nur notwendige E-Mails"),
        description=_l(
            "Dann schicken wir keine Erinnerungen, Rundschreiben und Ergebnis-Hinweise mehr, "
            "nur was Ihre Anmeldung betrifft (Eingang, Zulassung, Änderungen, Stand)."
        ),
    )
    submit = SubmitField(_l("Speichern"))


class UnsubscribeForm(BaseForm):
    submit = SubmitField(_l("Keine weiteren Rundmails"))


class TemplateForm(BaseForm):
    """An organiser's own text for one kind of mail; it must render with example data."""

    subject = StringField(
        _l("Betreff"), validators=[DataRequired(message=REQUIRED), Length(max=300)]
    )
    body = TextAreaField(_l("Text"), validators=[DataRequired(message=REQUIRED), Length(max=20000)])
    preview = SubmitField(_l("Vorschau"))
    save = SubmitField(_l("Speichern"))

    def __init__(self, kind, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def validate_body(self, field):
        error = check_text(self.kind, self.subject.data or "", field.data or "")
        if error:
            raise ValidationError(_l("Der Text lässt sich nicht einsetzen: %(error)s", error=error))


class MessageForm(BaseForm):
    """A message to a selection; {{ name }} and the other placeholders are filled in per person."""

    selection = SelectField(_l("An"), choices=[])
    subject_id = SelectField(_l("Fachgebiet"), coerce=int, choices=[], validate_choice=False)
    jury_id = SelectField(_l("Jury"), coerce=int, choices=[], validate_choice=False)
    subject = StringField(
        _l("Betreff"), validators=[DataRequired(message=REQUIRED), Length(max=300)]
    )
    body = TextAreaField(
        _l("Text"),
        validators=[DataRequired(message=REQUIRED), Length(max=20000)],
        description=_l("Platzhalter: {{ name }}, {{ school }}, {{ competition }}, {{ link }}"),
    )
    essential = BooleanField(
        _l("Notwendige Mitteilung"),
        description=_l("Geht auch an Schulen, die nur notwendige E-Mails wünschen."),
    )
    preview = SubmitField(_l("Vorschau"))
    send = SubmitField(_l("Senden"))


class StandInfoForm(BaseForm):
    """Send every school its stand numbers with the day's information."""

    info = TextAreaField(
        _l("Hinweise zum Wettbewerbstag"),
        validators=[Length(max=5000)],
        description=_l("z. B. Aufbauzeiten, Anfahrt, was mitzubringen ist"),
    )
    submit = SubmitField(_l("Standnummern an alle Schulen senden"))
