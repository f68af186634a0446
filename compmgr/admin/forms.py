"""Forms for creating and configuring competitions."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from compmgr.competitions.models import Level
from compmgr.competitions.services import parse_breaks
from compmgr.forms import REQUIRED, BaseForm


def level_choices():
    return [(lv.value, lv.label) for lv in Level]


class CompetitionCreateForm(BaseForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
        description=_l("z. B. Regionalwettbewerb Musterstadt"),
    )
    round_year = IntegerField(
        _l("Wettbewerbsrunde (Jahr)"),
        validators=[
            InputRequired(_l("Bitte geben Sie das Jahr der Runde an, z. B. 2027.")),
            NumberRange(2000, 2100, _l("Bitte ein Jahr zwischen 2000 und 2100 angeben.")),
        ],
    )
    level = SelectField(_l("Ebene"), choices=level_choices)
    copy_from = SelectField(
        _l("Einstellungen übernehmen von"),
        coerce=int,
        choices=[],
        description=_l(
            "Übernimmt Regeln, Sparten, Fachgebiete und Bewertungsbogen, keine Personen."
        ),
    )
    submit = SubmitField(_l("Wettbewerb anlegen"))


class CompetitionSettingsForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    level = SelectField(_l("Ebene"), choices=level_choices)
    host = StringField(_l("Patenunternehmen"), validators=[Length(max=200)])
    host_contact = StringField(_l("Patenbeauftragte(r)"), validators=[Length(max=200)])
    venue = StringField(_l("Veranstaltungsort"), validators=[Length(max=300)])
    starts_on = DateField(_l("Wettbewerb von"), validators=[Optional()])
    ends_on = DateField(_l("Wettbewerb bis"), validators=[Optional()])
    registration_deadline = DateField(_l("Anmeldeschluss"), validators=[Optional()])
    paper_deadline = DateField(_l("Abgabe der schriftlichen Arbeit bis"), validators=[Optional()])
    age_cutoff = DateField(
        _l("Stichtag für das Alter"),
        validators=[DataRequired(REQUIRED)],
        description=_l("Üblich: 31. Dezember des Anmeldejahres."),
    )
    max_team_size = IntegerField(
        _l("Höchstens Personen je Projekt"),
        validators=[InputRequired(REQUIRED), NumberRange(1, 10)],
    )
    max_projects_per_participant = IntegerField(
        _l("Projekte je Teilnehmer(in)"), validators=[InputRequired(REQUIRED), NumberRange(1, 5)]
    )
    abstract_max_chars = IntegerField(
        _l("Zeichen der Kurzfassung höchstens"),
        validators=[InputRequired(REQUIRED), NumberRange(100, 10000)],
    )
    paper_max_mb = IntegerField(
        _l("Größe der schriftlichen Arbeit (MB) höchstens"),
        validators=[InputRequired(REQUIRED), NumberRange(1, 60)],
    )
    paper_max_pages = IntegerField(
        _l("Seiten Haupttext höchstens"), validators=[InputRequired(REQUIRED), NumberRange(1, 200)]
    )
    min_judges_per_project = IntegerField(
        _l("Jurorinnen und Juroren je Projekt mindestens"),
        validators=[InputRequired(REQUIRED), NumberRange(1, 10)],
    )
    first_prizes = IntegerField(
        _l("1. Preise je Jury"), validators=[InputRequired(REQUIRED), NumberRange(0, 10)]
    )
    second_prizes = IntegerField(
        _l("2. Preise je Jury"), validators=[InputRequired(REQUIRED), NumberRange(0, 10)]
    )
    third_prizes = IntegerField(
        _l("3. Preise je Jury"), validators=[InputRequired(REQUIRED), NumberRange(0, 10)]
    )
    slot_minutes = IntegerField(
        _l("Minuten je Standbesuch"), validators=[InputRequired(REQUIRED), NumberRange(5, 120)]
    )
    judging_starts_at = TimeField(_l("Beginn der Standbesuche"), validators=[Optional()])
    judging_breaks = StringField(
        _l("Pausen"), validators=[Length(max=200)], description=_l("z. B. 10:30-10:45, 12:30-13:15")
    )
    retention_until = DateField(_l("Personenbezogene Daten löschen ab"), validators=[Optional()])
    submit = SubmitField(_l("Speichern"))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("Das Ende liegt vor dem Beginn."))

    def validate_judging_breaks(self, field):
        try:
            parse_breaks(field.data or "")
        except ValueError:
            raise ValidationError(
                _l("Bitte Pausen wie 10:30-10:45, 12:30-13:15 angeben.")
            ) from None


class SubjectForm(BaseForm):
    name = StringField(_l("Fachgebiet"), validators=[DataRequired(REQUIRED), Length(max=100)])
    code = StringField(
        _l("Kürzel für Standnummern"), validators=[DataRequired(REQUIRED), Length(max=10)]
    )
    submit = SubmitField(_l("Speichern"))


class DivisionForm(BaseForm):
    name = StringField(_l("Sparte"), validators=[DataRequired(REQUIRED), Length(max=100)])
    min_age = IntegerField(_l("Alter ab"), validators=[Optional(), NumberRange(0, 99)])
    max_age = IntegerField(_l("Alter bis"), validators=[Optional(), NumberRange(0, 99)])
    min_grade = IntegerField(_l("Klassenstufe ab"), validators=[Optional(), NumberRange(1, 13)])
    submit = SubmitField(_l("Speichern"))

    def validate_max_age(self, field):
        if (
            field.data is not None
            and self.min_age.data is not None
            and field.data < self.min_age.data
        ):
            raise ValidationError(_l("„Alter bis“ ist kleiner als „Alter ab“."))


class InviteForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(REQUIRED),
            Email(_l("Bitte eine gültige E-Mail-Adresse angeben.")),
        ],
    )
    role = SelectField(_l("Rolle"), choices=[])
    school_id = SelectField(_l("Schule (für Schulkonten)"), coerce=int, choices=[])
    new_school = StringField(
        _l("oder neue Schule anlegen"),
        validators=[Length(max=200)],
        description=_l("Name, Ort – z. B. „Goethe-Gymnasium, Musterstadt“"),
    )
    submit = SubmitField(_l("Einladen"))

    def validate_school_id(self, field):
        if (
            self.role.data == "school"
            and not field.data
            and not (self.new_school.data or "").strip()
        ):
            raise ValidationError(_l("Bitte wählen Sie die Schule oder legen Sie eine neue an."))


class PhaseForm(BaseForm):
    """Confirm one phase change after reading what it opens and freezes."""

    target = HiddenField()
    confirm = BooleanField(_l("Ich habe gelesen, was dieser Schritt für wen ändert."))
    submit = SubmitField(_l("Bestätigen"))

    def validate_confirm(self, field):
        if not field.data:
            raise ValidationError(_l("Bitte bestätigen Sie, dass Sie die Folgen gelesen haben."))
