"""The organiser's judges, juries, conflicts, assignment and timetable; the judge's onboarding."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from compmgr.auth.access import role_required
from compmgr.auth.invitations import outcome_message
from compmgr.auth.models import Role
from compmgr.database import get_or_404
from compmgr.extensions import db
from compmgr.judging import assignment, conflicts, juries
from compmgr.judging.forms import JudgeInviteForm, WelcomeForm
from compmgr.judging.models import Conflict, ConflictStatus, Judge
from compmgr.registration.models import Participant, Project, School
from compmgr.sorting import by_name, by_school, by_stand, person_key, school_key

bp = Blueprint("juries", __name__, url_prefix="/c/<int:cid>")


def _schools(cid):
    return by_school(db.session.scalars(db.select(School).filter_by(competition_id=cid)).all())


def _invite_form(cid, formdata=True):
    form = JudgeInviteForm() if formdata else JudgeInviteForm(formdata=None)
    form.school_id.choices = [(0, _("– keine –"))] + [(s.id, s.label) for s in _schools(cid)]
    form.subjects.choices = [(s.id, s.name) for s in g.competition.subjects]
    form.divisions.choices = [(d.id, d.name) for d in g.competition.divisions]
    form.jury_id.choices = [(0, _("– später –"))] + [(j.id, j.name) for j in juries.juries_of(cid)]
    return form


def _judges_page(form, link=None, status=200):
    cid = g.competition.id
    judges = juries.judges_of(cid)
    return render_template("juries/judges.html", form=form, judges=judges,
                           states=juries.invitation_states(cid, judges),
                           loads=assignment.loads(g.competition), invite_link=link), status


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
            school = get_or_404(School, form.school_id.data, competition_id=cid) if form.school_id.data else None
            jury = None
            if form.jury_id.data:
                from compmgr.judging.models import Jury

                jury = get_or_404(Jury, form.jury_id.data, competition_id=cid)
            _judge, invitation = juries.invite_judge(
                g.competition, current_user, form.first_name.data, form.last_name.data, form.email.data,
                form.affiliation.data or "", school, [by_id[i] for i in form.subjects.data if i in by_id],
                [divisions[i] for i in form.divisions.data if i in divisions], form.availability.data or "",
                jury)
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
        return redirect(url_for("juries.judges", cid=cid))
    invitation = juries.reinvite_judge(g.competition, judge, current_user)
    db.session.commit()
    flash(*outcome_message(invitation))
    return _judges_page(_invite_form(cid, formdata=False), invitation.screen_link)


@bp.route("/org/judging/judges/<int:judge_id>/absent", methods=["POST"])
@role_required(Role.ORGANISER)
def judge_absent(cid, judge_id):
    """Take out a judge who does not come and re-assign with few changes; show the changes."""
    judge = get_or_404(Judge, judge_id, competition_id=cid)
    outcome = assignment.remove_judge(g.competition, judge)
    db.session.commit()
    return render_template("juries/absent.html", judge=judge, outcome=outcome,
                           changes=assignment.changes_by_judge(outcome),
                           report=assignment.coverage_report(g.competition))


@bp.route("/org/judging/conflicts")
@role_required(Role.ORGANISER)
def conflict_list(cid):
    """List every conflict of interest with its reason; flagged ones first."""
    rows = sorted(
        db.session.scalars(db.select(Conflict).join(Judge, Judge.id == Conflict.judge_id)
                           .where(Judge.competition_id == cid)).all(),
        key=lambda c: (c.status != ConflictStatus.FLAGGED, person_key(c.judge), c.id))
    return render_template("juries/conflicts.html", conflicts=rows)


@bp.route("/org/judging/conflicts/derive", methods=["POST"])
@role_required(Role.ORGANISER)
def derive(cid):
    """Derive conflicts afresh from schools, supervisors and surnames."""
    added = conflicts.derive_conflicts(cid)
    db.session.commit()
    flash(_("Befangenheiten geprüft: %(n)d neu gefunden.", n=added), "success")
    return redirect(url_for("juries.conflict_list", cid=cid))


@bp.route("/org/judging/conflicts/<int:conflict_id>/decide", methods=["POST"])
@role_required(Role.ORGANISER)
def decide(cid, conflict_id):
    """Confirm or dismiss a conflict."""
    conflict = db.session.get(Conflict, conflict_id)
    if conflict is None or conflict.judge.competition_id != cid:
        abort(404)
    decision = request.form.get("decision")
    if decision not in ("confirm", "dismiss"):
        flash(_("Bitte wählen Sie „Bestätigen“ oder „Verwerfen“."), "error")
        return redirect(url_for("juries.conflict_list", cid=cid))
    conflicts.decide_conflict(conflict, decision == "confirm", current_user)
    db.session.commit()
    flash(_("Befangenheit bestätigt.") if decision == "confirm" else _("Befangenheit verworfen."), "success")
    return redirect(url_for("juries.conflict_list", cid=cid))


def _welcome_form(judge, formdata=True):
    cid = judge.competition_id
    form = WelcomeForm() if formdata else WelcomeForm(formdata=None)
    people = by_name(db.session.scalars(
        db.select(Participant).filter_by(competition_id=cid).where(Participant.memberships.any())
    ).all())
    form.offer(_schools(cid), by_stand(assignment.active_projects(cid)),
               sorted(people, key=lambda p: school_key(p.school)))  # by school, then by name
    if not formdata or request.method == "GET":
        declared = db.session.scalars(db.select(Conflict).filter_by(judge_id=judge.id, source="declared")).all()
        form.accept.data = judge.confidentiality_accepted_at is not None
        form.schools.data = [c.school_id for c in declared if c.school_id]
        form.projects.data = [c.project_id for c in declared if c.project_id]
        form.participants.data = [c.participant_id for c in declared if c.participant_id]
    return form


@bp.route("/jury/welcome", methods=["GET", "POST"])
@role_required(Role.JUDGE)
def welcome(cid):
    """Let a judge accept the confidentiality declaration and declare conflicts of interest."""
    judge = g.judge
    form = _welcome_form(judge)
    if form.validate_on_submit():
        cid_filter = {"competition_id": cid}
        schools = [get_or_404(School, i, **cid_filter) for i in form.schools.data]
        projects = [get_or_404(Project, i, **cid_filter) for i in form.projects.data]
        people = [get_or_404(Participant, i, **cid_filter) for i in form.participants.data]
        juries.accept_confidentiality(judge)
        conflicts.declare_conflicts(judge, schools, projects, people)
        db.session.commit()
        flash(_("Danke! Ihre Angaben sind gespeichert."), "success")
        return redirect(url_for("judging.dashboard", cid=cid))
    status = 422 if request.method == "POST" else 200
    return render_template("juries/welcome.html", form=form, judge=judge), status


from compmgr.judging import admin_assign_views  # noqa: E402,F401  (routes on this blueprint)
