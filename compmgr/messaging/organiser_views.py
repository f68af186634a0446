"""The organiser's mail pages: the outbox with each recipient's status, messages, texts."""

import email
import email.policy

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from compmgr.audit.services import record
from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.database import get_or_404
from compmgr.extensions import db
from compmgr.judging.models import Jury
from compmgr.mail import mail_configured
from compmgr.messaging import bp, messages
from compmgr.messaging.catalog import KINDS
from compmgr.messaging.forms import MessageForm, StandInfoForm, TemplateForm
from compmgr.messaging.models import DigestSubscription, MailTemplate, Message
from compmgr.messaging.render import example_context, render_text, texts_for
from compmgr.outbox import STATUSES, OutboxMail


@bp.route("/c/<int:cid>/org/mail/")
@role_required(Role.ORGANISER)
def outbox(cid):
    """List the competition's mails with each recipient's status."""
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    digest = db.session.get(DigestSubscription, (current_user.id, cid))
    return render_template(
        "messaging/outbox.html",
        mails=messages.mails_of(g.competition, status=status),
        stand_form=StandInfoForm(),
        counts=messages.status_counts(g.competition),
        status=status,
        statuses=STATUSES,
        configured=mail_configured(),
        digest=digest is not None,
        sent_messages=db.session.scalars(
            db.select(Message).filter_by(competition_id=cid).order_by(Message.id.desc())
        ).all(),
    )


@bp.route("/c/<int:cid>/org/mail/<int:mail_id>")
@role_required(Role.ORGANISER)
def mail(cid, mail_id):
    """Show one mail as it was sent (not a mail with someone's personal sign-in link)."""
    row = get_or_404(OutboxMail, mail_id, competition_id=cid)
    parsed = None
    if not row.secret and row.message:
        parsed = email.message_from_bytes(row.message, policy=email.policy.default)
    return render_template("messaging/mail.html", row=row, parsed=parsed)


@bp.route("/c/<int:cid>/org/mail/<int:mail_id>/resend", methods=["POST"])
@role_required(Role.ORGANISER)
def resend(cid, mail_id):
    """Send one mail again."""
    row = get_or_404(OutboxMail, mail_id, competition_id=cid)
    try:
        messages.resend(g.competition, row, current_user)
    except ValueError:
        flash(_("Diese Mail enthielt einen persönlichen Link; bitte laden Sie neu ein."), "danger")
        return redirect(request.referrer or url_for(".outbox", cid=cid))
    db.session.commit()
    flash(_("Die Mail an %(to)s ist wieder in der Warteschlange.", to=row.recipient), "success")
    back = request.form.get("next", "")
    if back.startswith(f"/c/{cid}/org/mail/"):
        return redirect(back)
    return redirect(url_for(".outbox", cid=cid))


@bp.route("/c/<int:cid>/org/mail/digest", methods=["POST"])
@role_required(Role.ORGANISER)
def digest(cid):
    """Turn the daily digest on or off for the current organiser."""
    sub = db.session.get(DigestSubscription, (current_user.id, cid))
    if sub is None:
        db.session.add(DigestSubscription(user_id=current_user.id, competition_id=cid))
        flash(_("Sie bekommen ab morgen früh die tägliche Zusammenfassung."), "success")
    else:
        db.session.delete(sub)
        flash(_("Die tägliche Zusammenfassung ist abbestellt."), "success")
    db.session.commit()
    return redirect(url_for(".outbox", cid=cid))


def _message_form():
    comp = g.competition
    form = MessageForm()
    form.selection.choices = [(k, str(v)) for k, v in messages.SELECTIONS.items()]
    form.subject_id.choices = [(0, "–")] + [(s.id, s.name) for s in comp.subjects]
    juries = db.session.scalars(
        db.select(Jury).filter_by(competition_id=comp.id).order_by(Jury.name)
    ).all()
    form.jury_id.choices = [(0, "–")] + [(j.id, j.name) for j in juries]
    return form


@bp.route("/c/<int:cid>/org/mail/messages/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def new_message(cid):
    """Write a message to a selection, preview recipients and text, then send it."""
    comp = g.competition
    form = _message_form()
    if request.method == "GET" and request.args.get("selection") in messages.SELECTIONS:
        form.selection.data = request.args["selection"]
    found, shown = None, None
    if form.validate_on_submit():
        args = (form.selection.data, form.subject_id.data or None, form.jury_id.data or None)
        error = messages.check_message(comp, form.subject.data, form.body.data)
        if error:
            form.body.errors.append(_("Der Text lässt sich nicht einsetzen: %(e)s", e=error))
        elif form.selection.data == "schools_subject" and not args[1]:
            form.subject_id.errors.append(_("Bitte wählen Sie ein Fachgebiet."))
        elif form.selection.data == "jury" and not args[2]:
            form.jury_id.errors.append(_("Bitte wählen Sie eine Jury."))
        else:
            found = messages.addressees(comp, *args)
            if form.send.data and found:
                message = messages.send_message(
                    comp,
                    current_user,
                    form.selection.data,
                    form.subject.data,
                    form.body.data,
                    form.essential.data,
                    subject_id=args[1],
                    jury_id=args[2],
                )
                db.session.commit()
                flash(
                    _("Die Nachricht geht an %(n)d Empfänger(innen).", n=message.recipients),
                    "success",
                )
                return redirect(url_for(".message", cid=cid, message_id=message.id))
            if not found:
                form.selection.errors.append(_("Diese Auswahl erreicht niemanden."))
            else:
                shown = messages.preview(comp, form.subject.data, form.body.data, found)
    return render_template("messaging/message_form.html", form=form, found=found, shown=shown)


@bp.route("/c/<int:cid>/org/mail/messages/<int:message_id>")
@role_required(Role.ORGANISER)
def message(cid, message_id):
    """Show a sent message with each recipient's status."""
    sent = get_or_404(Message, message_id, competition_id=cid)
    return render_template(
        "messaging/message.html",
        message=sent,
        mails=messages.mails_of(g.competition, batch=sent.batch),
        counts=messages.status_counts(g.competition, batch=sent.batch),
        configured=mail_configured(),
    )


@bp.route("/c/<int:cid>/org/mail/texts/")
@role_required(Role.ORGANISER)
def texts(cid):
    """List every kind of mail and whether the organisers changed its text."""
    own = {
        (t.kind, t.locale)
        for t in db.session.scalars(db.select(MailTemplate).filter_by(competition_id=cid))
    }
    return render_template("messaging/texts.html", kinds=KINDS.values(), own=own)


@bp.route("/c/<int:cid>/org/mail/texts/<kind>/<any(de, en):locale>", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def text(cid, kind, locale):
    """Edit one mail text with its placeholders, preview it, or go back to the default."""
    spec = KINDS.get(kind)
    if spec is None:
        abort(404)
    comp = g.competition
    subject, body, own = texts_for(comp, kind, locale)
    form = TemplateForm(kind, subject=subject, body=body)
    if form.validate_on_submit() and form.save.data:
        row = db.session.execute(
            db.select(MailTemplate).filter_by(competition_id=cid, kind=kind, locale=locale)
        ).scalar_one_or_none()
        if row is None:
            row = MailTemplate(competition_id=cid, kind=kind, locale=locale)
            db.session.add(row)
        row.subject, row.body = form.subject.data, form.body.data
        record("mail.template", comp, after={"kind": kind, "locale": locale}, competition_id=cid)
        db.session.commit()
        flash(_("Der Text ist gespeichert."), "success")
        return redirect(url_for(".text", cid=cid, kind=kind, locale=locale))
    context = example_context(kind, comp)
    try:
        shown = (
            " ".join(render_text(form.subject.data or "", context).split()),
            render_text(form.body.data or "", context),
        )
    except ValueError:
        shown = None
    return render_template(
        "messaging/text.html", form=form, spec=spec, locale=locale, own=own, shown=shown
    )


@bp.route("/c/<int:cid>/org/mail/texts/<kind>/<any(de, en):locale>/reset", methods=["POST"])
@role_required(Role.ORGANISER)
def reset_text(cid, kind, locale):
    """Go back to the default text of one kind and language."""
    if kind not in KINDS:
        abort(404)
    db.session.execute(
        db.delete(MailTemplate).filter_by(competition_id=cid, kind=kind, locale=locale)
    )
    record(
        "mail.template",
        g.competition,
        after={"kind": kind, "locale": locale, "reset": True},
        competition_id=cid,
    )
    db.session.commit()
    flash(_("Der Standardtext gilt wieder."), "success")
    return redirect(url_for(".text", cid=cid, kind=kind, locale=locale))


@bp.route("/c/<int:cid>/org/mail/stands", methods=["POST"])
@role_required(Role.ORGANISER)
def stand_info(cid):
    """Send every school its stand numbers and the day's information."""
    form = StandInfoForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "danger")
        return redirect(url_for(".outbox", cid=cid))
    count = messages.send_stand_info(g.competition, current_user, form.info.data or "")
    db.session.commit()
    flash(_("Die Standnummern gehen an %(n)d Empfänger(innen).", n=count), "success")
    return redirect(url_for(".outbox", cid=cid))
