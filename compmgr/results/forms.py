"""Forms of the jury's decision and its unlock, special prizes, and the next level's import."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from compmgr.forms import REQUIRED, BaseForm


class SpecialPrizeForm(BaseForm):
    name = StringField(
        _l("Name des Sonderpreises"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
        description=_l("z. B. Sonderpreis Umwelttechnik"),
    )
    sponsor = StringField(
        _l("Stifter"),
        validators=[Length(max=200)],
        description=_l("Wer den Preis stiftet, z. B. Stadtwerke Musterstadt"),
    )
    amount = StringField(
        _l("Preis / Betrag"),
        validators=[Length(max=50)],
        description=_l("z. B. 150 € oder Forschungspraktikum"),
    )
    description = TextAreaField(_l("Beschreibung"), validators=[Length(max=1000)])
    submit = SubmitField(_l("Speichern"))

    def validate_name(self, field):
        if field.data and not field.data.strip():
            raise ValidationError(REQUIRED)


class AwardForm(BaseForm):
    project_id = SelectField(_l("Projekt"), coerce=int, choices=[], validate_choice=True)
    submit = SubmitField(_l("Preis vergeben"))

    def validate_project_id(self, field):
        if not field.data:
            raise ValidationError(_l("Bitte wählen Sie ein Projekt aus."))


class ImportForm(BaseForm):
    file = FileField(
        _l("Datei der Regionalsieger (CSV oder XLSX)"),
        validators=[FileRequired(_l("Bitte wählen Sie eine Datei aus."))],
        description=_l(
            "Die Exportdatei des vorigen Wettbewerbs, unverändert oder in Excel bearbeitet."
        ),
    )
    accept_level = BooleanField(
        _l("Auch importieren, wenn der Herkunftswettbewerb nicht die Ebene davor ist")
    )
    submit = SubmitField(_l("Importieren"))

    def validate_file(self, field):
        name = (field.data.filename or "").lower() if field.data else ""
        if field.data and not name.endswith((".csv", ".xlsx")):
            raise ValidationError(_l("Bitte eine CSV- oder XLSX-Datei hochladen."))


class UnlockJuryForm(BaseForm):
    reason = TextAreaField(
        _l("Grund"),
        validators=[
            DataRequired(
                _l("Bitte geben Sie den Grund an, z. B. welcher Fehler korrigiert werden soll.")
            ),
            Length(max=1000),
        ],
        description=_l("Steht im Protokoll und wird dem Juryvorsitz angezeigt."),
    )
    confirm = BooleanField(
        _l(
            "Ja, die Jury wieder öffnen. Bewertungen und Entscheidung lassen sich dann "
            "wieder ändern, bis der Juryvorsitz erneut abschließt."
        )
    )
    submit = SubmitField(_l("Jury wieder öffnen"))

    def validate_confirm(self, field):
        if not field.data:
            raise ValidationError(
                _l("Bitte bestätigen Sie, dass die Jury wieder geöffnet werden soll.")
            )


PRIZE_CHOICES = [
    SelectChoice("", _l("kein Preis")),
    SelectChoice("1", _l("1. Preis")),
    SelectChoice("2", _l("2. Preis")),
    SelectChoice("3", _l("3. Preis")),
]


def decision_form(project_ids, check, **kwargs):
    """Build the chair's decision form: place, prize, Regionalsieg and reason per project.

    ``check(form)`` returns {project_id or "form": message} from the decision rules.
    """

    class DecisionForm(BaseForm):
        tie_decided = BooleanField(_l("Die Jury hat einen Gleichstand ausdrücklich beschlossen"))
        submit = SubmitField(_l("Entscheidung speichern"))
        lock = SubmitField(_l("Jury abschließen"))

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
        setattr(
            DecisionForm,
            f"place_{pid}",
            IntegerField(
                _l("Platz"),
                validators=[
                    InputRequired(_l("Bitte einen Platz eintragen.")),
                    NumberRange(1, 1000, _l("Bitte einen Platz ab 1 eintragen.")),
                ],
            ),
        )
        setattr(DecisionForm, f"prize_{pid}", SelectField(_l("Preis"), choices=PRIZE_CHOICES))
        setattr(DecisionForm, f"qualified_{pid}", BooleanField(_l("Regionalsieg")))
        setattr(
            DecisionForm,
            f"reason_{pid}",
            StringField(_l("Begründung"), validators=[Length(max=500)]),
        )
    return DecisionForm(**kwargs)
