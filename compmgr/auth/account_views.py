"""The user's own account: password change, logging out everywhere, answering role offers."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from compmgr.auth import bp, invitations, services, sessions, throttle
from compmgr.auth.access import login_required, own_offer_or_404
from compmgr.auth.forms import ChangePasswordForm
from compmgr.database import begin_writes, reads_first
from compmgr.extensions import db


def _hours(seconds):
    return max(1, round(seconds / 3600))


def _page(form, status=200):
    cfg = current_app.config
    return render_template(
        "auth/account.html",
        form=form,
        live_sessions=sessions.live_count(current_user.id),
        idle_hours=_hours(cfg["SESSION_IDLE_TIMEOUT"]),
        total_hours=_hours(cfg["SESSION_ABSOLUTE_LIFETIME"]),
    ), status


@bp.route("/account", methods=["GET"])
@login_required
def account():
    """Show the account with its password change form and the sessions it has open."""
    return _page(ChangePasswordForm(formdata=None))


@bp.route("/account/password", methods=["POST"])
@login_required
@reads_first
def change_password():
    """Change the password after checking the current one; other sessions end, this one stays."""
    user = current_user._get_current_object()
    form = ChangePasswordForm(user_inputs=[user.email, user.name])
    if not form.validate_on_submit():
        return _page(form, 422)
    client_key, trusted = throttle.client_for(user.email)
    wait = throttle.login_wait(user.email, client_key, trusted)
    if wait:
        form.current.errors.append(
            _("Zu viele falsche Versuche. Bitte warten Sie %(n)d Sekunden.", n=wait)
        )
        return _page(form, 429)
    if not services.check_current_password(user, form.current.data):
        begin_writes()
        throttle.record_failure(user.email, client_key)
        db.session.commit()
        form.current.errors.append(_("Das bisherige Passwort stimmt nicht."))
        return _page(form, 422)
    new_hash = services.hash_password(form.password.data)  # slow: before the write lock
    begin_writes()
    services.change_password(user, new_hash)
    db.session.commit()
    login_user(user)  # the session now names the account's new state; its server-side id stays
    flash(_("Ihr Passwort ist geändert. Alle anderen Sitzungen sind beendet."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """End every session of this account, on every device, this one included."""
    sessions.revoke_all(current_user.id)
    db.session.commit()
    services.end_session()
    flash(_("Sie sind auf allen Geräten abgemeldet."), "info")
    return redirect(url_for("auth.login"))


def _answer(offer, accept):
    title, label = offer.competition.title, offer.role_enum.label
    if accept:
        invitations.accept_offer(current_user, offer)
        flash(
            _(
                "Sie haben die Rolle „%(role)s“ in „%(competition)s“ angenommen.",
                role=label,
                competition=title,
            ),
            "success",
        )
    else:
        invitations.decline_offer(current_user, offer)
        flash(
            _(
                "Sie haben die Rolle „%(role)s“ in „%(competition)s“ abgelehnt.",
                role=label,
                competition=title,
            ),
            "info",
        )
    db.session.commit()
    return redirect(url_for("auth.roles"))


@bp.route("/roles/offers/<int:offer_id>", methods=["POST"])
@login_required
def answer_offer(offer_id):
    """Decline a role offered to this account (accepting takes the link of the offer's mail)."""
    offer = own_offer_or_404(offer_id)
    if request.form.get("answer") == "accept":
        flash(
            _(
                "Bitte nehmen Sie die Rolle über den Link in der E-Mail an, die wir Ihnen "
                "geschickt haben."
            ),
            "info",
        )
        return redirect(url_for("auth.roles"))
    return _answer(offer, accept=False)


@bp.route("/offer/<offer_token>", methods=["GET", "POST"])
@login_required
def offer(offer_token):
    """Accept or decline an offered role through the link of its mail, logged in as its holder.

    The link proves the mailbox and the login the password: an account someone else set up
    for this address (through an invitation link shown on their screen) cannot take the role.
    """
    offer = invitations.offer_for_token(offer_token)
    if offer is None or offer.user_id != current_user.id:
        return render_template("auth/offer.html", offer=None), 404
    if request.method == "POST":
        return _answer(offer, accept=request.form.get("answer") == "accept")
    return render_template("auth/offer.html", offer=offer)
