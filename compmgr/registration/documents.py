"""Uploaded PDFs: check by content, store under generated names, replace until the deadline."""

import io
import logging
import re
import unicodedata
from dataclasses import dataclass

from flask import abort, current_app
from flask_babel import gettext as _

from compmgr import storage
from compmgr.extensions import db
from compmgr.registration.models import Document, DocumentKind
from compmgr.registration.pdf_checks import (
    EMBEDDED,
    LAUNCH,
    MEDIA,
    SCRIPT,
    TooComplex,
    active_content,
    expanded_size,
)
from compmgr.registration.services import (
    RuleError,
    is_frozen,
    paper_upload_open,
    registration_open,
    require_active,
)

MB = 1024 * 1024
MAX_PAGES = 500  # a paper has 15 pages of body text; far more is a broken or hostile file
MAX_EXPANDED_MB = 256  # what all compressed streams of one upload may unpack to (zip-bomb guard)
logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken uploads are reported to the user


@dataclass
class CheckedPdf:
    data: bytes
    page_count: int


def check_pdf(data, max_mb):
    """Check that data is a readable, unencrypted PDF within the size limit; return its pages."""
    if not data:
        raise RuleError(_("Die Datei ist leer. Bitte wählen Sie die PDF-Datei erneut aus."))
    if len(data) > max_mb * MB:
        raise RuleError(
            _(
                "Die Datei ist %(size)s MB groß; erlaubt sind höchstens %(max)s MB.",
                size=f"{len(data) / MB:.1f}".replace(".", ","),
                max=max_mb,
            )
        )
    if not data[:1024].lstrip().startswith(b"%PDF-"):
        raise RuleError(
            _(
                "Die Datei ist keine PDF-Datei. Bitte speichern oder exportieren Sie "
                "die Arbeit als PDF."
            )
        )
    limit = current_app.config.get("PDF_MAX_EXPANDED_MB", MAX_EXPANDED_MB) * MB
    try:
        if expanded_size(data, limit) > limit:
            raise RuleError(
                _(
                    "Die PDF-Datei entpackt sich auf über %(max)s MB und wird deshalb "
                    "nicht angenommen. Bitte erzeugen Sie sie neu, z. B. mit „Exportieren "
                    "als PDF“.",
                    max=limit // MB,
                )
            )
        pages = _read_pdf(data)
    except TooComplex:
        raise RuleError(
            _(
                "Die PDF-Datei besteht aus ungewöhnlich vielen Teilen und wird deshalb "
                "nicht angenommen. Bitte erzeugen Sie sie neu, z. B. mit „Drucken als "
                "PDF“."
            )
        ) from None
    if pages < 1:
        raise RuleError(_("Die PDF-Datei enthält keine Seiten."))
    return CheckedPdf(data, pages)


def _read_pdf(data):
    """Open data with pypdf; refuse encrypted, overlong or active PDFs; return the page count."""
    try:
        # Lazy on purpose: pypdf is not loaded at app start; only uploads need it.
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise RuleError(
                _(
                    "Die PDF-Datei ist mit einem Passwort geschützt. Bitte laden Sie "
                    "sie ohne Passwortschutz hoch."
                )
            )
        pages = len(reader.pages)
        if pages > MAX_PAGES:
            raise RuleError(
                _(
                    "Die PDF-Datei hat %(pages)s Seiten; angenommen werden höchstens "
                    "%(max)s Seiten.",
                    pages=pages,
                    max=MAX_PAGES,
                )
            )
        refuse_active_content(active_content(reader))
    except (RuleError, TooComplex):
        raise
    except Exception:
        raise RuleError(
            _(
                "Die PDF-Datei ist beschädigt und lässt sich nicht öffnen. Bitte "
                "erzeugen Sie sie neu."
            )
        ) from None
    return pages


def refuse_active_content(found):
    """Refuse a PDF that runs scripts, starts programs, sends data or carries other files.

    A juror opens papers on their own device; none of this comes from saving a text as PDF.
    """
    if not found:
        return
    labels = {
        SCRIPT: _("JavaScript"),
        LAUNCH: _("Aktionen, die Programme starten oder Daten senden"),
        EMBEDDED: _("eingebettete Dateien"),
        MEDIA: _("Multimedia- oder XFA-Formularinhalte"),
    }
    what = [str(labels[kind]) for kind in (SCRIPT, LAUNCH, EMBEDDED, MEDIA) if kind in found]
    raise RuleError(
        _(
            "Die PDF-Datei enthält %(what)s und wird zum Schutz der Jury nicht angenommen. "
            "Bitte erzeugen Sie sie neu mit „Drucken als PDF“ oder „Exportieren als PDF“ "
            "(in LibreOffice ohne „Hybrid-PDF“).",
            what=", ".join(what),
        )
    )


def page_warning(document, competition):
    """Warn when the paper has more pages than the body-text limit allows."""
    if document is None or document.kind != DocumentKind.PAPER or not document.page_count:
        return None
    if document.page_count <= competition.paper_max_pages:
        return None
    return _(
        "Die Arbeit hat %(pages)s Seiten. Erlaubt sind %(max)s Seiten Haupttext; Deckblatt, "
        "Kurzfassung, Inhalts- und Quellenverzeichnis zählen nicht mit. Bitte prüfen Sie den Umfang.",
        pages=document.page_count,
        max=competition.paper_max_pages,
    )


def upload_allowed(competition, school, kind, on=None):
    """Say whether a document of this kind may be uploaded now."""
    if kind == DocumentKind.PAPER:
        return paper_upload_open(competition, on)
    return registration_open(competition, school, on) or (
        not is_frozen(competition) and paper_upload_open(competition, on)
    )


def store_document(competition, project, kind, data, filename, user=None, on=None):
    """Check and store an upload for a project, replacing an earlier one of the same kind.

    The old file is deleted only after the new one is committed by the caller (see
    ``discard_files``), so a failed transaction never loses the paper in force.
    """
    require_active(project)
    if not upload_allowed(competition, project.school, kind, on):
        if kind == DocumentKind.PAPER:
            raise RuleError(_("Die Abgabefrist für die schriftliche Arbeit ist vorbei."))
        raise RuleError(_("Uploads sind nicht mehr möglich."))
    checked = check_pdf(data, competition.paper_max_mb)
    stored_name, digest = storage.store_bytes(checked.data)
    old = project.document(kind)
    stale = []
    if old is not None:
        stale.append(old.stored_name)
        project.documents.remove(old)
        db.session.flush()
    doc = Document(
        kind=kind,
        stored_name=stored_name,
        original_name=safe_filename(filename),
        content_type="application/pdf",
        size=len(checked.data),
        page_count=checked.page_count,
        sha256=digest,
        uploaded_by_id=user.id if user is not None else None,
    )
    project.documents.append(doc)
    db.session.flush()
    return doc, stale


def discard_files(stored_names):
    for name in stored_names:
        storage.delete(name)


def safe_filename(name, limit=120):
    """Keep a readable original name for display: no path parts, control characters or dots first."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = "".join(
        ch for ch in name if unicodedata.category(ch)[0] != "C"
    )  # NUL, CR, LF, RTL marks
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".").strip()
    if not name:
        return "dokument.pdf"
    if len(name) > limit:
        stem, dot, ext = name.rpartition(".")
        ext = ext if dot and 0 < len(ext) <= 10 else ""
        name = (
            (stem if dot else name)[: limit - len(ext) - 2].rstrip()
            + "…"
            + ("." + ext if ext else "")
        )
    return name


def download_name(project, document):
    """Name a download after the project, not after whatever the school's file was called."""
    label = {DocumentKind.PAPER: "Arbeit", DocumentKind.ANIMAL_FORM: "Tierschutzformular"}
    stand = re.sub(r"[^A-Za-z0-9_-]", "", project.stand or "")  # plain ASCII in every browser
    return f"{stand or project.id}-{label.get(document.kind, 'Dokument')}.pdf"


def send_document(project, kind):
    """Send a stored document as a PDF download after the caller checked the permission.

    Always an attachment under a generated name: a school's file is never shown inside our
    origin, nor under a name it chose (``polyglot.html``).
    """
    doc = project.document(kind)
    if doc is None:
        abort(404)
    try:
        return storage.send(
            doc.stored_name, mimetype="application/pdf", download_name=download_name(project, doc)
        )
    except (FileNotFoundError, ValueError):
        abort(404)
