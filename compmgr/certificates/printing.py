"""Print certificates: the one code path shared by the web pages, the CLI and the benchmark."""

import io
import re
import zipfile

from flask import current_app

from compmgr import storage
from compmgr.certificates import services
from compmgr.certificates.images import check_pixels
from compmgr.certificates.models import CertificateTemplate
from compmgr.certificates.settings import template_settings
from compmgr.certificates.tokens import serializer
from compmgr.extensions import db
from compmgr.mail import public_base
from compmgr.sorting import sort_text


def load_template(competition_id):
    """Return the competition's certificate template row, or None for the defaults."""
    return db.session.execute(
        db.select(CertificateTemplate).filter_by(competition_id=competition_id)
    ).scalar_one_or_none()


def verify_base_url():
    """Return the URL prefix of the verification page as printed in the QR codes.

    Built from PUBLIC_URL like every absolute link (``mail.public_base``), never from the
    request's Host header: a certificate printed through a proxy or a mistyped host name would
    otherwise carry a QR code that points somewhere else for as long as the paper exists.
    """
    return public_base() + "/verify/"


def stored_images(settings):
    """Read the logo and signature images named in settings from storage."""
    images = {}
    for name in [settings.logo] + [s.image for s in settings.signatures]:
        if name and name not in images:
            try:
                data = storage.read_bytes(name)
            except (OSError, ValueError):
                current_app.logger.warning("certificate image %s is missing", name)
                continue
            try:
                check_pixels(data)  # stored before the limit existed: never decode a bomb
            except Exception:
                current_app.logger.warning(
                    "certificate image %s is left out: too large or broken", name
                )
                continue
            images[name] = data
    return images


def certificate_set(competition, certificates, template=None, settings=None):
    """Gather a certificate run: the competition's saved (or given) settings, images, links."""
    if settings is None:
        settings = template_settings(
            template if template is not None else load_template(competition.id)
        )
    signer = serializer(current_app.config["SECRET_KEY"])
    base = verify_base_url()
    # ReportLab and the QR encoder load when certificates are made, not at every app start.
    from compmgr.pdf.certificate import CertificateSet

    return CertificateSet(
        services.competition_info(competition),
        settings,
        certificates,
        verify_url=lambda claim: base + signer.dumps(list(claim)),
        kinds=(services.PARTICIPATION, services.PRIZE, services.SPECIAL),
        plain_kinds=(services.PARTICIPATION,),  # its text says it all: no achievement line
        images=stored_images(settings),
    )


class NothingToPrint(ValueError):
    """The selection holds no certificate: no file is written (a blank PDF only misleads)."""


def write_certificates(competition, certificates, out, progress=None, settings=None):
    """Write the certificates as one multi-page PDF to out; return the page count."""
    if not certificates:
        raise NothingToPrint("no certificates in this selection")
    data = certificate_set(competition, certificates, settings=settings)
    from compmgr.pdf.certificate import CertificateBuilder  # ReportLab: loaded when used

    return CertificateBuilder(data).write(out, progress)


def _safe_filename(text):
    name = re.sub(r"[^\w.-]+", "_", text, flags=re.UNICODE).strip("_")
    return (name or "schule")[:80]


def write_zip_per_school(competition, certificates, out):
    """Write a ZIP with one PDF per school: render once, then split the pages with pypdf."""
    # Lazy on purpose: pypdf is not loaded at app start; only the per-school ZIP needs it.
    from pypdf import PdfReader, PdfWriter

    big = io.BytesIO()
    write_certificates(competition, certificates, big)
    big.seek(0)
    reader = PdfReader(big)
    groups = {}
    for index, cert in enumerate(certificates):
        groups.setdefault((cert.school_id, cert.school), []).append(index)
    used = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for (_, school), pages in sorted(groups.items(), key=lambda kv: sort_text(kv[0][1])):
            writer = PdfWriter()
            for index in pages:
                writer.add_page(reader.pages[index])
            name = _safe_filename(school)
            while name in used:
                name += "_"
            used.add(name)
            part = io.BytesIO()
            writer.write(part)
            archive.writestr(f"Urkunden_{name}.pdf", part.getvalue())
    return len(groups)
