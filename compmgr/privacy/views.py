"""The instance admin's privacy pages (access log, purge, notices) and the public notices."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from compmgr.audit.models import AccessLogEntry
from compmgr.auth.access import admin_required, public
from compmgr.competitions.models import Competition
from compmgr.database import get_or_404
from compmgr.dates import today
from compmgr.extensions import db
from compmgr.privacy import bp, purge, services
from compmgr.privacy.forms import SitePageForm
from compmgr.privacy.models import PageSlug, SitePage
from compmgr.security import as_id, page_arg

SLUGS = "any(datenschutz, impressum)"
LOG_PER_PAGE = 100


def _page(slug):
    return db.session.execute(db.select(SitePage).filter_by(slug=slug)).scalar_one_or_none()


@bp.route(f"/<{SLUGS}:slug>")
@public
def notice(slug):
    """Show the privacy notice or the imprint."""
    return render_template("privacy/notice.html", page=_page(slug), slug=PageSlug(slug))


@bp.route(f"/admin/pages/<{SLUGS}:slug>", methods=["GET", "POST"])
@admin_required
def edit_notice(slug):
    """Edit the privacy notice or the imprint of this installation."""
    page = _page(slug)
    form = SitePageForm(obj=page)
    if request.method == "GET" and page is None:
        form.title.data = str(PageSlug(slug).label)
    if form.validate_on_submit():
        if page is None:
            page = SitePage(slug=slug)
            db.session.add(page)
        page.title, page.body, page.updated_by_id = form.title.data, form.body.data, current_user.id
        db.session.commit()
        flash(_("Die Seite „%(title)s“ ist gespeichert.", title=page.title), "success")
        return redirect(url_for(".notice", slug=slug))
    status = 422 if request.method == "POST" else 200
    return render_template("privacy/notice_form.html", form=form, slug=PageSlug(slug)), status


@bp.route("/admin/access-log")
@admin_required
def access_log():
    """List who viewed or exported whose personal data, newest first."""
    competition_id = request.args.get("competition", type=as_id)
    participant_id = request.args.get("participant", type=as_id)
    page = db.paginate(
        services.access_log_query(participant_id=participant_id, competition_id=competition_id),
        page=page_arg(),
        per_page=LOG_PER_PAGE,
        max_per_page=LOG_PER_PAGE,
        error_out=False,
    )
    competitions = db.session.scalars(
        db.select(Competition).order_by(Competition.round_year.desc(), Competition.name)
    ).all()
    total = db.session.scalar(db.select(db.func.count(AccessLogEntry.id)))
    return render_template(
        "privacy/access_log.html",
        entries=page.items,
        pagination=page,
        page_args={
            k: v for k, v in (("competition", competition_id), ("participant", participant_id)) if v
        },
        competitions=competitions,
        competition_id=competition_id,
        participant_id=participant_id,
        total=total,
    )


@bp.route("/admin/privacy")
@admin_required
def retention():
    """Show every competition's retention date, what a purge would remove, and statistics."""
    competitions = db.session.scalars(
        db.select(Competition).order_by(Competition.round_year.desc(), Competition.name)
    ).all()
    on = today()
    rows = []
    stats = purge.statistics_of(competitions)  # aggregate queries for the whole instance
    for comp in competitions:
        reason = purge.refusal(comp, on)
        report = None
        if reason is None:
            report = purge.purge(comp, dry_run=True, today=on)
        rows.append((comp, reason, report, stats[comp.id]))
    page = render_template("privacy/retention.html", rows=rows)
    # The dry runs change nothing: undone after rendering, as a rollback expires every loaded
    # competition and the page would read each one again.
    db.session.rollback()
    return page


@bp.route("/admin/privacy/<int:cid>/purge", methods=["POST"])
@admin_required
def purge_competition(cid):
    """Purge one competition's personal data now."""
    comp = get_or_404(Competition, cid)
    try:
        report = purge.purge(comp)
    except purge.PurgeRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".retention"))
    db.session.commit()
    purge.remove_files(report.stored_names)
    flash(
        _(
            "Personenbezogene Daten von „%(name)s“ gelöscht: %(deleted)d Personen gelöscht, "
            "%(anon)d anonymisiert, %(files)d Dateien entfernt.",
            name=comp.title,
            deleted=report.participants_deleted,
            anon=report.participants_anonymised,
            files=report.files_deleted,
        ),
        "success",
    )
    return redirect(url_for(".retention"))


@bp.app_context_processor
def notice_links():
    """Offer the footer links to the notices on every page."""
    return {"privacy_notice_slugs": list(PageSlug)}
