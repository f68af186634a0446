"""The jury's decision: the chair's progress matrix, ranking, decision and lock; the organiser's unlock."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.database import get_or_404
from compmgr.extensions import db
from compmgr.judging import scoring
from compmgr.judging.access import chaired_jury_or_404, judge_required
from compmgr.judging.models import Jury
from compmgr.judging.ranking import division_groups, flag_uncertain, rank_jury
from compmgr.results import bp
from compmgr.results import services as decisions
from compmgr.results.forms import UnlockJuryForm, decision_form
from compmgr.results.publishing import prize_label
from compmgr.results.services import DecisionError, Row


def _rows_from(form, lines):
    return [
        Row(
            project_id=line.project_id,
            place=form[f"place_{line.project_id}"].data,
            prize=int(form[f"prize_{line.project_id}"].data)
            if form[f"prize_{line.project_id}"].data
            else None,
            qualified=bool(form[f"qualified_{line.project_id}"].data),
            reason=form[f"reason_{line.project_id}"].data or "",
            division=line.project.division_id,
        )
        for line in lines
    ]


def _decision_form(jury, lines):
    project_ids = [line.project_id for line in lines]
    suggested = {line.project_id: line.rank for line in lines}
    limits = decisions.prize_limits(g.competition)
    names = {d.id: d.name for d in g.competition.divisions}

    def check(form):
        return decisions.check_rows(
            _rows_from(form, lines), suggested, limits, bool(form.tie_decided.data), names
        )

    existing = decisions.decisions_of(jury)
    data = {"tie_decided": decisions.tie_decided_of(jury)}
    for line in lines:
        d = existing.get(line.project_id)
        data[f"place_{line.project_id}"] = d.place if d else line.rank
        data[f"prize_{line.project_id}"] = str(d.prize) if d and d.prize else ""
        data[f"qualified_{line.project_id}"] = bool(d and d.qualified)
        data[f"reason_{line.project_id}"] = d.reason if d else ""
    return decision_form(project_ids, check, data=data), suggested, existing


def _render(jury, lines, form, existing, status=200):
    projects = [line.project for line in lines]
    limits = decisions.prize_limits(g.competition)
    groups = division_groups(lines)
    for group in groups:  # each Sparte has its own places, prizes and lines that matter
        ids = {line.project_id for line in group}
        decided = {pid: d for pid, d in existing.items() if pid in ids}
        flag_uncertain(group, decisions.decisive_cuts(limits, decided), lines.model)
    judges, cells = scoring.progress_matrix(jury, projects)
    return render_template(
        "results/chair.html",
        jury=jury,
        lines=lines,
        form=form,
        judges=judges,
        cells=cells,
        projects=projects,
        existing=existing,
        limits=limits,
        per_division=len(groups) > 1,
        reopened=decisions.last_unlock(jury),
    ), status


def _on_screen_is_stored(form, lines, existing):
    """Tell whether the decision the chair's form shows is exactly the stored one."""
    if bool(form.tie_decided.data) != any(d.tie_decided for d in existing.values()):
        return False
    for row in _rows_from(form, lines):
        d = existing.get(row.project_id)
        if d is None:
            return False
        stored = (d.place, d.prize, bool(d.qualified), d.reason.strip())
        if stored != (row.place, row.prize, bool(row.qualified), row.reason.strip()):
            return False
    return True


@bp.route("/c/<int:cid>/jury/chair/<int:jury_id>/", methods=["GET", "POST"])
@judge_required
def chair(cid, jury_id):
    """Show the chair the progress matrix and ranking, and record the jury's decision."""
    jury = chaired_jury_or_404(jury_id)
    lines = rank_jury(jury)
    form, suggested, existing = _decision_form(jury, lines)
    if form.is_submitted():
        if jury.is_locked:
            flash(
                _("Die Jury ist abgeschlossen; die Entscheidung kann nicht mehr geändert werden."),
                "error",
            )
            return _render(jury, lines, form, existing, 409)
        if form.lock.data:
            return _lock(jury, lines, form, existing)
        if form.validate():
            rows = _rows_from(form, lines)
            try:
                decisions.save_decisions(
                    jury, rows, suggested, current_user, bool(form.tie_decided.data)
                )
                db.session.commit()
            except DecisionError as exc:
                db.session.rollback()
                form.form_errors.extend(str(v) for v in exc.errors.values())
                return _render(jury, lines, form, existing, 422)
            flash(_("Die Entscheidung der Jury ist gespeichert."), "success")
            return redirect(url_for("results.chair", cid=cid, jury_id=jury.id) + "#decision-h")
        return _render(jury, lines, form, existing, 422)
    return _render(jury, lines, form, existing)


def _lock(jury, lines, form, existing):
    """Lock exactly the decision on the chair's screen, or refuse and keep what it shows."""
    complete = all(line.project_id in existing for line in lines)
    if complete and not _on_screen_is_stored(form, lines, existing):
        form.form_errors.append(
            _(
                "Nicht abgeschlossen: Die Entscheidung auf dem Bildschirm ist nicht die "
                "gespeicherte. Bitte zuerst speichern (oder die Seite neu laden) und dann "
                "abschließen."
            )
        )
        return _render(jury, lines, form, existing, 409)
    try:
        decisions.lock_jury(jury, [line.project_id for line in lines], current_user)
        db.session.commit()
    except DecisionError as exc:
        db.session.rollback()
        for message in exc.errors.values():
            flash(message, "error")
        return redirect(url_for("results.chair", cid=jury.competition_id, jury_id=jury.id))
    flash(_("Die Jury „%(name)s“ ist abgeschlossen.", name=jury.name), "success")
    return redirect(url_for("results.chair", cid=jury.competition_id, jury_id=jury.id))


@bp.route("/c/<int:cid>/jury/chair/<int:jury_id>/lock", methods=["POST"])
@judge_required
def lock(cid, jury_id):
    """Lock the jury's decision as the posted page shows it (the chair page's lock button)."""
    jury = chaired_jury_or_404(jury_id)
    lines = rank_jury(jury)
    form, _suggested, existing = _decision_form(jury, lines)
    if jury.is_locked:
        flash(_("Die Jury ist bereits abgeschlossen."), "error")
        return redirect(url_for("results.chair", cid=cid, jury_id=jury.id))
    return _lock(jury, lines, form, existing)


@bp.route("/c/<int:cid>/org/judging/juries/<int:jury_id>/unlock", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def unlock_jury(cid, jury_id):
    """Show what reopening a locked jury means; reopen it on confirmation with a reason."""
    jury = get_or_404(Jury, jury_id, competition_id=cid)
    if not jury.is_locked:
        flash(_("Die Jury „%(name)s“ ist nicht abgeschlossen.", name=jury.name), "info")
        return redirect(url_for("judging.jury_list", cid=cid))
    form = UnlockJuryForm()
    refusal = decisions.unlock_refusal(jury, g.competition)
    if refusal is None and form.validate_on_submit():
        try:
            decisions.unlock_jury(jury, g.competition, current_user, form.reason.data)
            db.session.commit()
        except decisions.DecisionError as exc:  # another organiser was quicker
            db.session.rollback()
            flash(exc.errors["form"], "error")
            return redirect(url_for("judging.jury_list", cid=cid))
        flash(
            _(
                "Die Jury „%(name)s“ ist wieder offen. Der Juryvorsitz kann Bewertungen und "
                "Entscheidung ändern und die Jury erneut abschließen.",
                name=jury.name,
            ),
            "success",
        )
        return redirect(url_for("judging.jury_list", cid=cid))
    status = 200 if request.method == "GET" else 409 if refusal else 422
    rows = sorted(decisions.decisions_of(jury).values(), key=lambda d: (d.place or 999, d.id))
    return render_template(
        "results/unlock.html",
        jury=jury,
        form=form,
        refusal=refusal,
        rows=rows,
        prize_label=prize_label,
    ), status
