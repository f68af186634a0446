"""The jury chair's pages: progress matrix, ranking, final decision and lock."""

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.extensions import db
from compmgr.judging import scoring
from compmgr.judging.ranking import TIE_MARGIN, rank_jury
from compmgr.judging.score_forms import decision_form
from compmgr.judging.views import bp
from compmgr.results import services as decisions
from compmgr.results.services import DecisionError, Row


def _jury_or_404(jury_id):
    jury = scoring.chair_jury(g.judge, jury_id)
    if jury is None:
        abort(404)
    return jury


def _rows_from(form, project_ids):
    return [Row(project_id=pid, place=form[f"place_{pid}"].data,
                prize=int(form[f"prize_{pid}"].data) if form[f"prize_{pid}"].data else None,
                qualified=bool(form[f"qualified_{pid}"].data),
                reason=form[f"reason_{pid}"].data or "")
            for pid in project_ids]


def _decision_form(jury, lines):
    project_ids = [line.project_id for line in lines]
    suggested = {line.project_id: line.rank for line in lines}
    limits = decisions.prize_limits(g.competition)

    def check(form):
        return decisions.check_rows(_rows_from(form, project_ids), suggested, limits,
                                    bool(form.tie_decided.data))

    existing = decisions.decisions_of(jury)
    data = {}
    for line in lines:
        d = existing.get(line.project_id)
        data[f"place_{line.project_id}"] = d.place if d else line.rank
        data[f"prize_{line.project_id}"] = str(d.prize) if d and d.prize else ""
        data[f"qualified_{line.project_id}"] = bool(d and d.qualified)
        data[f"reason_{line.project_id}"] = d.reason if d else ""
    return decision_form(project_ids, check, data=data), suggested, existing


def _render(jury, lines, form, existing, status=200):
    projects = [line.project for line in lines]
    judges, cells = scoring.progress_matrix(jury, projects)
    return render_template(
        "judging/chair.html", jury=jury, lines=lines, form=form, judges=judges, cells=cells,
        projects=projects, existing=existing, limits=decisions.prize_limits(g.competition),
        tie_margin=TIE_MARGIN, reopened=decisions.last_unlock(jury),
    ), status


@bp.route("/chair/<int:jury_id>/", methods=["GET", "POST"])
@role_required(Role.JUDGE)
def chair(cid, jury_id):
    """Show the chair the progress matrix and ranking, and record the jury's decision."""
    jury = _jury_or_404(jury_id)
    lines = rank_jury(jury)
    form, suggested, existing = _decision_form(jury, lines)
    if form.is_submitted():
        if jury.is_locked:
            flash(_("Die Jury ist abgeschlossen; die Entscheidung kann nicht mehr geändert werden."), "error")
            return _render(jury, lines, form, existing, 409)
        if form.validate():
            rows = _rows_from(form, [line.project_id for line in lines])
            try:
                decisions.save_decisions(jury, rows, suggested, current_user,
                                         bool(form.tie_decided.data))
                db.session.commit()
            except DecisionError as exc:
                db.session.rollback()
                form.form_errors.extend(str(v) for v in exc.errors.values())
                return _render(jury, lines, form, existing, 422)
            flash(_("Die Entscheidung der Jury ist gespeichert."), "success")
            return redirect(url_for("judging.chair", cid=cid, jury_id=jury.id) + "#decision-h")
        return _render(jury, lines, form, existing, 422)
    return _render(jury, lines, form, existing)


@bp.route("/chair/<int:jury_id>/lock", methods=["POST"])
@role_required(Role.JUDGE)
def lock(cid, jury_id):
    """Lock the jury's decision: scores and places can no longer change."""
    jury = _jury_or_404(jury_id)
    project_ids = [p.id for p in scoring.jury_projects(jury)]
    try:
        decisions.lock_jury(jury, project_ids, current_user)
        db.session.commit()
    except DecisionError as exc:
        db.session.rollback()
        for message in exc.errors.values():
            flash(message, "error")
        return redirect(url_for("judging.chair", cid=cid, jury_id=jury.id))
    flash(_("Die Jury „%(name)s“ ist abgeschlossen.", name=jury.name), "success")
    return redirect(url_for("judging.chair", cid=cid, jury_id=jury.id))
