"""Forms for login, password setting and reset."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError


class LoginForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse ein."))])
    password = PasswordField(_l("Passwort"), validators=[DataRequired(_l("Bitte geben Sie Ihr Passwort ein."))])
    submit = SubmitField(_l("Anmelden"))


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Neues Passwort"),
        validators=[
            DataRequired(_l("Bitte wählen Sie ein Passwort.")),
            Length(min=10, max=200, message=_l("Das Passwort muss mindestens 10 Zeichen lang sein.")),
        ],
        description=_l("Mindestens 10 Zeichen. Ein Satz aus mehreren Wörtern ist leicht zu merken und sicher."),
    )
    confirm = PasswordField(
        _l("Passwort wiederholen"),
        validators=[EqualTo("password", message=_l("Die beiden Passwörter stimmen nicht überein."))],
    )
    submit = SubmitField(_l("Passwort speichern"))

    def validate_password(self, field):
        if field.data and field.data.strip().lower() in {"passwort123", "1234567890", "jugendforscht"}:
            raise ValidationError(_l("Dieses Passwort ist zu leicht zu erraten."))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse ein."))])
    submit = SubmitField(_l("Link anfordern"))
