"""Login, logout, invitations, password reset, language and role switch."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from compmgr.auth import services
from compmgr.auth.access import login_required, public
from compmgr.auth.forms import LoginForm, ResetRequestForm, SetPasswordForm
from compmgr.auth.models import Role
from compmgr.extensions import db
from compmgr.utils import is_safe_redirect

bp = Blueprint("auth", __name__)


def _client_ip():
    return request.remote_addr or "unknown"


def _start_session(user):
    """Begin a fresh session: nothing from before the login survives (no fixation)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)
    services.record_login(user)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Log a user in, with throttling that never reveals whether an account exists."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.index"))
    form = LoginForm()
    if form.validate_on_submit():
        if services.login_blocked(form.email.data, _client_ip()):
            form.email.errors.append(
                _("Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie 15 Minuten und versuchen Sie es dann erneut.")
            )
            return render_template("auth/login.html", form=form), 429
        user = services.authenticate(form.email.data, form.password.data, _client_ip())
        if user is None:
            form.password.errors.append(_("E-Mail-Adresse oder Passwort ist falsch."))
        else:
            _start_session(user)
            target = request.args.get("next")
            return redirect(target if is_safe_redirect(target) else url_for("auth.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    """Log out and forget the session."""
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("Sie sind abgemeldet."), "info")
    return redirect(url_for("auth.login"))


def _password_page(token, purpose, template):
    user = services.user_for_token(token, purpose)
    if user is None:
        return render_template("auth/link_invalid.html"), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        _start_session(user)
        flash(_("Ihr Passwort ist gespeichert. Willkommen!"), "success")
        return redirect(url_for("auth.index"))
    return render_template(template, form=form, user=user)


@bp.route("/invite/<token>", methods=["GET", "POST"])
@public
def accept_invite(token):
    """Let an invited person set their password through a one-time link."""
    return _password_page(token, "invite", "auth/set_password.html")


@bp.route("/reset", methods=["GET", "POST"])
@public
def reset_request():
    """Ask for a reset link; the answer is the same whether or not the account exists."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(
            _("Falls ein Konto mit dieser Adresse besteht, haben wir einen Link zum Zurücksetzen geschickt."),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    """Set a new password through a one-time reset link."""
    return _password_page(token, "reset", "auth/set_password.html")


@bp.route("/lang/<code>", methods=["POST"])
@public
def set_language(code):
    """Switch the interface language."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("auth.index"))


def dashboard_url(grant):
    return url_for(
        {
            Role.ORGANISER: "competitions.dashboard",
            Role.SCHOOL: "registration.dashboard",
            Role.JUDGE: "judging.dashboard",
        }[Role(grant.role)],
        cid=grant.competition_id,
    )


@bp.route("/")
@public
def index():
    """Send each user to the dashboard of their current role."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    grants = current_user.grants
    preferred = next((gr for gr in grants if gr.id == session.get("grant_id")), None)
    if preferred is not None:
        return redirect(dashboard_url(preferred))
    if len(grants) == 1 and not current_user.is_admin:
        return redirect(dashboard_url(grants[0]))
    if not grants and current_user.is_admin:
        return redirect(url_for("admin.competitions"))
    return redirect(url_for("auth.roles"))


@bp.route("/roles")
@login_required
def roles():
    """List the user's roles across competitions to switch between them."""
    grants = sorted(current_user.grants, key=lambda gr: (-gr.competition.round_year, gr.competition.name))
    return render_template("auth/roles.html", grants=grants, dashboard_url=dashboard_url)


@bp.route("/roles/<int:grant_id>", methods=["POST"])
@login_required
def switch_role(grant_id):
    """Make one of the user's own grants the current role."""
    grant = next((gr for gr in current_user.grants if gr.id == grant_id), None)
    if grant is None:
        abort(404)
    session["grant_id"] = grant.id
    return redirect(dashboard_url(grant))
