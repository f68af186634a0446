"""Forms for special prizes, awarding them, and importing the next level's entries."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from compmgr.forms import REQUIRED


class SpecialPrizeForm(FlaskForm):
    name = StringField(_l("Name des Sonderpreises"), validators=[DataRequired(REQUIRED), Length(max=200)],
                       description=_l("z. B. Sonderpreis Umwelttechnik"))
    sponsor = StringField(_l("Stifter"), validators=[Length(max=200)],
                          description=_l("Wer den Preis stiftet, z. B. Stadtwerke Musterstadt"))
    amount = StringField(_l("Preis / Betrag"), validators=[Length(max=50)],
                         description=_l("z. B. 150 € oder Forschungspraktikum"))
    description = TextAreaField(_l("Beschreibung"), validators=[Length(max=1000)])
    submit = SubmitField(_l("Speichern"))

    def validate_name(self, field):
        if field.data and not field.data.strip():
            raise ValidationError(REQUIRED)


class AwardForm(FlaskForm):
    project_id = SelectField(_l("Projekt"), coerce=int, choices=[],
                             validate_choice=True)
    submit = SubmitField(_l("Preis vergeben"))

    def validate_project_id(self, field):
        if not field.data:
            raise ValidationError(_l("Bitte wählen Sie ein Projekt aus."))


class ImportForm(FlaskForm):
    file = FileField(_l("Datei der Regionalsieger (CSV oder XLSX)"),
                     validators=[FileRequired(_l("Bitte wählen Sie eine Datei aus."))],
                     description=_l("Die Exportdatei des vorigen Wettbewerbs, unverändert oder in Excel bearbeitet."))
    accept_level = BooleanField(_l("Auch importieren, wenn der Herkunftswettbewerb nicht die Ebene davor ist"))
    submit = SubmitField(_l("Importieren"))

    def validate_file(self, field):
        name = (field.data.filename or "").lower() if field.data else ""
        if field.data and not name.endswith((".csv", ".xlsx")):
            raise ValidationError(_l("Bitte eine CSV- oder XLSX-Datei hochladen."))
