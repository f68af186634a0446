"""The registration confirmation of a school: its projects, their teams and what is missing."""

from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from compmgr.pdf.base import PdfBuilder
from compmgr.pdf.fonts import BOLD as FONT_BOLD
from compmgr.pdf.fonts import REGULAR as FONT


@dataclass
class ConfirmationProject:
    title: str
    subject: str
    division: str
    status: str
    members: list  # "Lena Müller (Klasse 10) – Gruppensprecherin"
    missing: list = field(default_factory=list)


@dataclass
class ConfirmationData:
    competition: str
    school: str
    printed_at: str
    projects: list
    heading: str = "Anmeldebestätigung"
    labels: dict = field(default_factory=dict)


class ConfirmationBuilder(PdfBuilder):
    """Build the confirmation: one block per project with its team and what is missing."""

    def __init__(self, data):
        super().__init__(data)
        self.width, self.height = A4
        self.margin = 20 * mm

    def write(self, out):
        """Write the confirmation to out; return the page count."""
        self.c = self.canvas(out, A4, pageCompression=1)
        self.c.setTitle(f"{self.data.heading} – {self.data.school}")
        self.c.setAuthor("compmgr")
        self.y = self.height - self.margin
        self._header()
        for project in self.data.projects:
            self._project(project)
        self._footer()
        pages = self.c.getPageNumber()  # the last page, with its footer, is written on save
        self.c.save()
        return pages

    def _text(self, text, size=10, bold=False, indent=0, gap=1.45):
        font = FONT_BOLD if bold else FONT
        max_width = self.width - 2 * self.margin - indent
        for line in self._wrap(text, font, size, max_width):
            if self.y < self.margin + 15 * mm:
                self._footer()
                self.c.showPage()
                self.y = self.height - self.margin
            self.c.setFont(font, size)
            self.c.drawString(self.margin + indent, self.y, line)
            self.y -= size * gap

    @staticmethod
    def _wrap(text, font, size, max_width):
        words, lines, line = str(text).split(), [], ""
        for word in words:
            candidate = f"{line} {word}".strip()
            if pdfmetrics.stringWidth(candidate, font, size) <= max_width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
        return lines + [line] if line else lines or [""]

    def _header(self):
        lb = self.data.labels
        self._text(self.data.heading, size=18, bold=True)
        self.y -= 4
        self._text(self.data.competition, size=12)
        self._text(f"{lb.get('school', 'Schule')}: {self.data.school}", size=12)
        self._text(f"{lb.get('printed', 'Stand')}: {self.data.printed_at}", size=9)
        self.y -= 8

    def _project(self, p):
        lb = self.data.labels
        self.c.setStrokeColorRGB(0.7, 0.7, 0.7)
        self.c.line(self.margin, self.y + 8, self.width - self.margin, self.y + 8)
        self.y -= 4
        self._text(p.title, size=12, bold=True)
        self._text(
            f"{lb.get('subject', 'Fachgebiet')}: {p.subject} · "
            f"{lb.get('division', 'Sparte')}: {p.division} · {p.status}",
            size=10,
        )
        for member in p.members:
            self._text(f"• {member}", indent=4 * mm)
        if p.missing:
            self._text(f"{lb.get('missing', 'Es fehlt noch')}: {', '.join(p.missing)}", size=10)
        self.y -= 8

    def _footer(self):
        self.c.setFont(FONT, 8)
        self.c.drawString(self.margin, 10 * mm, f"compmgr · {self.data.competition}")
        self.c.drawRightString(self.width - self.margin, 10 * mm, f"{self.c.getPageNumber()}")
