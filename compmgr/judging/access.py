"""The judge's access: the role decorator that loads the judge profile, and the judge's loaders.

Auth's ``role_required`` sets the competition, the grant and the role; ``judge_required`` adds
``g.judge``, the current user's judge profile in the competition. The loaders answer 404 for
a project, jury or conflict that is not the judge's (or not the competition's).
"""

from functools import cache, wraps

from flask import abort, g
from flask_login import current_user
from sqlalchemy import bindparam

from compmgr.auth import sessions
from compmgr.auth.access import role_required
from compmgr.auth.models import Role, User
from compmgr.extensions import db
from compmgr.judging import scoring
from compmgr.judging.models import Conflict, Judge


def current_judge(competition_id):
    """Return the judge profile of the current user in a competition, or None.

    Read with the user when the loader did so for this competition (``sessions.preloads``:
    the autosave runs this on every change), else with a statement of its own.
    """
    row = sessions.loaded_with_user(competition_id)
    if row is not None and "Judge" in row._fields:
        return row.Judge
    return db.session.scalar(
        _profile_query(), {"competition_id": competition_id, "user_id": current_user.id}
    )


@cache
def _profile_query():
    return db.select(Judge).where(
        Judge.competition_id == bindparam("competition_id"),
        Judge.user_id == bindparam("user_id"),
    )


def _with_judge_profile(query):
    """Add the user's judge profile in the URL's competition to the user loader's statement."""
    return query.add_columns(Judge).outerjoin(
        Judge, (Judge.user_id == User.id) & (Judge.competition_id == bindparam("cid"))
    )


def judge_required(view):
    """Let in the judges of the competition named by ``cid``; set ``g.judge``.

    A judge role without a judge profile (removed by the organiser) is refused with 403.
    The profile comes with the user loader's one statement (``current_judge``); it is the
    user's own row, and ``g.judge`` is set only once ``role_required`` has let the user in.
    """

    @wraps(view)
    def with_judge(*args, **kwargs):
        g.judge = current_judge(g.competition.id)
        if g.judge is None or g.judge.competition_id != g.competition.id:
            abort(403)
        return view(*args, **kwargs)

    return sessions.preloads(_with_judge_profile)(role_required(Role.JUDGE)(with_judge))


def judge_project_or_404(project_id):
    """Load a project the current judge may score, or 404."""
    project = scoring.project_for_judge(g.judge, project_id)
    if project is None:
        abort(404)
    return project


def chaired_jury_or_404(jury_id):
    """Load a jury the current judge chairs, or 404."""
    jury = scoring.chair_jury(g.judge, jury_id)
    if jury is None:
        abort(404)
    return jury


def competition_conflict_or_404(cid, conflict_id):
    """Load a conflict of interest of this competition (for organisers), or 404."""
    conflict = db.session.get(Conflict, conflict_id)
    if conflict is None or conflict.judge.competition_id != cid:
        abort(404)
    return conflict
