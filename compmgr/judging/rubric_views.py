"""The organiser's rubric editor."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.database import get_or_404
from compmgr.extensions import db
from compmgr.judging import bp, rubric
from compmgr.judging.models import Criterion
from compmgr.judging.score_forms import CriterionForm, ResetScoresForm


def _division_choices():
    return [SelectChoice("", _("alle Sparten"))] + [
        SelectChoice(str(d.id), d.name) for d in g.competition.divisions
    ]


def _form(criterion=None, **kwargs):
    form = CriterionForm(obj=criterion, **kwargs)
    form.division_id.choices = _division_choices()
    if criterion is not None and request.method == "GET":
        form.division_id.data = str(criterion.division_id or "")
    return form


def _data(form):
    division_ids = {d.id for d in g.competition.divisions}
    division = int(form.division_id.data) if form.division_id.data else None
    return {
        "group": form.group.data.strip(),
        "name": form.name.data.strip(),
        "description": (form.description.data or "").strip(),
        "weight": form.weight.data,
        "scale_min": form.scale_min.data,
        "scale_max": form.scale_max.data,
        "division_id": division if division in division_ids else None,
    }


def _index(form=None, reset_form=None, status=200):
    criteria = rubric.criteria(g.competition.id)
    sections = [(None, _("Alle Sparten"), [c for c in criteria if c.division_id is None])]
    for d in g.competition.divisions:
        sections.append((d, d.name, [c for c in criteria if c.division_id == d.id]))
    return render_template(
        "judging/rubric/index.html",
        sections=sections,
        scores=rubric.score_count(g.competition.id),
        form=form or _form(formdata=None),
        reset_form=reset_form or ResetScoresForm(formdata=None),
    ), status


@bp.route("/org/rubric/", endpoint="rubric")
@role_required(Role.ORGANISER)
def index(cid):
    """List the criteria per division, with a form to add one."""
    return _index()


@bp.route("/org/rubric/new", methods=["POST"], endpoint="rubric_create")
@role_required(Role.ORGANISER)
def create(cid):
    """Add a criterion."""
    form = _form()
    if rubric.is_locked(cid):
        flash(_("Es gibt schon Bewertungen: die Bewertungskriterien sind gesperrt."), "error")
        return redirect(url_for(".rubric", cid=cid))
    if not form.validate_on_submit():
        return _index(form=form, status=422)
    rubric.save_criterion(cid, _data(form), user=current_user)
    db.session.commit()
    flash(_("Das Kriterium ist angelegt."), "success")
    return redirect(url_for(".rubric", cid=cid))


@bp.route("/org/rubric/<int:criterion_id>/edit", methods=["GET", "POST"], endpoint="rubric_edit")
@role_required(Role.ORGANISER)
def edit(cid, criterion_id):
    """Edit one criterion."""
    criterion = get_or_404(Criterion, criterion_id, competition_id=cid)
    locked = rubric.is_locked(cid)
    form = _form(criterion)
    if request.method == "POST":
        if locked:
            flash(_("Es gibt schon Bewertungen: die Bewertungskriterien sind gesperrt."), "error")
            return redirect(url_for(".rubric", cid=cid))
        if form.validate_on_submit():
            rubric.save_criterion(cid, _data(form), criterion, user=current_user)
            db.session.commit()
            flash(_("Das Kriterium ist gespeichert."), "success")
            return redirect(url_for(".rubric", cid=cid))
        return render_template(
            "judging/rubric/edit.html", form=form, criterion=criterion, locked=locked
        ), 422
    return render_template(
        "judging/rubric/edit.html", form=form, criterion=criterion, locked=locked
    )


@bp.route("/org/rubric/<int:criterion_id>/delete", methods=["POST"], endpoint="rubric_delete")
@role_required(Role.ORGANISER)
def delete(cid, criterion_id):
    """Delete one criterion."""
    criterion = get_or_404(Criterion, criterion_id, competition_id=cid)
    try:
        rubric.delete_criterion(criterion, user=current_user)
    except rubric.RubricLocked:
        flash(_("Es gibt schon Bewertungen: die Bewertungskriterien sind gesperrt."), "error")
        return redirect(url_for(".rubric", cid=cid))
    db.session.commit()
    flash(_("Das Kriterium ist gelöscht."), "success")
    return redirect(url_for(".rubric", cid=cid))


@bp.route("/org/rubric/reset-scores", methods=["POST"])
@role_required(Role.ORGANISER)
def reset_scores(cid):
    """Delete every score of the competition so the rubric can be edited again."""
    form = ResetScoresForm()
    if not form.validate_on_submit():
        return _index(reset_form=form, status=422)
    n = rubric.reset_scores(cid, user=current_user)
    db.session.commit()
    flash(
        _("%(n)d Bewertungen gelöscht. Die Kriterien können wieder bearbeitet werden.", n=n),
        "success",
    )
    return redirect(url_for(".rubric", cid=cid))
