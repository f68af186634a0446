"""A school's choice of mail, and the one-click unsubscribe link of non-essential mail."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from compmgr.auth.access import public
from compmgr.extensions import csrf, db
from compmgr.messaging import bp
from compmgr.messaging.forms import SchoolMailForm, UnsubscribeForm
from compmgr.messaging.models import SchoolMailPreference
from compmgr.messaging.sending import school_for_unsubscribe
from compmgr.registration.access import school_required
from compmgr.registration.models import School


def set_essential_only(school_id, value):
    """Record whether a school wants essential mail only."""
    pref = db.session.get(SchoolMailPreference, school_id)
    if pref is None:
        pref = SchoolMailPreference(school_id=school_id)
        db.session.add(pref)
    pref.essential_only = value


@bp.route("/c/<int:cid>/school/mail", methods=["GET", "POST"])
@school_required
def school_mail(cid):
    """Let a school choose essential mail only."""
    pref = db.session.get(SchoolMailPreference, g.school.id)
    form = SchoolMailForm(essential_only=bool(pref and pref.essential_only))
    if form.validate_on_submit():
        set_essential_only(g.school.id, form.essential_only.data)
        db.session.commit()
        flash(_("Ihre Wahl ist gespeichert."), "success")
        return redirect(url_for(".school_mail", cid=cid))
    return render_template("messaging/school_mail.html", form=form)


@bp.route("/mail/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt  # RFC 8058: the mail program posts "List-Unsubscribe=One-Click" without a form
def unsubscribe(token):
    """Stop non-essential mail to a school: the signed link names it, a POST confirms."""
    school = db.session.get(School, school_for_unsubscribe(token) or 0)
    if school is None:
        abort(404)
    form = UnsubscribeForm()
    if request.method == "POST":
        set_essential_only(school.id, True)
        db.session.commit()
        return render_template("messaging/unsubscribe.html", school=school, done=True)
    return render_template("messaging/unsubscribe.html", school=school, form=form, done=False)
