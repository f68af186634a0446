"""Instance administration: competitions and accounts across the instance."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from compmgr.admin import bp
from compmgr.admin.forms import CompetitionCreateForm
from compmgr.auth.access import admin_required
from compmgr.auth.models import RoleGrant, User
from compmgr.competitions.models import Competition
from compmgr.competitions.services import create_competition
from compmgr.database import get_or_404
from compmgr.extensions import db
from compmgr.security import page_arg

USERS_PER_PAGE = 50  # a round has thousands of accounts: a page at a time


@bp.route("/admin/")
@admin_required
def competitions():
    """List every competition of the instance, newest round first."""
    rows = db.session.scalars(
        db.select(Competition).order_by(Competition.round_year.desc(), Competition.name)
    ).all()
    return render_template("admin/competitions.html", competitions=rows)


@bp.route("/admin/competitions/new", methods=["GET", "POST"])
@admin_required
def new_competition():
    """Create a competition, fresh or as a copy of an earlier one's settings."""
    form = CompetitionCreateForm()
    earlier = db.session.scalars(
        db.select(Competition).order_by(Competition.round_year.desc())
    ).all()
    form.copy_from.choices = [(0, _("– Standardwerte –"))] + [(c.id, c.title) for c in earlier]
    if form.validate_on_submit():
        source = db.session.get(Competition, form.copy_from.data) if form.copy_from.data else None
        comp = create_competition(
            form.name.data.strip(), form.round_year.data, copy_from=source, level=form.level.data
        )
        db.session.commit()
        flash(_("Wettbewerb „%(name)s“ angelegt.", name=comp.title), "success")
        return redirect(url_for("admin.settings", cid=comp.id))
    return render_template("admin/competition_form.html", form=form)


@bp.route("/admin/users")
@admin_required
def users():
    """List the accounts with their roles, a page at a time, searchable by name or e-mail."""
    query = (request.args.get("q") or "").strip()[:200]
    stmt = (
        db.select(User)
        .order_by(User.email)
        .options(selectinload(User.grants).selectinload(RoleGrant.competition))
    )
    if query:
        like = f"%{query}%"
        stmt = stmt.where(User.name.ilike(like) | User.email.ilike(like))
    page = db.paginate(
        stmt, page=page_arg(), per_page=USERS_PER_PAGE, max_per_page=USERS_PER_PAGE, error_out=False
    )
    return render_template("admin/users.html", users=page.items, pagination=page, query=query)


@bp.route("/admin/users/<int:user_id>/toggle", methods=["POST"])
@admin_required
def toggle_user(user_id):
    """Lock or unlock an account."""
    user = get_or_404(User, user_id)
    user.active = not user.active
    db.session.commit()
    flash(
        _(
            "Konto %(email)s ist jetzt %(state)s.",
            email=user.email,
            state=_("aktiv") if user.active else _("gesperrt"),
        ),
        "success",
    )
    return redirect(url_for(".users"))
