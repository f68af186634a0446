"""Forms of the judge's score sheet, the chair's decision and the rubric editor."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)


def score_form(criteria, **kwargs):
    """Build the score sheet form: one field ``c<id>`` per criterion and a note."""

    class ScoreForm(FlaskForm):
        note = TextAreaField(_l("Notiz (nur für die Jury)"), validators=[Length(max=5000)])
        save = SubmitField(_l("Zwischenspeichern"))
        finish = SubmitField(_l("Bewertung abschließen"))

    for c in criteria:
        setattr(ScoreForm, f"c{c.id}", IntegerField(
            c.name, description=c.description,
            validators=[Optional(), NumberRange(
                c.scale_min, c.scale_max,
                message=_l("Bitte einen Wert von %(lo)d bis %(hi)d wählen.",
                           lo=c.scale_min, hi=c.scale_max))],
        ))
    return ScoreForm(**kwargs)


class CriterionForm(FlaskForm):
    group = StringField(_l("Gruppe"), validators=[DataRequired(_l("Bitte eine Gruppe angeben.")),
                                                  Length(max=100)],
                        description=_l("z. B. Problemstellung, Methode/Durchführung"))
    name = StringField(_l("Kriterium"), validators=[DataRequired(_l("Bitte einen Namen angeben.")),
                                                    Length(max=200)])
    description = TextAreaField(_l("Beschreibung für die Jury"), validators=[Length(max=500)])
    weight = FloatField(_l("Gewicht"), default=1.0,
                        validators=[InputRequired(_l("Bitte ein Gewicht angeben.")),
                                    NumberRange(0.1, 100, _l("Das Gewicht muss zwischen 0,1 und 100 liegen."))])
    scale_min = IntegerField(_l("Skala von"), default=0,
                             validators=[InputRequired(_l("Bitte den kleinsten Wert angeben.")),
                                         NumberRange(0, 100, _l("Bitte 0 bis 100 eingeben."))])
    scale_max = IntegerField(_l("Skala bis"), default=10,
                             validators=[InputRequired(_l("Bitte den größten Wert angeben.")),
                                         NumberRange(1, 100, _l("Bitte 1 bis 100 eingeben."))])
    division_id = SelectField(_l("Sparte"), choices=[], coerce=str)
    submit = SubmitField(_l("Speichern"))

    def validate_scale_max(self, field):
        if self.scale_min.data is not None and field.data is not None and field.data <= self.scale_min.data:
            raise ValidationError(_l("Der größte Wert muss über dem kleinsten liegen."))


class ResetScoresForm(FlaskForm):
    confirm = StringField(_l("Zur Bestätigung ZURÜCKSETZEN eintippen"),
                          validators=[DataRequired(_l("Bitte zur Bestätigung ZURÜCKSETZEN eintippen."))])
    submit = SubmitField(_l("Alle Bewertungen löschen"))

    def validate_confirm(self, field):
        if (field.data or "").strip().upper() != "ZURÜCKSETZEN":
            raise ValidationError(_l("Bitte genau ZURÜCKSETZEN eintippen."))


PRIZE_CHOICES = [SelectChoice("", _l("kein Preis")), SelectChoice("1", _l("1. Preis")),
                 SelectChoice("2", _l("2. Preis")), SelectChoice("3", _l("3. Preis"))]


def decision_form(project_ids, check, **kwargs):
    """Build the chair's decision form: place, prize, Regionalsieg and reason per project.

    ``check(form)`` returns {project_id or "form": message} from the decision rules.
    """

    class DecisionForm(FlaskForm):
        tie_decided = BooleanField(_l("Die Jury hat einen Gleichstand ausdrücklich beschlossen"))
        submit = SubmitField(_l("Entscheidung speichern"))

        def validate(self, extra_validators=None):
            ok = super().validate(extra_validators)
            if not ok:
                return False
            errors = check(self)
            for key, message in errors.items():
                if key == "form":
                    self.form_errors.append(message)
                else:
                    field = getattr(self, f"reason_{key}")
                    field.errors = [*field.errors, message]
            return not errors

    for pid in project_ids:
        setattr(DecisionForm, f"place_{pid}", IntegerField(
            _l("Platz"), validators=[InputRequired(_l("Bitte einen Platz eintragen.")),
                                     NumberRange(1, 1000, _l("Bitte einen Platz ab 1 eintragen."))]))
        setattr(DecisionForm, f"prize_{pid}", SelectField(_l("Preis"), choices=PRIZE_CHOICES))
        setattr(DecisionForm, f"qualified_{pid}", BooleanField(_l("Regionalsieg")))
        setattr(DecisionForm, f"reason_{pid}", StringField(_l("Begründung"),
                                                           validators=[Length(max=500)]))
    return DecisionForm(**kwargs)
