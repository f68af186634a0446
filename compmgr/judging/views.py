"""The judge's pages: "Meine Projekte", the paper, the score sheet and its autosave."""

from flask import (
    Blueprint,
    abort,
    current_app,
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

from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.database import begin_writes, reads_first
from compmgr.extensions import db
from compmgr.judging import scoring
from compmgr.judging.models import JuryMember
from compmgr.judging.score_forms import score_form
from compmgr.registration.documents import send_document
from compmgr.registration.models import DocumentKind

bp = Blueprint("judging", __name__, url_prefix="/c/<int:cid>/jury")


def _welcome_redirect(cid):
    """Send a judge who has not accepted the confidentiality declaration to the welcome page."""
    if g.judge.confidentiality_accepted_at is None and "juries.welcome" in current_app.view_functions:
        return redirect(url_for("juries.welcome", cid=cid))
    return None


def _project_or_404(project_id):
    project = scoring.project_for_judge(g.judge, project_id)
    if project is None:
        abort(404)
    return project


@bp.route("/")
@role_required(Role.JUDGE)
def dashboard(cid):
    """Show a judge their assigned projects with time slot, paper and progress."""
    if (response := _welcome_redirect(cid)) is not None:
        return response
    memberships = db.session.scalars(db.select(JuryMember).filter_by(judge_id=g.judge.id)).all()
    assignments = scoring.visible_assignments(g.judge)
    progress = scoring.progress(g.judge, [a.project for a in assignments])
    done = sum(1 for s, t, sub in progress.values() if sub and t and s >= t)  # finished sheets
    return render_template("judging/dashboard.html", memberships=memberships,
                           assignments=assignments, progress=progress, done=done)


@bp.route("/projects/<int:project_id>/paper")
@role_required(Role.JUDGE)
def paper(cid, project_id):
    """Send the written paper of an assigned project."""
    return send_document(_project_or_404(project_id), DocumentKind.PAPER)


def _sheet_context(project, form, missing=()):
    """Return what the score page shows; ``missing`` are the ids of criteria still to score."""
    criteria = scoring.criteria_for(project.competition_id, project.division_id)
    groups = []
    for c in criteria:
        if not groups or groups[-1][0] != c.group:
            groups.append((c.group, []))
        groups[-1][1].append((c, form[f"c{c.id}"]))
    return {"project": project, "form": form, "groups": groups,
            "locked": scoring.is_locked(project),
            "missing": [c for c in criteria if c.id in missing],
            "missing_text": _missing_text(len(missing)) if missing else ""}


def _missing_text(count):
    """Say that the sheet stays a draft until the marked criteria have a value."""
    return ngettext("Noch nicht abgeschlossen: %(num)d Kriterium hat noch keinen Wert (markiert). "
                    "Ihre Eingaben sind als Zwischenstand gespeichert.",
                    "Noch nicht abgeschlossen: %(num)d Kriterien haben noch keinen Wert (markiert). "
                    "Ihre Eingaben sind als Zwischenstand gespeichert.", count)


@bp.route("/projects/<int:project_id>/", methods=["GET", "POST"])
@role_required(Role.JUDGE)
def score(cid, project_id):
    """Show and save one project's score sheet; works as a plain form without JavaScript."""
    project = _project_or_404(project_id)
    if request.method == "GET" and (response := _welcome_redirect(cid)) is not None:
        return response
    criteria = scoring.criteria_for(project.competition_id, project.division_id)
    values, review = scoring.sheet(g.judge, project)
    data = {f"c{cid_}": v for cid_, v in values.items()}
    data["note"] = review.note if review else ""
    form = score_form(criteria, data=data if request.method == "GET" else None)
    if request.method == "POST":
        if scoring.is_locked(project):
            flash(_("Die Jury hat abgeschlossen: Bewertungen können nicht mehr geändert werden."), "error")
            return render_template("judging/score.html", **_sheet_context(project, form)), 409
        if form.validate_on_submit():
            submitted = {c.id: form[f"c{c.id}"].data for c in criteria}
            finish = bool(form.finish.data)
            try:
                saved = scoring.save_sheet_once(g.judge, project, submitted, form.note.data or "",
                                                submit=finish, user=current_user)
            except scoring.ScoringForbidden:
                abort(404)
            if saved.refused:  # saved as a draft; show which criteria are missing
                return render_template("judging/score.html",
                                       **_sheet_context(project, form, saved.missing)), 422
            if finish:
                flash(_("Bewertung für „%(t)s“ gespeichert.", t=project.title), "success")
                return redirect(url_for("judging.dashboard", cid=cid))
            flash(_("Zwischenstand gespeichert."), "success")
            return redirect(url_for("judging.score", cid=cid, project_id=project.id))
        return render_template("judging/score.html", **_sheet_context(project, form)), 422
    return render_template("judging/score.html", review=review, **_sheet_context(project, form))


@bp.route("/projects/<int:project_id>/autosave", methods=["POST"])
@role_required(Role.JUDGE)
@reads_first
def autosave(cid, project_id):
    """Save values sent as JSON by the score page; answer with what the server now holds."""
    project = _project_or_404(project_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("values", {}), dict):
        return jsonify(ok=False, error=_("Ungültige Daten.")), 400
    note = payload.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > 5000):
        return jsonify(ok=False, error=_("Die Notiz ist zu lang.")), 422
    begin_writes()  # the checks above only read; hold SQLite's write lock just for the save
    try:
        saved = scoring.save_sheet_once(g.judge, project, payload.get("values", {}), note,
                                        submit=bool(payload.get("submit")), user=current_user)
    except scoring.ScoringForbidden:  # e.g. assignment removed while the save waited
        abort(404)
    except scoring.ScoringLocked:
        return jsonify(ok=False, locked=True, error=_(
            "Die Jury hat abgeschlossen: Bewertungen können nicht mehr geändert werden.")), 409
    except scoring.ScoringError as exc:
        return jsonify(ok=False, errors={str(k): v for k, v in exc.errors.items()}), 422
    answer = {"ok": True, "changed": saved.changed, "note": saved.note,
              "values": {str(k): v for k, v in saved.values.items()},
              "submitted": saved.submitted, "missing": [str(i) for i in saved.missing]}
    if saved.refused:
        answer.update(refused=True, message=_missing_text(len(saved.missing)))
    return jsonify(answer)


from compmgr.judging import chair_views  # noqa: E402,F401  (the chair's routes on this blueprint)
