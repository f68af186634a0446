"""The organiser's Sonderpreise: define, edit, delete and award special prizes."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.database import get_or_404
from compmgr.extensions import db
from compmgr.registration.models import Project
from compmgr.results import bp, prizes
from compmgr.results.forms import AwardForm, SpecialPrizeForm
from compmgr.results.models import SpecialPrize


def _award_form(prize, projects, formdata=True):
    form = AwardForm(prefix=f"a{prize.id}", **({} if formdata else {"formdata": None}))
    taken = {a.project_id for a in prize.awards}
    form.project_id.choices = [(0, _("– Projekt wählen –"))] + [
        (p.id, f"{p.stand_title} ({p.school.name})") for p in projects if p.id not in taken
    ]
    return form


def _render_index(new_form=None, failed_award=None, status=200):
    """Render the prize list; a failed form replaces its fresh twin to show its errors."""
    projects = prizes.awardable_projects(g.competition)
    rows = []
    for prize in prizes.list_prizes(g.competition):
        if failed_award is not None and failed_award._prefix == f"a{prize.id}-":
            form = failed_award
        else:
            form = _award_form(prize, projects, formdata=False)
        rows.append((prize, form))
    new_form = new_form or SpecialPrizeForm(formdata=None)
    return render_template("results/prizes.html", rows=rows, new_form=new_form), status


@bp.route("/c/<int:cid>/org/prizes")
@role_required(Role.ORGANISER)
def prize_index(cid):
    """List the Sonderpreise with their winners."""
    return _render_index()


@bp.route("/c/<int:cid>/org/prizes", methods=["POST"])
@role_required(Role.ORGANISER)
def prize_create(cid):
    """Add a Sonderpreis."""
    form = SpecialPrizeForm()
    if not form.validate_on_submit():
        return _render_index(new_form=form, status=422)
    prizes.save_prize(SpecialPrize(competition_id=cid), **form.data)
    db.session.commit()
    flash(_("Der Sonderpreis ist angelegt."), "success")
    return redirect(url_for(".prize_index", cid=cid))


@bp.route("/c/<int:cid>/org/prizes/<int:prize_id>", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def prize_edit(cid, prize_id):
    """Change a Sonderpreis's name, sponsor, amount or description."""
    prize = get_or_404(SpecialPrize, prize_id, competition_id=cid)
    form = SpecialPrizeForm(obj=prize)
    if form.validate_on_submit():
        prizes.save_prize(prize, **form.data)
        db.session.commit()
        flash(_("Gespeichert."), "success")
        return redirect(url_for(".prize_index", cid=cid))
    status = 422 if form.is_submitted() else 200
    return render_template("results/prize_form.html", form=form, prize=prize), status


@bp.route("/c/<int:cid>/org/prizes/<int:prize_id>/delete", methods=["POST"])
@role_required(Role.ORGANISER)
def prize_delete(cid, prize_id):
    """Delete a Sonderpreis together with its awards."""
    prize = get_or_404(SpecialPrize, prize_id, competition_id=cid)
    db.session.delete(prize)
    db.session.commit()
    flash(_("Der Sonderpreis „%(name)s“ ist gelöscht.", name=prize.name), "success")
    return redirect(url_for(".prize_index", cid=cid))


@bp.route("/c/<int:cid>/org/prizes/<int:prize_id>/awards", methods=["POST"])
@role_required(Role.ORGANISER)
def prize_award(cid, prize_id):
    """Award a Sonderpreis to a project of this competition."""
    prize = get_or_404(SpecialPrize, prize_id, competition_id=cid)
    form = _award_form(prize, prizes.awardable_projects(g.competition))
    if not form.validate_on_submit():
        return _render_index(failed_award=form, status=422)
    project = get_or_404(Project, form.project_id.data, competition_id=cid)
    prizes.award(prize, project)
    db.session.commit()
    flash(
        _("„%(prize)s“ geht an „%(title)s“.", prize=prize.name, title=project.stand_title),
        "success",
    )
    return redirect(url_for(".prize_index", cid=cid))


@bp.route("/c/<int:cid>/org/prizes/<int:prize_id>/awards/<int:project_id>/delete", methods=["POST"])
@role_required(Role.ORGANISER)
def prize_revoke(cid, prize_id, project_id):
    """Take a Sonderpreis away from a project."""
    prize = get_or_404(SpecialPrize, prize_id, competition_id=cid)
    if not prizes.revoke(prize, project_id):
        return redirect(url_for(".prize_index", cid=cid))
    db.session.commit()
    flash(_("Die Vergabe ist zurückgenommen."), "success")
    return redirect(url_for(".prize_index", cid=cid))
