"""Forms of the organiser's judging pages and of the judge's onboarding."""

from flask import g
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)

from compmgr.forms import REQUIRED, BaseForm
from compmgr.judging.juries import judge_by_email, jury_exists


class JudgeInviteForm(BaseForm):
    first_name = StringField(_l("Vorname"), validators=[DataRequired(REQUIRED), Length(max=100)])
    last_name = StringField(_l("Nachname"), validators=[DataRequired(REQUIRED), Length(max=100)])
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(REQUIRED),
            Email(_l("Bitte eine gültige E-Mail-Adresse angeben.")),
            Length(max=254),
        ],
    )
    affiliation = StringField(
        _l("Institution / Arbeitgeber"),
        validators=[Length(max=200)],
        description=_l("z. B. Universität Musterstadt, Chemiewerk Süd GmbH"),
    )
    school_id = SelectField(
        _l("Arbeitet an Schule"),
        coerce=int,
        choices=[],
        description=_l("Projekte dieser Schule werden automatisch als befangen markiert."),
    )
    subjects = SelectMultipleField(_l("Fachgebiete (Expertise)"), coerce=int, choices=[])
    divisions = SelectMultipleField(_l("Sparten"), coerce=int, choices=[])
    availability = StringField(
        _l("Verfügbarkeit"),
        validators=[Length(max=300)],
        description=_l("z. B. „nur am ersten Tag“"),
    )
    jury_id = SelectField(_l("Gleich in Jury aufnehmen"), coerce=int, choices=[])
    submit = SubmitField(_l("Einladen"))

    def validate_email(self, field):
        judge = judge_by_email(g.competition.id, field.data or "")
        # Inviting again someone who has not joined yet resends the invitation.
        user = judge.user if judge is not None else None
        if user is not None and user.password_hash and user.has_role("judge", g.competition.id):
            raise ValidationError(_l("Diese Person ist bereits Juror(in) in diesem Wettbewerb."))


class JudgeEditForm(BaseForm):
    """The organiser's form for one judge's profile; the address names the account and stays."""

    first_name = StringField(_l("Vorname"), validators=[DataRequired(REQUIRED), Length(max=100)])
    last_name = StringField(_l("Nachname"), validators=[DataRequired(REQUIRED), Length(max=100)])
    affiliation = StringField(
        _l("Institution / Arbeitgeber"),
        validators=[Length(max=200)],
        description=_l("z. B. Universität Musterstadt, Chemiewerk Süd GmbH"),
    )
    school_id = SelectField(
        _l("Arbeitet an Schule"),
        coerce=int,
        choices=[],
        description=_l("Projekte dieser Schule werden automatisch als befangen markiert."),
    )
    subjects = SelectMultipleField(_l("Fachgebiete (Expertise)"), coerce=int, choices=[])
    divisions = SelectMultipleField(_l("Sparten"), coerce=int, choices=[])
    # One free-text field on purpose: the planning of time windows may replace it.
    availability = StringField(
        _l("Verfügbarkeit"),
        validators=[Length(max=300)],
        description=_l("z. B. „nur am ersten Tag“"),
    )
    submit = SubmitField(_l("Speichern"))


class JuryForm(BaseForm):
    subject_id = SelectField(_l("Fachgebiet"), coerce=int, choices=[])
    division_id = SelectField(
        _l("Sparte"),
        coerce=int,
        choices=[],
        description=_l("„Alle Sparten“, wenn die Jury nicht nach Sparten geteilt ist."),
    )
    team = IntegerField(
        _l("Team-Nummer"),
        default=1,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(1, 9, _l("Bitte eine Zahl von 1 bis 9 angeben.")),
        ],
        description=_l("Große Fachgebiete können in mehrere Jury-Teams geteilt werden."),
    )
    name = StringField(_l("Name (optional)"), validators=[Length(max=200)])
    submit = SubmitField(_l("Jury anlegen"))

    def validate_team(self, field):
        if field.data and jury_exists(
            g.competition.id, self.subject_id.data, self.division_id.data, field.data
        ):
            raise ValidationError(
                _l("Diese Jury gibt es schon. Wählen Sie eine andere Team-Nummer.")
            )


class MemberForm(BaseForm):
    judge_id = SelectField(_l("Juror(in)"), coerce=int, choices=[])
    is_chair = BooleanField(_l("Juryvorsitz"))
    submit = SubmitField(_l("Aufnehmen"))

    def validate_judge_id(self, field):
        if not field.data:
            raise ValidationError(_l("Bitte wählen Sie eine Person aus."))


class ManualAssignForm(BaseForm):
    judge_id = SelectField(_l("Juror(in) hinzufügen"), coerce=int, choices=[])
    submit = SubmitField(_l("Zuteilen"))

    def validate_judge_id(self, field):
        if not field.data:
            raise ValidationError(_l("Bitte wählen Sie eine Person aus."))


class WelcomeForm(BaseForm):
    accept = BooleanField(
        _l("Ich habe die Vertraulichkeitserklärung gelesen und verpflichte mich, sie einzuhalten.")
    )
    schools = SelectMultipleField(
        _l("Schulen, zu denen ich eine Verbindung habe"),
        coerce=int,
        choices=[],
        description=_l("z. B. weil Sie dort unterrichten oder Ihr Kind sie besucht."),
    )
    projects = SelectMultipleField(
        _l("Projekte, bei denen ich befangen bin"), coerce=int, choices=[]
    )
    participants = SelectMultipleField(
        _l("Teilnehmende, die ich persönlich kenne"), coerce=int, choices=[]
    )
    submit = SubmitField(_l("Bestätigen und weiter"))

    def offer(self, schools, projects, people):
        """Offer the choices: schools as they come, projects by Fachgebiet, people by school.

        Grouped choices (a dict) are rendered as one checkbox list per group; validation
        accepts exactly the offered ids, grouped or not.
        """
        self.schools.choices = [(s.id, s.label) for s in schools]
        self.projects.choices = _grouped(
            projects, lambda p: p.subject.name, lambda p: f"{p.stand or '–'} · {p.title}"
        )
        self.participants.choices = _grouped(
            people, lambda p: p.school.label, lambda p: f"{p.last_name}, {p.first_name}"
        )

    def validate_accept(self, field):
        if not field.data:
            raise ValidationError(
                _l("Ohne Zustimmung zur Vertraulichkeitserklärung können Sie nicht bewerten.")
            )


def _grouped(items, group, label):
    """Return {group: [(id, label), …]} in the order the items and their groups come."""
    groups = {}
    for item in items:
        groups.setdefault(group(item), []).append((item.id, label(item)))
    return groups
