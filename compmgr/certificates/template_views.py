"""The organiser's certificate template settings and the preview of the first page."""

import io

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from compmgr import storage
from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.certificates import bp, printing, services
from compmgr.certificates.forms import TemplateSettingsForm
from compmgr.certificates.models import CertificateTemplate
from compmgr.certificates.settings import IMAGE_SLOTS, PLACEHOLDERS, form_defaults, save_settings
from compmgr.dates import today
from compmgr.extensions import db
from compmgr.utils import send_download


@bp.route("/c/<int:cid>/print/template", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def template_settings(cid):
    """Edit texts, logo, signatures, colours and the preprinted-paper mode."""
    template = printing.load_template(cid)
    defaults = form_defaults(template)
    form = TemplateSettingsForm(data=defaults)
    if form.validate_on_submit():
        template = template or CertificateTemplate(competition_id=cid, settings={})
        images = {
            slot: getattr(
                getattr(form, "logo" if slot == "logo" else f"{slot}_image"), "image", None
            )
            for slot in IMAGE_SLOTS
        }
        remove = {
            slot
            for slot in IMAGE_SLOTS
            if getattr(form, "remove_logo" if slot == "logo" else f"{slot}_remove").data
        }
        try:
            unused = save_settings(template, form.data, images, remove)
            db.session.add(template)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        for name in unused:
            storage.delete(name)
        flash(_("Die Urkundenvorlage ist gespeichert."), "success")
        return redirect(url_for(".template_settings", cid=cid))
    status = 422 if form.errors else 200
    return render_template(
        "certificates/template.html",
        form=form,
        defaults=defaults,
        has_logo=bool(template and template.logo_stored_name),
        placeholders=PLACEHOLDERS,
    ), status


def sample_certificate(competition):
    """Return the first certificate in print order, or a sample when nobody is registered."""
    certs = services.certificates(competition)
    if certs:
        return certs[0]
    return services.Certificate(
        kind=services.PARTICIPATION,
        participant_id=0,
        project_id=0,
        first_name="Jördis",
        last_name="Großmann-Müller",
        school="Gymnasium am Weißen Berg, Musterstadt",
        school_id=0,
        title="Wie „grün“ ist unser Schulhof? Messungen über ein Jahr",
        subject="Biologie",
        division="Jugend forscht",
        stand="B01",
        achievement="Teilnahme",
        claim=(0, 0, "t"),
    )


@bp.route("/c/<int:cid>/print/template/preview.pdf")
@role_required(Role.ORGANISER)
def preview(cid):
    """Render the first page with the saved settings, to be shown in the settings page."""
    out = io.BytesIO()
    printing.write_certificates(g.competition, [sample_certificate(g.competition)], out)
    response = printing_response(out.getvalue(), f"Vorschau-{today():%Y%m%d}.pdf")
    # The settings page frames this PDF; allow that for this one response only.
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def printing_response(data, name):
    return send_download(data, name, inline=True)
