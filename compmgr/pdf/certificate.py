"""The certificate (Urkunde) builder: one A4 page per certificate, streamed to a file."""

import io
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import PDFObject

from compmgr.pdf import fonts, qr
from compmgr.pdf.base import PdfBuilder
from compmgr.pdf.layout import Block, color, fit, wrap
from compmgr.pdf.placeholders import PLACEHOLDER, fill

WIDTH, HEIGHT = A4
BACKGROUND = "certificate-background"
QR_SIZE = 22 * mm
FOOTER_TOP = 70 * mm
QR_Y = 20 * mm


class _Written(PDFObject):
    """A PDF object written out already: ReportLab copies it into the file as it is.

    ReportLab builds a dictionary of name objects for every stream and link and formats them
    one by one when the file is saved: for a certificate that was a third of the page's cost.
    Certificates are never encrypted, so the bytes need no further encoding.
    """

    def __init__(self, data):
        self.data = data

    def format(self, document):
        return self.data


def _compress_last_page(canvas):
    """Compress the page just finished now, not when the file is written.

    ReportLab keeps every page until ``save`` writes the cross-reference table; holding each
    as its deflated stream (~1.5 KB) instead of the drawing commands (~5 KB) keeps a
    5,000-page run small.
    """
    page = canvas._doc.Pages.pages[-1]
    if page.stream and page.compression:
        stream = page.stream
        data = zlib.compress(stream.encode("utf8") if isinstance(stream, str) else stream)
        page.Contents = _Written(
            b"<< /Filter [ /FlateDecode ] /Length %d >>\nstream\n%b\nendstream\n"
            % (len(data), data)
        )
        page.stream = None


def _link(canvas, url, rect):
    """Make the rectangle (x0, y0, x1, y1) on this page a link to url.

    What ``canvas.linkURL`` writes, without its objects (see ``_Written``). The URI of a link
    is 7-bit ASCII in PDF: other characters are percent-encoded.
    """
    uri = quote(url, safe="/:?#[]@!$&'*+,;=%-._~")  # leaves no parenthesis or backslash
    canvas._addAnnotation(
        _Written(
            b"<< /A << /S /URI /Type /Action /URI (%b) >> /Border [ 0 0 0 ] /Rect [ %b ] "
            b"/Subtype /Link /Type /Annot >>" % (uri.encode("ascii"), fp_str(*rect).encode())
        )
    )


@dataclass
class CertificateSet:
    """What a certificate run prints, gathered by the certificates feature.

    ``info`` names the competition (name, level, round_year, host, venue, dates);
    ``settings`` are the template's (texts with ``heading``, ``footer``, ``title_<kind>`` and
    ``text_<kind>``, colours, positions, signatures, logo); ``certificates`` hold one page each
    (kind, first_name, last_name, full_name, school, title, subject, division, achievement,
    claim). ``kinds`` are every kind of page; a page of one of ``plain_kinds`` names no
    achievement. ``verify_url(claim)`` returns the URL the QR code links to; ``images`` maps
    stored names of the logo and signature images to their bytes.
    """

    info: object
    settings: object
    certificates: Sequence
    verify_url: Callable[[tuple], str]
    kinds: tuple
    plain_kinds: tuple = ()
    images: dict = field(default_factory=dict)


class CertificateBuilder(PdfBuilder):
    """Render a CertificateSet: one page per certificate, what pages share drawn once."""

    def __init__(self, data):
        super().__init__(data)
        info, settings = data.info, data.settings
        self.info, self.settings, self.verify_url = info, settings, data.verify_url
        self.images = data.images
        self.title_key = {kind: f"title_{kind}" for kind in data.kinds}
        self.text_key = {kind: f"text_{kind}" for kind in data.kinds}
        self.accent = color(settings.accent_color, "#1f4e79")
        self.ink = color(settings.text_color, "#1a1a1a")
        self.left = (settings.margin_mm * mm) if settings.preprinted else 25 * mm
        self.right = WIDTH - self.left
        self._title_cache = {}
        self.static = {
            "wettbewerb": info.name,
            "ebene": info.level,
            "jahr": info.round_year,
            "pate": info.host,
            "ort": info.venue,
            "datum": info.dates,
        }

    # -- output --------------------------------------------------------------------------

    def write(self, out, progress=None):
        """Write one page per certificate to the binary file out; return the page count.

        ``progress(1)`` is called after each page.
        """
        canvas = self.canvas(out, A4, pageCompression=1, initialFontSize=12)
        canvas.setPageCallBack(lambda _number: _compress_last_page(canvas))
        canvas.setTitle(f"Urkunden – {self.info.name} {self.info.round_year}")
        canvas.setAuthor(self.info.name)
        if not self.settings.preprinted:
            self._background(canvas)
            for kind in self.title_key:
                self._head(canvas, kind)
        pages = 0
        for cert in self.data.certificates:
            if not self.settings.preprinted:
                canvas.doForm(BACKGROUND)
                canvas.doForm(f"head-{cert.kind}")
            self._page(canvas, cert)
            canvas.showPage()
            pages += 1
            if progress is not None:
                progress(1)
        canvas.save()
        return pages

    # -- the parts -----------------------------------------------------------------------

    def values(self, cert):
        return {
            **self.static,
            "vorname": cert.first_name,
            "nachname": cert.last_name,
            "name": cert.full_name,
            "schule": cert.school,
            "titel": cert.title,
            "fachgebiet": cert.subject,
            "sparte": cert.division,
            "leistung": cert.achievement,
        }

    def _background(self, canvas):
        """Draw what every page shares once, as a form XObject: border, logo, signatures."""
        canvas.beginForm(BACKGROUND)
        canvas.setStrokeColor(self.accent)
        canvas.setLineWidth(2.5)
        canvas.rect(10 * mm, 10 * mm, WIDTH - 20 * mm, HEIGHT - 20 * mm)
        canvas.setLineWidth(0.7)
        canvas.rect(13 * mm, 13 * mm, WIDTH - 26 * mm, HEIGHT - 26 * mm)
        logo = self._image(self.settings.logo)
        if logo is not None:
            canvas.drawImage(
                logo,
                WIDTH - 20 * mm - 45 * mm,
                HEIGHT - 20 * mm - 25 * mm,
                45 * mm,
                25 * mm,
                preserveAspectRatio=True,
                anchor="ne",
                mask="auto",
            )
        self._signatures(canvas)
        canvas.endForm()

    def _image(self, stored_name):
        data = self.images.get(stored_name) if stored_name else None
        return ImageReader(io.BytesIO(data)) if data else None

    def _signatures(self, canvas):
        signatures = self.settings.signatures[:3]
        if not signatures:
            return
        area_right = WIDTH - 25 * mm - QR_SIZE - 6 * mm
        slot = (area_right - 25 * mm) / len(signatures)
        line_y = 42 * mm
        for i, sig in enumerate(signatures):
            x0 = 25 * mm + i * slot + 4 * mm
            x1 = x0 + slot - 8 * mm
            image = self._image(sig.image)
            if image is not None:
                canvas.drawImage(
                    image,
                    x0,
                    line_y + 1 * mm,
                    x1 - x0,
                    16 * mm,
                    preserveAspectRatio=True,
                    anchor="s",
                    mask="auto",
                )
            canvas.setStrokeColor(self.ink)
            canvas.setLineWidth(0.6)
            canvas.line(x0, line_y, x1, line_y)
            top = line_y - 1 * mm
            for text, font, size in ((sig.name, fonts.REGULAR, 10), (sig.role, fonts.ITALIC, 9)):
                if text:
                    size, lines = fit(text, font, size, 6.5, x1 - x0, 2)
                    top = Block(lines, font, size, self.ink, 1.15).draw(canvas, top, x0, x1)

    def _is_static(self, key):
        """Tell whether a text names only the competition, so it can go into a form."""
        return all(name in self.static for name in PLACEHOLDER.findall(self.settings.texts[key]))

    def _head(self, canvas, kind):
        """Draw the parts of a kind's pages that are the same for everybody, as a form."""
        canvas.beginForm(f"head-{kind}")
        self._head_texts(canvas, kind, self.static, static=True)
        canvas.endForm()

    def _head_texts(self, canvas, kind, values, static):
        """Draw heading, level line, kind title and footer: the static or the personal ones."""
        texts, width = self.settings.texts, self.right - self.left
        head_right = self.right - (50 * mm if self.images.get(self.settings.logo) else 0)
        if self._is_static("heading") == static:
            heading = fill(texts["heading"], values)
            size, lines = fit(heading, fonts.BOLD, 18, 10, head_right - self.left, 2)
            Block(lines, fonts.BOLD, size, self.accent, space_after=2).draw(
                canvas, HEIGHT - 28 * mm, self.left, head_right, centred=False
            )
        if static:
            self._qr_caption(canvas, self.right - QR_SIZE + 4 * mm, QR_Y)
            sub = self.info.level + (
                f" · Patenunternehmen: {self.info.host}" if self.info.host else ""
            )
            size, lines = fit(sub, fonts.REGULAR, 10, 7, head_right - self.left, 2)
            Block(lines, fonts.REGULAR, size, self.ink).draw(
                canvas, HEIGHT - 45 * mm, self.left, head_right, centred=False
            )
        if self._is_static(self.title_key[kind]) == static:
            title = fill(texts[self.title_key[kind]], values)
            size, lines = fit(title, fonts.BOLD, 34, 18, width, 2)
            Block(lines, fonts.BOLD, size, self.accent, 1.1).draw(
                canvas, HEIGHT - 68 * mm, self.left, self.right
            )
        if self._is_static("footer") == static:
            self._footer(canvas, values, FOOTER_TOP)

    def _footer(self, canvas, values, top):
        footer = fill(self.settings.texts["footer"], values).strip(" ,")
        width = self.right - self.left - (QR_SIZE if self.settings.preprinted else 0)
        size, lines = fit(footer, fonts.REGULAR, 11, 7, width, 2)
        Block(lines, fonts.REGULAR, size, self.ink).draw(canvas, top, self.left, self.right)

    def _page(self, canvas, cert):
        s, values = self.settings, self.values(cert)
        width = self.right - self.left
        if s.preprinted:
            self._personal(canvas, cert, values, width)
        else:
            self._head_texts(canvas, cert.kind, values, static=False)
            self._personal(
                canvas,
                cert,
                values,
                width,
                HEIGHT - 68 * mm - 2 * 34 * 1.1 - 4 * mm
                if len(self._title_lines(cert.kind, values)) > 1
                else HEIGHT - 68 * mm - 34 * 1.1 - 8 * mm,
            )
        canvas.setFillColor(self.ink)
        url = self.verify_url(cert.claim)
        x, y = self.right - QR_SIZE + (0 if s.preprinted else 4 * mm), QR_Y
        qr.draw(canvas, url, x, y, QR_SIZE)
        _link(canvas, url, (x, y, x + QR_SIZE, y + QR_SIZE))  # clickable on screen
        if s.preprinted:
            self._qr_caption(canvas, x, y)

    def _qr_caption(self, canvas, x, y):
        canvas.setFillColor(self.ink)
        canvas.setFont(fonts.REGULAR, 6.5)
        canvas.drawCentredString(x + QR_SIZE / 2, y - 3.2 * mm, "Echtheit prüfen")

    def _title_lines(self, kind, values):
        key = self.title_key[kind]
        if key not in self._title_cache or not self._is_static(key):
            title = fill(self.settings.texts[key], values)
            self._title_cache[key] = fit(title, fonts.BOLD, 34, 18, self.right - self.left, 2)[1]
        return self._title_cache[key]

    def _personal(self, canvas, cert, values, width, top=None):
        """Draw the personal text: name, school, text, achievement, place and date."""
        s, texts = self.settings, self.settings.texts
        top = HEIGHT - s.pos_name_mm * mm if top is None else top
        size, lines = fit(cert.full_name, fonts.BOLD, 26, 14, width, 2)
        name = Block(lines, fonts.BOLD, size, self.ink, 1.15, 2)
        size, lines = fit(cert.school, fonts.REGULAR, 12, 8, width, 2)
        school = Block(lines, fonts.REGULAR, size, self.ink, 1.2, 10)
        body_text = fill(texts[self.text_key[cert.kind]], values)
        size, lines = fit(body_text, fonts.REGULAR, 13, 8, width, 6)
        body = Block(lines, fonts.REGULAR, size, self.ink, 1.35, 8)
        blocks = [name, school, body]
        if cert.kind not in self.data.plain_kinds:
            size, lines = fit(cert.achievement, fonts.BOLD, 20, 11, width, 3)
            blocks.append(Block(lines, fonts.BOLD, size, self.accent, 1.2))
        footer_top = (HEIGHT - s.pos_footer_mm * mm) if s.preprinted else FOOTER_TOP
        # Long texts shrink further rather than run into the place line and signatures.
        while sum(b.height for b in blocks) > top - footer_top - 6 * mm and body.size > 6:
            body.size -= 0.5
            body.lines = wrap(body_text, fonts.REGULAR, body.size, width)
        for block in blocks:
            top = block.draw(canvas, top, self.left, self.right)
            if block is school and s.preprinted:
                top = min(top, HEIGHT - s.pos_text_mm * mm)
        if s.preprinted:
            self._footer(canvas, values, min(footer_top, top - 4 * mm))
