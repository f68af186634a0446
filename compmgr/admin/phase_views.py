"""Change a competition's phase: one page shows what the step changes, then asks to confirm."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from compmgr.admin import bp
from compmgr.admin.forms import PhaseForm
from compmgr.audit.services import record
from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.competitions import phases
from compmgr.extensions import db


@bp.route("/c/<int:cid>/org/phase", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def change_phase(cid):
    """Show the effects of moving to another phase; on confirmation move there."""
    target = request.values.get("to") or request.form.get("target")
    if not target:
        if request.method == "GET":
            return redirect(url_for(".dashboard", cid=cid))
        abort(400)
    step = phases.transition_to(g.competition, target)
    if step is None:
        flash(
            _(
                "Dieser Schritt ist von der Phase „%(phase)s“ aus nicht möglich.",
                phase=phases.phase(g.competition).label,
            ),
            "warning",
        )
        return redirect(url_for(".dashboard", cid=cid))
    form = PhaseForm(target=step.target.value)
    refusals, warnings = phases.review(g.competition, step, current_user)
    if request.method == "POST" and not refusals and form.validate_on_submit():
        before = g.competition.status
        try:
            phases.change(g.competition, step.target, current_user)
        except phases.PhaseError as exc:  # a guard changed its mind since the page was drawn
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for(".change_phase", cid=cid, to=step.target.value))
        record(
            "competition.phase",
            g.competition,
            before={"phase": before},
            after={"phase": step.target.value},
            competition_id=g.competition.id,
        )
        db.session.commit()
        flash(_("Neue Phase: %(phase)s", phase=step.target.label), "success")
        return redirect(url_for(".dashboard", cid=cid))
    code = 200 if request.method == "GET" else (409 if refusals else 422)
    return render_template(
        "admin/phase.html", step=step, form=form, refusals=refusals, warnings=warnings
    ), code
