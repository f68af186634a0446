"""Forms of the judge's score sheet, the chair's decision and the rubric editor."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    FloatField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from compmgr.forms import BaseForm


def score_form(criteria, **kwargs):
    """Build the score sheet form: one field ``c<id>`` per criterion and a note."""

    class ScoreForm(BaseForm):
        note = TextAreaField(_l("Notiz (nur für die Jury)"), validators=[Length(max=5000)])
        save = SubmitField(_l("Zwischenspeichern"))
        finish = SubmitField(_l("Bewertung abschließen"))

    for c in criteria:
        setattr(
            ScoreForm,
            f"c{c.id}",
            IntegerField(
                c.name,
                description=c.description,
                validators=[
                    Optional(),
                    NumberRange(
                        c.scale_min,
                        c.scale_max,
                        message=_l(
                            "Bitte einen Wert von %(lo)d bis %(hi)d wählen.",
                            lo=c.scale_min,
                            hi=c.scale_max,
                        ),
                    ),
                ],
            ),
        )
    return ScoreForm(**kwargs)


class CriterionForm(BaseForm):
    group = StringField(
        _l("Gruppe"),
        validators=[DataRequired(_l("Bitte eine Gruppe angeben.")), Length(max=100)],
        description=_l("z. B. Problemstellung, Methode/Durchführung"),
    )
    name = StringField(
        _l("Kriterium"),
        validators=[DataRequired(_l("Bitte einen Namen angeben.")), Length(max=200)],
    )
    description = TextAreaField(_l("Beschreibung für die Jury"), validators=[Length(max=500)])
    weight = FloatField(
        _l("Gewicht"),
        default=1.0,
        validators=[
            InputRequired(_l("Bitte ein Gewicht angeben.")),
            NumberRange(0.1, 100, _l("Das Gewicht muss zwischen 0,1 und 100 liegen.")),
        ],
    )
    scale_min = IntegerField(
        _l("Skala von"),
        default=0,
        validators=[
            InputRequired(_l("Bitte den kleinsten Wert angeben.")),
            NumberRange(0, 100, _l("Bitte 0 bis 100 eingeben.")),
        ],
    )
    scale_max = IntegerField(
        _l("Skala bis"),
        default=10,
        validators=[
            InputRequired(_l("Bitte den größten Wert angeben.")),
            NumberRange(1, 100, _l("Bitte 1 bis 100 eingeben.")),
        ],
    )
    division_id = SelectField(_l("Sparte"), choices=[], coerce=str)
    submit = SubmitField(_l("Speichern"))

    def validate_scale_max(self, field):
        if (
            self.scale_min.data is not None
            and field.data is not None
            and field.data <= self.scale_min.data
        ):
            raise ValidationError(_l("Der größte Wert muss über dem kleinsten liegen."))


class ResetScoresForm(BaseForm):
    confirm = StringField(
        _l("Zur Bestätigung ZURÜCKSETZEN eintippen"),
        validators=[DataRequired(_l("Bitte zur Bestätigung ZURÜCKSETZEN eintippen."))],
    )
    submit = SubmitField(_l("Alle Bewertungen löschen"))

    def validate_confirm(self, field):
        if (field.data or "").strip().upper() != "ZURÜCKSETZEN":
            raise ValidationError(_l("Bitte genau ZURÜCKSETZEN eintippen."))
