"""Login, logout, invitations, password reset, language and role switch."""

from flask import (
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
from flask_login import current_user

from compmgr.auth import bp, invitations, services, sessions, throttle, tokens
from compmgr.auth.access import login_required, own_grant_or_404, public
from compmgr.auth.forms import LoginForm, ResetRequestForm, SetPasswordForm
from compmgr.auth.models import Role, User
from compmgr.database import begin_writes, reads_first
from compmgr.extensions import db
from compmgr.utils import is_safe_redirect


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Log a user in, throttled per account and client, never revealing whether an account exists."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.index"))
    form = LoginForm()
    if form.validate_on_submit():
        client_key, trusted = throttle.client_for(form.email.data)
        wait = throttle.login_wait(form.email.data, client_key, trusted)
        if wait:
            form.email.errors.append(
                _(
                    "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie %(n)d Sekunden und "
                    "versuchen Sie es dann erneut. Über „Passwort vergessen?“ kommen Sie sofort weiter.",
                    n=wait,
                )
            )
            return render_template("auth/login.html", form=form), 429, {"Retry-After": str(wait)}
        user = services.authenticate(form.email.data, form.password.data, client_key)
        if user is None:
            form.password.errors.append(_("E-Mail-Adresse oder Passwort ist falsch."))
        else:
            services.start_session(user)
            target = request.args.get("next")
            response = redirect(target if is_safe_redirect(target) else url_for("auth.index"))
            return throttle.remember_device(response, user.email)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    """Log out: the session ends on the server too, so a copied cookie is dead."""
    sessions.revoke_current()
    db.session.commit()
    services.end_session()
    flash(_("Sie sind abgemeldet."), "info")
    return redirect(url_for("auth.login"))


def _password_page(token, purpose):
    user = tokens.user_for_token(token, purpose)
    if user is None:
        return render_template("auth/link_invalid.html"), 400
    form = SetPasswordForm(user_inputs=[user.email, user.name])
    if form.validate_on_submit():
        user_id, nonce = user.id, user.auth_nonce
        begin_writes()  # SQLite: end the read; the write lock is taken after the slow hash
        new_hash = services.hash_password(form.password.data)
        if not services.set_password_once(user_id, new_hash, nonce, purpose == "invite"):
            return render_template("auth/link_invalid.html"), 400
        user = db.session.get(User, user_id)
        db.session.refresh(user)
        services.start_session(user)
        flash(_("Ihr Passwort ist gespeichert. Willkommen!"), "success")
        return throttle.remember_device(redirect(url_for("auth.index")), user.email)
    return render_template("auth/set_password.html", form=form, user=user)


@bp.route("/invite/<token>", methods=["GET", "POST"])
@public
@reads_first
def accept_invite(token):
    """Let a newly invited person set their first password through a one-time link."""
    return _password_page(token, "invite")


@bp.route("/reset", methods=["GET", "POST"])
@public
def reset_request():
    """Ask for a reset link; the answer is the same whether or not the account exists."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(
            _(
                "Falls ein Konto mit dieser Adresse besteht, haben wir einen Link zum Zurücksetzen geschickt."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
@reads_first
def reset_password(token):
    """Set a new password through a one-time reset link; every other session ends."""
    return _password_page(token, "reset")


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
            Role.ORGANISER: "admin.dashboard",
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
    if invitations.offers_for(current_user):
        return redirect(url_for("auth.roles"))
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
    grants = sorted(
        current_user.grants, key=lambda gr: (-gr.competition.round_year, gr.competition.name)
    )
    return render_template(
        "auth/roles.html",
        grants=grants,
        dashboard_url=dashboard_url,
        offers=invitations.offers_for(current_user),
    )


@bp.route("/roles/<int:grant_id>", methods=["POST"])
@login_required
def switch_role(grant_id):
    """Make one of the user's own grants the current role."""
    grant = own_grant_or_404(grant_id)
    session["grant_id"] = grant.id
    return redirect(dashboard_url(grant))
