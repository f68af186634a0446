"""The printable timetable: a ReportLab builder fed plain data, returning PDF bytes."""

from io import BytesIO
from pathlib import Path

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"


def _register_fonts():
    """Embed Bitstream Vera (shipped with ReportLab) so umlauts and ß print everywhere."""
    if "CompmgrVera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("CompmgrVera", str(FONT_DIR / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("CompmgrVera-Bold", str(FONT_DIR / "VeraBd.ttf")))


class TimetablePDF:
    """Build the stand-visit timetable, one section per jury.

    ``sections`` is a list of (heading, rows) with rows of plain strings
    (time, stand, title, judges); ``labels`` are the column headings.
    """

    def __init__(self, title, subtitle, sections, labels, footer=""):
        self.title, self.subtitle, self.sections = title, subtitle, sections
        self.labels, self.footer = labels, footer

    def build(self):
        _register_fonts()
        buffer = BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=15 * mm,
                                rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
                                title=self.title, author="compmgr")
        h1 = ParagraphStyle("h1", fontName="CompmgrVera-Bold", fontSize=15, leading=19, spaceAfter=2 * mm)
        h2 = ParagraphStyle("h2", fontName="CompmgrVera-Bold", fontSize=12, leading=15, spaceAfter=2 * mm)
        body = ParagraphStyle("body", fontName="CompmgrVera", fontSize=9, leading=11)
        story = []
        for n, (heading, rows) in enumerate(self.sections):
            if n:
                story.append(PageBreak())
            story += [Paragraph(_esc(self.title), h1), Paragraph(_esc(self.subtitle), body),
                      Spacer(1, 4 * mm), Paragraph(_esc(heading), h2)]
            data = [[Paragraph(_esc(c), body) for c in self.labels]]
            data += [[Paragraph(_esc(c), body) for c in row] for row in rows]
            table = Table(data, colWidths=[36 * mm, 18 * mm, 116 * mm, 97 * mm], repeatRows=1)
            table.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde4ee")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f4f6f9")]),
            ]))
            story.append(table)
        if not self.sections:
            story += [Paragraph(_esc(self.title), h1), Paragraph(_esc(self.footer), body)]
        doc.build(story, onFirstPage=self._footer, onLaterPages=self._footer)
        return buffer.getvalue()

    def _footer(self, canvas, doc):
        canvas.saveState()
        canvas.setFont("CompmgrVera", 8)
        canvas.drawString(15 * mm, 8 * mm, f"{self.footer}  ·  {doc.page}")
        canvas.restoreState()


def _esc(text):
    return (str(text or "")).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
