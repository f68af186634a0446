"""The organiser's judges, juries, conflicts, assignment and timetable; the judge's onboarding."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from compmgr.auth.access import role_required
from compmgr.auth.invitations import outcome_message
from compmgr.auth.models import Role
from compmgr.database import get_or_404
from compmgr.extensions import db
from compmgr.judging import assignment, bp, conflicts, juries, timetable
from compmgr.judging.access import competition_conflict_or_404
from compmgr.judging.forms import JudgeEditForm, JudgeInviteForm
from compmgr.judging.models import Conflict, ConflictStatus, Judge, Jury
from compmgr.registration import people
from compmgr.registration.models import School
from compmgr.sorting import person_key


def _invite_form(cid, formdata=True):
    form = JudgeInviteForm() if formdata else JudgeInviteForm(formdata=None)
    form.school_id.choices = [(0, _("– keine –"))] + [
        (s.id, s.label) for s in people.schools_of(cid)
    ]
    form.subjects.choices = [(s.id, s.name) for s in g.competition.subjects]
    form.divisions.choices = [(d.id, d.name) for d in g.competition.divisions]
    form.jury_id.choices = [(0, _("– später –"))] + [(j.id, j.name) for j in juries.juries_of(cid)]
    return form


def _judges_page(form, link=None, status=200):
    cid = g.competition.id
    judges = juries.judges_of(cid, windows=True)
    return render_template(
        "judging/judges.html",
        form=form,
        judges=judges,
        states=juries.invitation_states(cid, judges),
        loads=assignment.loads(g.competition),
        expertise=juries.expertise,
        invite_link=link,
    ), status


@bp.route("/org/judging/judges", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def judges(cid):
    """List the judges with their state and invite new ones (again, if they never joined)."""
    form = _invite_form(cid)
    if form.validate_on_submit():
        existing = juries.judge_by_email(cid, form.email.data)
        if existing is not None:  # the form lets through only judges who have not joined
            invitation = juries.reinvite_judge(g.competition, existing, current_user)
        else:
            by_id = {s.id: s for s in g.competition.subjects}
            divisions = {d.id: d for d in g.competition.divisions}
            school = (
                get_or_404(School, form.school_id.data, competition_id=cid)
                if form.school_id.data
                else None
            )
            jury = None
            if form.jury_id.data:
                jury = get_or_404(Jury, form.jury_id.data, competition_id=cid)
            _judge, invitation = juries.invite_judge(
                g.competition,
                current_user,
                form.first_name.data,
                form.last_name.data,
                form.email.data,
                form.affiliation.data or "",
                school,
                [by_id[i] for i in form.subjects.data if i in by_id],
                [divisions[i] for i in form.divisions.data if i in divisions],
                form.availability.data or "",
                jury,
            )
        db.session.commit()
        flash(*outcome_message(invitation))
        return _judges_page(_invite_form(cid, formdata=False), invitation.screen_link)
    if request.method == "POST":
        return _judges_page(form, status=422)
    return _judges_page(form)


@bp.route("/org/judging/judges/<int:judge_id>/reinvite", methods=["POST"])
@role_required(Role.ORGANISER)
def judge_reinvite(cid, judge_id):
    """Send a judge who has not joined yet the invitation again (a fresh link, or the offer)."""
    judge = get_or_404(Judge, judge_id, competition_id=cid)
    if juries.invitation_states(cid, [judge])[judge.id] == "accepted":
        flash(_("%(email)s ist bereits Juror(in) in diesem Wettbewerb.", email=judge.email), "info")
        return redirect(url_for("judging.judges", cid=cid))
    invitation = juries.reinvite_judge(g.competition, judge, current_user)
    db.session.commit()
    flash(*outcome_message(invitation))
    return _judges_page(_invite_form(cid, formdata=False), invitation.screen_link)


@bp.route("/org/judging/judges/<int:judge_id>/absent", methods=["POST"])
@role_required(Role.ORGANISER)
def judge_absent(cid, judge_id):
    """Take out a judge who does not come and re-assign with few changes; show the changes."""
    judge = get_or_404(Judge, judge_id, competition_id=cid)
    juries.record_absence(judge)
    outcome = assignment.remove_judge(g.competition, judge)
    db.session.commit()
    try:
        plan = timetable.repair_if_planned(g.competition)
    except timetable.TimetableError:
        plan = None
    db.session.commit()
    return render_template(
        "judging/absent.html",
        judge=judge,
        outcome=outcome,
        plan=plan,
        changes=assignment.changes_by_judge(outcome),
        report=assignment.coverage_report(g.competition),
    )


@bp.route("/org/judging/judges/<int:judge_id>/present", methods=["POST"])
@role_required(Role.ORGANISER)
def judge_present(cid, judge_id):
    """Undo a judge's absence: back into the juries they were in."""
    judge = get_or_404(Judge, judge_id, competition_id=cid)
    if not judge.is_absent:
        flash(_("%(name)s ist nicht als ausgefallen vermerkt.", name=judge.full_name), "info")
        return redirect(url_for("judging.judges", cid=cid))
    back = juries.undo_absence(judge)
    db.session.commit()
    flash(
        _(
            "%(name)s ist wieder dabei (%(juries)s). Projekte bekommt sie oder er beim nächsten "
            "„Automatisch zuteilen“ oder von Hand.",
            name=judge.full_name,
            juries=", ".join(j.name for j in back) or _("keine Jury"),
        ),
        "success",
    )
    return redirect(url_for("judging.judges", cid=cid))


def _edit_form(judge, formdata=True):
    cid = judge.competition_id
    form = JudgeEditForm() if formdata else JudgeEditForm(formdata=None, obj=judge)
    form.school_id.choices = [(0, _("– keine –"))] + [
        (s.id, s.label) for s in people.schools_of(cid)
    ]
    form.subjects.choices = [(s.id, s.name) for s in g.competition.subjects]
    form.divisions.choices = [(d.id, d.name) for d in g.competition.divisions]
    if not formdata:
        form.school_id.data = judge.school_id or 0
        form.subjects.data = [s.id for s in judge.subjects]
        form.divisions.data = [d.id for d in judge.divisions]
    return form


@bp.route("/org/judging/judges/<int:judge_id>/edit", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def judge_edit(cid, judge_id):
    """Edit a judge: name, institution, school, expertise, Sparten and availability."""
    judge = get_or_404(Judge, judge_id, competition_id=cid)
    form = _edit_form(judge, formdata=request.method == "POST")
    if form.validate_on_submit():
        by_id = {s.id: s for s in g.competition.subjects}
        divisions = {d.id: d for d in g.competition.divisions}
        school = (
            get_or_404(School, form.school_id.data, competition_id=cid)
            if form.school_id.data
            else None
        )
        juries.update_judge(
            judge,
            {name: getattr(form, name).data for name in juries.JUDGE_FIELDS},
            school,
            [by_id[i] for i in form.subjects.data if i in by_id],
            [divisions[i] for i in form.divisions.data if i in divisions],
        )
        db.session.commit()
        flash(_("Die Angaben zu %(name)s sind gespeichert.", name=judge.full_name), "success")
        return redirect(url_for("judging.judges", cid=cid))
    status = 422 if request.method == "POST" else 200
    return render_template("judging/judge_form.html", form=form, judge=judge), status


@bp.route("/org/judging/conflicts")
@role_required(Role.ORGANISER)
def conflict_list(cid):
    """List every conflict of interest with its reason; flagged ones first."""
    rows = sorted(
        db.session.scalars(
            db.select(Conflict)
            .join(Judge, Judge.id == Conflict.judge_id)
            .where(Judge.competition_id == cid)
        ).all(),
        key=lambda c: (c.status != ConflictStatus.FLAGGED, person_key(c.judge), c.id),
    )
    return render_template("judging/conflicts.html", conflicts=rows)


@bp.route("/org/judging/conflicts/derive", methods=["POST"])
@role_required(Role.ORGANISER)
def derive(cid):
    """Derive conflicts afresh from schools, supervisors and surnames."""
    added = conflicts.derive_conflicts(cid)
    db.session.commit()
    flash(_("Befangenheiten geprüft: %(n)d neu gefunden.", n=added), "success")
    return redirect(url_for("judging.conflict_list", cid=cid))


@bp.route("/org/judging/conflicts/<int:conflict_id>/decide", methods=["POST"])
@role_required(Role.ORGANISER)
def decide(cid, conflict_id):
    """Confirm or dismiss a conflict."""
    conflict = competition_conflict_or_404(cid, conflict_id)
    decision = request.form.get("decision")
    if decision not in ("confirm", "dismiss"):
        flash(_("Bitte wählen Sie „Bestätigen“ oder „Verwerfen“."), "error")
        return redirect(url_for("judging.conflict_list", cid=cid))
    conflicts.decide_conflict(conflict, decision == "confirm", current_user)
    db.session.commit()
    flash(
        _("Befangenheit bestätigt.") if decision == "confirm" else _("Befangenheit verworfen."),
        "success",
    )
    return redirect(url_for("judging.conflict_list", cid=cid))
