"""Forms for login, password setting, change and reset."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, ValidationError

from compmgr.auth.passwords import MIN_LENGTH, password_problem
from compmgr.forms import BaseForm


class LoginForm(BaseForm):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse ein."))],
    )
    password = PasswordField(
        _l("Passwort"), validators=[DataRequired(_l("Bitte geben Sie Ihr Passwort ein."))]
    )
    submit = SubmitField(_l("Anmelden"))


def _new_password():
    return PasswordField(
        _l("Neues Passwort"),
        validators=[DataRequired(_l("Bitte wählen Sie ein Passwort."))],
        description=_l(
            "Mindestens %(n)d Zeichen, kein bekanntes oder geleaktes Passwort. Ein Satz "
            "aus mehreren Wörtern ist leicht zu merken und sicher.",
            n=MIN_LENGTH,
        ),
    )


def _confirm():
    return PasswordField(
        _l("Passwort wiederholen"),
        validators=[
            EqualTo("password", message=_l("Die beiden Passwörter stimmen nicht überein."))
        ],
    )


class _PolicyMixin:
    """Check the new password against the policy; user_inputs are the account's own words."""

    def __init__(self, *args, user_inputs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user_inputs = list(user_inputs)

    def validate_password(self, field):
        problem = password_problem(field.data, self.user_inputs)
        if problem:
            raise ValidationError(problem)


class SetPasswordForm(_PolicyMixin, BaseForm):
    password = _new_password()
    confirm = _confirm()
    submit = SubmitField(_l("Passwort speichern"))


class ChangePasswordForm(_PolicyMixin, BaseForm):
    current = PasswordField(
        _l("Bisheriges Passwort"),
        validators=[DataRequired(_l("Bitte geben Sie Ihr bisheriges Passwort ein."))],
    )
    password = _new_password()
    confirm = _confirm()
    submit = SubmitField(_l("Passwort ändern"))


class ResetRequestForm(BaseForm):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse ein."))],
    )
    submit = SubmitField(_l("Link anfordern"))
