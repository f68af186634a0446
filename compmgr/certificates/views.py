"""Certificates and other print documents: the organiser's print page, downloads, the school's page."""

import tempfile

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from compmgr.audit.access_log import log_access
from compmgr.auth.access import public, role_required
from compmgr.auth.models import Role
from compmgr.certificates import bp, documents, printing, services, tokens
from compmgr.certificates.forms import BulkPrintForm
from compmgr.competitions.models import Status
from compmgr.database import get_or_404
from compmgr.extensions import db
from compmgr.judging.models import Judge, Jury
from compmgr.registration import people
from compmgr.registration.access import school_required, visible_participant_or_404
from compmgr.registration.models import Participant, School
from compmgr.security import id_arg
from compmgr.sorting import by_name, by_school, by_text
from compmgr.utils import send_download

PDF = "application/pdf"


def _spooled():
    return tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)


def _choices(cid):
    schools = by_school(db.session.scalars(db.select(School).filter_by(competition_id=cid)).all())
    juries = by_text(db.session.scalars(db.select(Jury).filter_by(competition_id=cid)).all())
    return schools, g.competition.subjects, juries


def _selection(form, cid):
    """Turn the form's choices into filter arguments, each checked to belong to cid."""
    school_id = int(form.school.data) if form.school.data else None
    subject_id = int(form.subject.data) if form.subject.data else None
    jury = get_or_404(Jury, int(form.jury.data), competition_id=cid) if form.jury.data else None
    return {"school_id": school_id, "subject_id": subject_id, "jury": jury}


def _print_page(cid, form, juries, nothing=None, status=200):
    """Render the print page; nothing says why the chosen selection gave no file."""
    return render_template(
        "certificates/index.html",
        form=form,
        juries=juries,
        participants=services.certificate_holders(cid),
        nothing=nothing,
    ), status


@bp.route("/c/<int:cid>/print/")
@role_required(Role.ORGANISER)
def index(cid):
    """Show the organiser every print document with its choices."""
    form = BulkPrintForm(formdata=None)
    schools, subjects, juries = _choices(cid)
    form.fill_choices(schools, subjects, juries)
    return _print_page(cid, form, juries)


@bp.route("/c/<int:cid>/print/certificates")
@role_required(Role.ORGANISER)
def bulk(cid):
    """Download the chosen certificates as one PDF or as a ZIP with a PDF per school."""
    form = BulkPrintForm(request.args)
    schools, subjects, juries = _choices(cid)
    form.fill_choices(schools, subjects, juries)
    if not form.validate():
        flash(_("Bitte die Auswahl prüfen."), "error")
        return redirect(url_for(".index", cid=cid))
    certs = services.certificates(
        g.competition, kind=form.kind.data, order=form.order.data, **_selection(form, cid)
    )
    if not certs:
        # 422: the choice was understood, but there is nothing to print, so no download.
        return _print_page(cid, form, juries, nothing=_nothing_message(form.kind.data), status=422)
    log_access(current_user, "download", [c.participant_id for c in certs], competition_id=cid)
    out = _spooled()
    if form.format.data == "zip":
        printing.write_zip_per_school(g.competition, certs, out)
        return send_download(out, f"Urkunden-{cid}.zip", "application/zip")
    printing.write_certificates(g.competition, certs, out)
    return send_download(out, f"Urkunden-{cid}.pdf")


def _nothing_message(kind):
    text = _("Für diese Auswahl gibt es keine Urkunden, daher wurde keine Datei erstellt.")
    if kind == "prizes":
        text += " " + _("Preis- und Sonderpreis-Urkunden gibt es erst, wenn Preise vergeben sind.")
    return text


@bp.route("/c/<int:cid>/print/participants/<int:participant_id>/certificate.pdf")
@role_required(Role.ORGANISER, Role.SCHOOL)
def participant_certificate(cid, participant_id):
    """Download one participant's certificates (participation and any prizes)."""
    participant = visible_participant_or_404(cid, participant_id)
    if g.role == Role.SCHOOL:
        if not g.competition.status_at_least(Status.PUBLISHED):
            flash(_("Urkunden gibt es erst, wenn die Ergebnisse veröffentlicht sind."), "warning")
            return redirect(url_for(".school", cid=cid))
    certs = services.certificates(g.competition, participant_id=participant.id)
    if not certs:
        flash(
            _(
                "Für %(name)s gibt es keine Urkunde: kein teilnehmendes Projekt.",
                name=participant.full_name,
            ),
            "warning",
        )
        return redirect(url_for(".school" if g.role == Role.SCHOOL else ".index", cid=cid))
    log_access(current_user, "download", participant.id, competition_id=cid)
    out = _spooled()
    printing.write_certificates(g.competition, certs, out)
    name = f"Urkunde-{participant.last_name}-{participant.first_name}.pdf"
    return send_download(out, name)


@bp.route("/c/<int:cid>/print/school")
@school_required
def school(cid):
    """List the school's participants with their certificates once results are published."""
    published = g.competition.status_at_least(Status.PUBLISHED)
    certs = services.certificates(g.competition, school_id=g.school.id) if published else []
    by_person = {}
    for cert in certs:
        by_person.setdefault(cert.participant_id, []).append(cert)
    participants = by_name(
        db.session.scalars(
            db.select(Participant).filter_by(competition_id=cid, school_id=g.school.id)
        ).all()
    )
    return render_template(
        "certificates/school.html",
        published=published,
        participants=participants,
        by_person=by_person,
        labels=services.KIND_LABELS,
    )


@bp.route("/c/<int:cid>/print/score-sheets.pdf")
@role_required(Role.ORGANISER)
def score_sheets(cid):
    """Download score sheets, one per judge, for all juries or one."""
    jury_id = id_arg("jury_id")
    jury = get_or_404(Jury, jury_id, competition_id=cid) if jury_id else None
    sheets = documents.score_sheets(g.competition, jury=jury)
    from compmgr.pdf.sheets import ScoreSheetBuilder, SheetData  # platypus: load when used

    return send_download(
        ScoreSheetBuilder(SheetData(g.competition.title, sheets)).build(),
        f"Bewertungsboegen-{cid}.pdf",
    )


@bp.route("/c/<int:cid>/print/judges/<int:judge_id>/score-sheet.pdf")
@role_required(Role.ORGANISER)
def judge_score_sheet(cid, judge_id):
    """Download one judge's score sheet."""
    judge = get_or_404(Judge, judge_id, competition_id=cid)
    sheets = documents.score_sheets(g.competition, judge_id=judge.id)
    from compmgr.pdf.sheets import ScoreSheetBuilder, SheetData

    return send_download(
        ScoreSheetBuilder(SheetData(g.competition.title, sheets)).build(),
        f"Bewertungsbogen-{judge.last_name}.pdf",
    )


@bp.route("/c/<int:cid>/print/stand-signs.pdf")
@role_required(Role.ORGANISER)
def stand_signs(cid):
    """Download the stand signs, one A4 landscape page per project, by stand."""
    rows = documents.project_rows(g.competition, "stand")
    template = printing.load_template(cid)
    accent = printing.template_settings(template).accent_color
    from compmgr.pdf.sheets import SheetData, StandSignBuilder

    return send_download(
        StandSignBuilder(SheetData(g.competition.title, rows, accent)).build(),
        f"Standschilder-{cid}.pdf",
    )


@bp.route("/c/<int:cid>/print/participants.pdf")
@role_required(Role.ORGANISER)
def participant_list(cid):
    """Download the participant list, by school or by stand."""
    order = request.args.get("order", "school")
    if order not in services.ORDERS:
        abort(400)
    rows = documents.participant_rows(g.competition, order)
    from compmgr.pdf.sheets import ParticipantListBuilder, SheetData

    log_access(current_user, "export", people.competition_participant_ids(cid), competition_id=cid)
    return send_download(
        ParticipantListBuilder(SheetData(g.competition.title, rows)).build(),
        f"Teilnehmerliste-{cid}.pdf",
    )


@bp.route("/verify/<token>")
@public
def verify(token):
    """Show who holds a certificate and for what, or that the token is not genuine."""
    result = tokens.verify(current_app.config["SECRET_KEY"], token)
    if result is None:
        return render_template("certificates/verify.html", result=None), 404
    return render_template("certificates/verify.html", result=result)
