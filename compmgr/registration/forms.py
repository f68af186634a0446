"""Forms of the school's registration and the organiser's review."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from compmgr.dates import show_date
from compmgr.forms import REQUIRED, BaseForm
from compmgr.registration.models import GENDERS
from compmgr.registration.services import (
    abstract_problem,
    check_birth_and_grade,
    speaker_problem,
    team_size_problem,
)

EMAIL = _l("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@schule.de.")


class ParticipantForm(BaseForm):
    first_name = StringField(_l("Vorname"), validators=[DataRequired(REQUIRED), Length(max=100)])
    last_name = StringField(_l("Nachname"), validators=[DataRequired(REQUIRED), Length(max=100)])
    birth_date = DateField(
        _l("Geburtsdatum"), validators=[InputRequired(_l("Bitte geben Sie das Geburtsdatum an."))]
    )
    grade = IntegerField(
        _l("Klassenstufe"),
        validators=[
            InputRequired(_l("Bitte geben Sie die Klassenstufe als Zahl an, z. B. 9.")),
            NumberRange(1, 13, _l("Die Klassenstufe liegt zwischen 1 und 13.")),
        ],
    )
    email = EmailField(
        _l("E-Mail"), validators=[DataRequired(REQUIRED), Email(EMAIL), Length(max=254)]
    )
    phone = StringField(_l("Telefon (freiwillig)"), validators=[Optional(), Length(max=50)])
    gender = SelectField(
        _l("Geschlecht (freiwillig, nur für die Statistik)"),
        choices=list(GENDERS.items()),
        default="",
        validate_choice=True,
    )
    consent_participation = BooleanField(
        _l(
            "Die Teilnahme- und Datenschutzerklärung ist akzeptiert (bei Minderjährigen von einem Elternteil)."
        )
    )
    consent_publication = BooleanField(
        _l("Der Name darf in Ergebnislisten und in der Presse erscheinen.")
    )
    consent_photos = BooleanField(_l("Fotos dürfen veröffentlicht werden."))
    submit = SubmitField(_l("Speichern"))

    def __init__(self, *args, competition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.competition = competition

    def validate_birth_date(self, field):
        error = check_birth_and_grade(self.competition, field.data, None).get("birth_date")
        if error:
            raise ValidationError(error)

    def validate_grade(self, field):
        if self.birth_date.data is None or field.data is None:
            return
        errors = check_birth_and_grade(self.competition, self.birth_date.data, field.data)
        if "grade" in errors and "birth_date" not in errors:
            raise ValidationError(errors["grade"])

    def validate_phone(self, field):
        allowed = set("0123456789+-/() ")
        if field.data and not set(field.data) <= allowed:
            raise ValidationError(_l("Bitte nur Ziffern, Leerzeichen und + - / ( ) verwenden."))


class ProjectForm(BaseForm):
    title = StringField(
        _l("Titel des Projekts"), validators=[DataRequired(REQUIRED), Length(max=300)]
    )
    abstract = TextAreaField(_l("Kurzfassung"), validators=[DataRequired(REQUIRED)])
    subject_id = SelectField(
        _l("Fachgebiet"),
        coerce=int,
        validators=[InputRequired(_l("Bitte wählen Sie ein Fachgebiet."))],
    )
    members = SelectMultipleField(_l("Team"), coerce=int, validators=[Optional()])
    speaker_id = SelectField(_l("Gruppensprecher(in)"), coerce=int)
    supervisor_name = StringField(
        _l("Betreuer(in)"), validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    supervisor_email = EmailField(
        _l("E-Mail der Betreuerin / des Betreuers"),
        validators=[DataRequired(REQUIRED), Email(EMAIL), Length(max=254)],
    )
    needs_space = BooleanField(_l("zusätzlicher Platz"))
    needs_power = BooleanField(_l("Strom"))
    needs_water = BooleanField(_l("Wasser"))
    needs_gas = BooleanField(_l("Gas"))
    needs_notes = TextAreaField(_l("Weitere Wünsche für den Stand"), validators=[Length(max=500)])
    involves_animals = BooleanField(
        _l("Im Projekt wird mit Tieren gearbeitet (Tierschutzformular nötig)")
    )
    patent_consultation = BooleanField(_l("Wir wünschen eine Patentberatung"))
    remote_link = URLField(
        _l("Link für eine Online-Präsentation (freiwillig)"),
        validators=[
            Optional(),
            URL(message=_l("Bitte geben Sie eine vollständige Adresse an, z. B. https://…")),
            Length(max=500),
        ],
    )
    submit = SubmitField(_l("Projekt speichern"))

    def __init__(self, *args, competition=None, school_participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.competition = competition
        self.subject_id.choices = [(0, _l("– bitte wählen –"))] + [
            (s.id, s.name) for s in competition.subjects
        ]
        people = [(p.id, f"{p.full_name} ({show_date(p.birth_date)})") for p in school_participants]
        self.members.choices = people
        self.speaker_id.choices = [(0, _l("– bitte wählen –"))] + people

    def validate_subject_id(self, field):
        if field.data not in {s.id for s in self.competition.subjects}:
            raise ValidationError(_l("Bitte wählen Sie ein Fachgebiet."))

    # The rules and their messages are the service's; the form shows them next to the field.
    def validate_abstract(self, field):
        if problem := abstract_problem(self.competition, field.data):
            raise ValidationError(problem)

    def validate_members(self, field):
        if problem := team_size_problem(self.competition, len(field.data or [])):
            raise ValidationError(problem)

    def validate_speaker_id(self, field):
        if problem := speaker_problem(self.members.data, field.data):
            raise ValidationError(problem)


class UploadForm(BaseForm):
    file = FileField(_l("PDF-Datei"))
    submit = SubmitField(_l("Hochladen"))

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Bitte wählen Sie eine PDF-Datei aus."))


class ReasonForm(BaseForm):
    reason = TextAreaField(
        _l("Begründung"),
        validators=[DataRequired(_l("Bitte geben Sie eine Begründung an.")), Length(max=500)],
    )
    submit = SubmitField(_l("Bestätigen"))


class WithdrawForm(BaseForm):
    reason = TextAreaField(
        _l("Grund (freiwillig)"),
        validators=[Optional(), Length(max=500)],
        description=_l("Die Wettbewerbsleitung sieht den Grund."),
    )
    confirm = BooleanField(
        _l("Ja, wir ziehen dieses Projekt vom Wettbewerb zurück."),
        validators=[
            DataRequired(_l("Bitte bestätigen Sie, dass das Projekt zurückgezogen werden soll."))
        ],
    )
    submit = SubmitField(_l("Projekt zurückziehen"))


class MoveForm(BaseForm):
    subject_id = SelectField(_l("Neues Fachgebiet"), coerce=int)
    submit = SubmitField(_l("Verschieben"))


class StandForm(BaseForm):
    stand = StringField(_l("Standnummer"), validators=[Optional(), Length(max=20)])
    submit = SubmitField(_l("Standnummer speichern"))


class ExtensionForm(BaseForm):
    until = DateField(
        _l("Anmeldung verlängert bis"),
        validators=[Optional()],
        description=_l("Leer lassen, um die Verlängerung aufzuheben."),
    )
    submit = SubmitField(_l("Speichern"))


class ImportForm(BaseForm):
    file = FileField(_l("Datei (CSV oder XLSX)"))
    submit = SubmitField(_l("Importieren"))

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Bitte wählen Sie eine CSV- oder XLSX-Datei aus."))


class OrgProjectForm(ProjectForm):
    """The organiser's project form: the school's fields, the school itself, no window."""

    school_id = SelectField(
        _l("Schule"),
        coerce=int,
        description=_l("Wechselt die Schule, zieht das Team mit dem Projekt um."),
    )

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.school_id.choices = [(s.id, s.label) for s in schools]


class SchoolForm(BaseForm):
    name = StringField(_l("Name der Schule"), validators=[DataRequired(REQUIRED), Length(max=200)])
    city = StringField(_l("Ort"), validators=[DataRequired(REQUIRED), Length(max=100)])
    submit = SubmitField(_l("Schule anlegen"))
