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
from compmgr.auth.access import ACCESS_ATTR, policy_of, role_required
from compmgr.auth.models import Role, User
from compmgr.competitions.models import Competition
from compmgr.extensions import db
from compmgr.judging import scoring
from compmgr.judging.models import Conflict, Judge


def current_judge(competition_id):
    """Return the judge profile of the current user in a competition, or None."""
    row = _profile(competition_id)
    return row[0] if row is not None else None


def _profile(competition_id):
    """Return (judge profile, competition) of the current user, or None: one statement.

    While the caller holds the row, the competition stays in the session's identity map
    (which keeps only what is referenced), so ``role_required`` finds it there.
    """
    return db.session.execute(
        _profile_query(), {"competition_id": competition_id, "user_id": current_user.id}
    ).first()


@cache
def _profile_query():
    return (
        db.select(Judge, Competition)
        .join(Competition, Competition.id == Judge.competition_id)
        .where(
            Judge.competition_id == bindparam("competition_id"),
            Judge.user_id == bindparam("user_id"),
        )
    )


def _with_judge_profile(query):
    """Add the user's judge profile in the URL's competition to the user loader's statement."""
    return query.add_columns(Judge).outerjoin(
        Judge, (Judge.user_id == User.id) & (Judge.competition_id == bindparam("cid"))
    )


def judge_required(view):
    """Let in the judges of the competition named by ``cid``; set ``g.judge``.

    A judge role without a judge profile (removed by the organiser) is refused with 403.
    The profile is read with the user, the session and the competition, in the user loader's
    one statement (``sessions.preloads``: the autosave runs this on every change); it is the
    user's own row, and ``g.judge`` is set only once ``role_required`` has let the user in.
    """

    @wraps(view)
    def with_judge(*args, **kwargs):
        if "_judge_profile" in g:
            row = g.pop("_judge_profile")
            g.judge = row[0] if row is not None else None
        else:
            g.judge = current_judge(g.competition.id)
        if g.judge is None or g.judge.competition_id != g.competition.id:
            abort(403)
        return view(*args, **kwargs)

    checked = role_required(Role.JUDGE)(with_judge)

    @wraps(view)
    def with_profile(*args, **kwargs):
        cid = kwargs.get("cid")
        if current_user.is_authenticated and isinstance(cid, int):
            row = sessions.loaded_with_user(cid)
            # None for a user set without the loader (e.g. logged in by this very request).
            g._judge_profile = (
                (row.Judge,) if row is not None and "Judge" in row._fields else _profile(cid)
            )
        return checked(*args, **kwargs)

    setattr(with_profile, ACCESS_ATTR, policy_of(checked))
    return sessions.preloads(_with_judge_profile)(with_profile)


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
