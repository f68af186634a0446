"""Forms of the day plan: days, settings, jury slot lengths, halls and stands, consultants,
and a judge's availability windows (one text per judging day)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from compmgr.competitions.services import parse_breaks
from compmgr.forms import REQUIRED, BaseForm
from compmgr.judging.plan_services import parse_numbers

TIMES_HINT = _l("z. B. „09:00-12:00, 14:00-16:00“; leer: an diesem Tag nicht da")


def _check_spans(text):
    try:
        parse_breaks(text or "")
    except ValueError as exc:
        raise ValidationError(_l("Bitte Zeiten wie „09:00-12:00, 14:00-16:00“ angeben.")) from exc


class DayForm(BaseForm):
    day = DateField(_l("Tag"), validators=[InputRequired(REQUIRED)])
    starts_at = TimeField(_l("Beginn der Standbesuche"), validators=[InputRequired(REQUIRED)])
    ends_at = TimeField(_l("Ende der Standbesuche"), validators=[InputRequired(REQUIRED)])
    breaks = StringField(
        _l("Pausen"),
        validators=[Length(max=200)],
        description=_l("z. B. „12:30-13:15“, mehrere mit Komma"),
    )
    submit = SubmitField(_l("Tag speichern"))

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("Das Ende muss nach dem Beginn liegen."))

    def validate_breaks(self, field):
        _check_spans(field.data)


class PlanSettingsForm(BaseForm):
    buffer_minutes = IntegerField(
        _l("Puffer zwischen zwei Besuchen (Minuten)"),
        default=5,
        validators=[InputRequired(REQUIRED), NumberRange(0, 60, _l("0 bis 60 Minuten."))],
    )
    safeguarding_note = TextAreaField(
        _l("Hinweis zum Schutz bei Online-Präsentationen"),
        validators=[Length(max=1000)],
        description=_l(
            "Wird den Juror:innen bei jeder Online-Präsentation gezeigt, z. B. „Zwei Erwachsene "
            "sind anwesend. Aufzeichnung nur mit Einwilligung.“"
        ),
    )
    submit = SubmitField(_l("Speichern"))


class JurySlotForm(BaseForm):
    jury_id = SelectField(_l("Jury"), coerce=int, choices=[])
    slot_minutes = IntegerField(
        _l("Minuten je Besuch"),
        default=20,
        validators=[InputRequired(REQUIRED), NumberRange(5, 120, _l("5 bis 120 Minuten."))],
    )
    submit = SubmitField(_l("Besuchsdauer speichern"))


class HallForm(BaseForm):
    name = StringField(_l("Halle oder Raum"), validators=[DataRequired(REQUIRED), Length(max=100)])
    submit = SubmitField(_l("Halle anlegen"))


class StandsForm(BaseForm):
    hall_id = SelectField(_l("Halle"), coerce=int, choices=[])
    numbers = StringField(
        _l("Standnummern"),
        validators=[DataRequired(REQUIRED), Length(max=500)],
        description=_l("z. B. „A01-A20“ oder „A01, A02, A05“"),
    )
    power = BooleanField(_l("Strom"))
    water = BooleanField(_l("Wasser"))
    gas = BooleanField(_l("Gas"))
    space = BooleanField(_l("Extra Platz"))
    submit = SubmitField(_l("Stände anlegen"))

    def validate_numbers(self, field):
        try:
            if not parse_numbers(field.data or ""):
                raise ValueError
        except ValueError as exc:
            raise ValidationError(
                _l("Bitte Nummern wie „A01-A20“ oder „A01, A02“ angeben.")
            ) from exc


class NumberStandsForm(BaseForm):
    only_missing = BooleanField(_l("Nur Projekte ohne Stand"), default=True)
    submit = SubmitField(_l("Stände nach Ausstattung zuteilen"))


def windows_form(days, base, formdata=True, data=None):
    """Build a form with one text field per judging day (``day_<id>``) on top of ``base``."""

    class Form(base):
        pass

    for row in days:
        setattr(
            Form,
            f"day_{row.id}",
            StringField(
                row.day.strftime("%d.%m.%Y") + f" ({row.starts_at:%H:%M}–{row.ends_at:%H:%M})",
                validators=[Length(max=200)],
                description=TIMES_HINT,
            ),
        )

    def validate(self, extra_validators=None):
        ok = base.validate(self, extra_validators)
        for row in days:
            field = self[f"day_{row.id}"]
            try:
                spans = parse_breaks(field.data or "")
            except ValueError:
                field.errors = list(field.errors) + [
                    _l("Bitte Zeiten wie „09:00-12:00, 14:00-16:00“ angeben.")
                ]
                ok = False
                continue
            if any(a < row.starts_at or b > row.ends_at for a, b in spans):
                field.errors = list(field.errors) + [
                    _l("Die Zeiten müssen innerhalb der Stunden dieses Tages liegen.")
                ]
                ok = False
        return ok

    Form.validate = validate
    if formdata:
        return Form()
    return Form(formdata=None, data=data or {})


class WindowsBase(BaseForm):
    always = BooleanField(_l("Ohne Einschränkung – an allen Tagen die ganze Zeit da"))
    submit = SubmitField(_l("Verfügbarkeit speichern"))


class ConsultantBase(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    organisation = StringField(_l("Kanzlei / Organisation"), validators=[Length(max=200)])
    place = StringField(_l("Ort der Beratung"), validators=[Length(max=200)])
    slot_minutes = IntegerField(
        _l("Minuten je Beratung"),
        default=30,
        validators=[InputRequired(REQUIRED), NumberRange(10, 120, _l("10 bis 120 Minuten."))],
    )
    submit = SubmitField(_l("Berater:in anlegen"))


class RequestForm(BaseForm):
    project_id = SelectField(_l("Projekt"), coerce=int, choices=[])
    submit = SubmitField(_l("Beratung hinzufügen"))

    def validate_project_id(self, field):
        if not field.data:
            raise ValidationError(_l("Bitte wählen Sie ein Projekt aus."))
