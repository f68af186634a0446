"""The judge's pages: "Meine Projekte", the paper, the score sheet and its autosave."""

from flask import (
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from compmgr.database import begin_writes, get_or_404, reads_first
from compmgr.extensions import db
from compmgr.judging import assignment, bp, conflicts, juries, scoring
from compmgr.judging.access import judge_project_or_404, judge_required
from compmgr.judging.forms import WelcomeForm
from compmgr.judging.models import Conflict, JuryMember
from compmgr.judging.score_forms import score_form
from compmgr.registration import people
from compmgr.registration.documents import send_document
from compmgr.registration.models import DocumentKind, Participant, Project, School
from compmgr.sorting import by_name, by_stand, school_key


def _welcome_redirect(cid):
    """Send a judge who has not accepted the confidentiality declaration to the welcome page."""
    if g.judge.confidentiality_accepted_at is None:
        return redirect(url_for("judging.welcome", cid=cid))
    return None


@bp.route("/jury/")
@judge_required
def dashboard(cid):
    """Show a judge their assigned projects with time slot, paper and progress."""
    if (response := _welcome_redirect(cid)) is not None:
        return response
    memberships = db.session.scalars(
        db.select(JuryMember).filter_by(judge_id=g.judge.id).options(selectinload(JuryMember.jury))
    ).all()
    assignments = scoring.visible_assignments(g.judge, documents=True)
    projects = [a.project for a in assignments]
    progress = scoring.progress(g.judge, projects)
    done = sum(1 for s, t, sub in progress.values() if sub and t and s >= t)  # finished sheets
    locked = scoring.locked_at_of(cid, projects)
    finished = {pid for pid, (s, t, sub) in progress.items() if sub and t and s >= t}
    # a sheet of a locked jury is no longer open: nothing to do there any more
    still_open = sum(1 for pid in locked if not locked[pid] and pid not in finished)
    return render_template(
        "judging/dashboard.html",
        memberships=memberships,
        assignments=assignments,
        progress=progress,
        done=done,
        still_open=still_open,
        locked=locked,
    )


@bp.route("/jury/projects/<int:project_id>/paper")
@judge_required
def paper(cid, project_id):
    """Send the written paper of an assigned project."""
    return send_document(judge_project_or_404(project_id), DocumentKind.PAPER)


def _sheet_context(project, form, missing=()):
    """Return what the score page shows; ``missing`` are the ids of criteria still to score."""
    criteria = scoring.criteria_for(project.competition_id, project.division_id)
    groups = []
    for c in criteria:
        if not groups or groups[-1][0] != c.group:
            groups.append((c.group, []))
        groups[-1][1].append((c, form[f"c{c.id}"]))
    return {
        "project": project,
        "form": form,
        "groups": groups,
        "locked": scoring.is_locked(project),
        "locked_at": scoring.locked_at(project),
        "missing": [c for c in criteria if c.id in missing],
        "missing_text": _missing_text(len(missing)) if missing else "",
    }


def _missing_text(count):
    """Say that the sheet stays a draft until the marked criteria have a value."""
    return ngettext(
        "Noch nicht abgeschlossen: %(num)d Kriterium hat noch keinen Wert (markiert). "
        "Ihre Eingaben sind als Zwischenstand gespeichert.",
        "Noch nicht abgeschlossen: %(num)d Kriterien haben noch keinen Wert (markiert). "
        "Ihre Eingaben sind als Zwischenstand gespeichert.",
        count,
    )


@bp.route("/jury/projects/<int:project_id>/", methods=["GET", "POST"])
@judge_required
def score(cid, project_id):
    """Show and save one project's score sheet; works as a plain form without JavaScript."""
    project = judge_project_or_404(project_id)
    if request.method == "GET" and (response := _welcome_redirect(cid)) is not None:
        return response
    criteria = scoring.criteria_for(project.competition_id, project.division_id)
    values, review = scoring.sheet(g.judge, project)
    data = {f"c{cid_}": v for cid_, v in values.items()}
    data["note"] = review.note if review else ""
    form = score_form(criteria, data=data if request.method == "GET" else None)
    if request.method == "POST":
        if scoring.is_locked(project):
            flash(
                _("Die Jury hat abgeschlossen: Bewertungen können nicht mehr geändert werden."),
                "error",
            )
            return render_template("judging/score.html", **_sheet_context(project, form)), 409
        if form.validate_on_submit():
            submitted = {c.id: form[f"c{c.id}"].data for c in criteria}
            finish = bool(form.finish.data)
            try:
                saved = scoring.save_sheet_once(
                    g.judge,
                    project,
                    submitted,
                    form.note.data or "",
                    submit=finish,
                    user=current_user,
                )
            except scoring.ScoringForbidden:
                abort(404)
            if saved.refused:  # saved as a draft; show which criteria are missing
                return render_template(
                    "judging/score.html", **_sheet_context(project, form, saved.missing)
                ), 422
            if finish:
                flash(_("Bewertung für „%(t)s“ gespeichert.", t=project.title), "success")
                return redirect(url_for("judging.dashboard", cid=cid))
            flash(_("Zwischenstand gespeichert."), "success")
            return redirect(url_for("judging.score", cid=cid, project_id=project.id))
        return render_template("judging/score.html", **_sheet_context(project, form)), 422
    return render_template("judging/score.html", review=review, **_sheet_context(project, form))


@bp.route("/jury/projects/<int:project_id>/autosave", methods=["POST"])
@judge_required
@reads_first
def autosave(cid, project_id):
    """Save values sent as JSON by the score page; answer with what the server now holds.

    The judge's right to score the project is asked once, by ``save_sheet`` under the write
    lock, in the statement that loads the project (another competition's project, or one not
    the judge's: 404). A payload that cannot be saved is answered after the same check, so
    the answer never tells about a project that is not the judge's.
    """
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("values", {}), dict):
        judge_project_or_404(project_id)
        return jsonify(ok=False, error=_("Ungültige Daten.")), 400
    note = payload.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > 5000):
        judge_project_or_404(project_id)
        return jsonify(ok=False, error=_("Die Notiz ist zu lang.")), 422
    begin_writes()  # the checks above only read; hold SQLite's write lock just for the save
    try:
        saved = scoring.save_sheet_once(
            g.judge,
            project_id,
            payload.get("values", {}),
            note,
            submit=bool(payload.get("submit")),
            user=current_user,
        )
    except scoring.ScoringForbidden:  # e.g. assignment removed while the save waited
        abort(404)
    except scoring.ScoringLocked:
        return jsonify(
            ok=False,
            locked=True,
            error=_("Die Jury hat abgeschlossen: Bewertungen können nicht mehr geändert werden."),
        ), 409
    except scoring.ScoringError as exc:
        return jsonify(ok=False, errors={str(k): v for k, v in exc.errors.items()}), 422
    answer = {
        "ok": True,
        "changed": saved.changed,
        "note": saved.note,
        "values": {str(k): v for k, v in saved.values.items()},
        "submitted": saved.submitted,
        "missing": [str(i) for i in saved.missing],
    }
    if saved.refused:
        answer.update(refused=True, message=_missing_text(len(saved.missing)))
    return jsonify(answer)


def _welcome_form(judge, formdata=True):
    cid = judge.competition_id
    form = WelcomeForm() if formdata else WelcomeForm(formdata=None)
    members = by_name(
        db.session.scalars(
            db.select(Participant)
            .filter_by(competition_id=cid)
            .where(Participant.memberships.any())
        ).all()
    )
    form.offer(
        people.schools_of(cid),
        by_stand(assignment.active_projects(cid)),
        sorted(members, key=lambda p: school_key(p.school)),
    )  # by school, then by name
    if not formdata or request.method == "GET":
        declared = db.session.scalars(
            db.select(Conflict).filter_by(judge_id=judge.id, source="declared")
        ).all()
        form.accept.data = judge.confidentiality_accepted_at is not None
        form.schools.data = [c.school_id for c in declared if c.school_id]
        form.projects.data = [c.project_id for c in declared if c.project_id]
        form.participants.data = [c.participant_id for c in declared if c.participant_id]
    return form


@bp.route("/jury/welcome", methods=["GET", "POST"])
@judge_required
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
    return render_template("judging/welcome.html", form=form, judge=judge), status
