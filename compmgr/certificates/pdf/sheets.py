"""Builders for score sheets, stand signs and participant lists."""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from compmgr.certificates.pdf import fonts
from compmgr.certificates.pdf.layout import Block, fit

GRID = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
])


def _styles():
    fonts.register_fonts()
    return {
        "h1": ParagraphStyle("h1", fontName=fonts.BOLD, fontSize=15, leading=19, spaceAfter=4),
        "h2": ParagraphStyle("h2", fontName=fonts.BOLD, fontSize=11, leading=14, spaceBefore=8,
                             spaceAfter=3),
        "p": ParagraphStyle("p", fontName=fonts.REGULAR, fontSize=9, leading=11.5),
        "small": ParagraphStyle("small", fontName=fonts.REGULAR, fontSize=8, leading=10),
        "th": ParagraphStyle("th", fontName=fonts.BOLD, fontSize=8.5, leading=10.5),
    }


def _p(text, style):
    return Paragraph(escape(str(text)), style)


class _DocumentBuilder:
    """A platypus document with a footer naming the competition and the page number."""

    pagesize = A4
    title = ""

    def __init__(self, competition_title):
        self.competition_title = competition_title
        self.styles = _styles()

    def _footer(self, canvas, doc):
        canvas.saveState()
        canvas.setFont(fonts.REGULAR, 7.5)
        canvas.drawString(15 * mm, 8 * mm, f"{self.competition_title} · {self.title}")
        canvas.drawRightString(self.pagesize[0] - 15 * mm, 8 * mm, f"Seite {doc.page}")
        canvas.restoreState()

    def build(self, *args):
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=self.pagesize, leftMargin=15 * mm,
                                rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
                                title=f"{self.title} – {self.competition_title}",
                                initialFontName=fonts.REGULAR)
        story = self.story(*args)
        doc.build(story, onFirstPage=self._footer, onLaterPages=self._footer)
        return buffer.getvalue()


class ScoreSheetBuilder(_DocumentBuilder):
    """One score sheet per judge: each assigned project with the criteria and empty boxes."""

    title = "Bewertungsbögen"

    def story(self, sheets):
        st = self.styles
        story = []
        for n, sheet in enumerate(sheets):
            if n:
                story.append(PageBreak())
            story.append(_p(f"Bewertungsbogen: {sheet.judge}", st["h1"]))
            story.append(_p(" · ".join(x for x in (sheet.affiliation, sheet.juries) if x), st["p"]))
            if not sheet.projects:
                story.append(Spacer(1, 6 * mm))
                story.append(_p("Keine Projekte zugewiesen.", st["p"]))
            for project in sheet.projects:
                head = f"Stand {project.stand}: {project.title}" if project.stand else project.title
                rows = [[_p("Kriteriengruppe", st["th"]), _p("Kriterium", st["th"]),
                         _p("Skala", st["th"]), _p("Punkte", st["th"])]]
                rows += [[_p(g, st["small"]), _p(c, st["small"]), _p(s, st["small"]), ""]
                         for g, c, s in sheet.criteria.get(project.division_id, [])]
                table = Table(rows, colWidths=[45 * mm, 85 * mm, 20 * mm, 30 * mm], repeatRows=1)
                table.setStyle(GRID)
                story.append(KeepTogether([
                    _p(head, st["h2"]),
                    _p(f"{', '.join(project.names)} · {project.school} · "
                       f"{project.subject} · {project.division}", st["small"]),
                    Spacer(1, 2 * mm), table,
                    _p("Notizen:", st["small"]), Spacer(1, 14 * mm),
                ]))
        return story or [_p("Keine Jurorinnen und Juroren für diese Auswahl.", st["p"])]


class ParticipantListBuilder(_DocumentBuilder):
    """A table of all participants with school, stand, project, Fachgebiet and division."""

    title = "Teilnehmerliste"
    pagesize = landscape(A4)

    def story(self, rows):
        st = self.styles
        head = ["Name", "Schule", "Stand", "Projekt", "Fachgebiet", "Sparte"]
        data = [[_p(h, st["th"]) for h in head]]
        for name, project in rows:
            data.append([_p(v, st["small"]) for v in (
                name, project.school, project.stand, project.title, project.subject,
                project.division)])
        table = LongTable(data, colWidths=[50 * mm, 55 * mm, 15 * mm, 90 * mm, 30 * mm, 27 * mm],
                          repeatRows=1)
        table.setStyle(GRID)
        return [_p(f"{self.title} ({len(rows)} Einträge)", st["h1"]), Spacer(1, 3 * mm), table]


class StandSignBuilder:
    """Stand signs: A4 landscape, one per project, stand number large, title, names, Fachgebiet."""

    def __init__(self, competition_title, accent="#1f4e79"):
        fonts.register_fonts()
        self.competition_title = competition_title
        self.accent = colors.HexColor(accent)

    def build(self, projects):
        buffer = io.BytesIO()
        width, height = landscape(A4)
        canvas = Canvas(buffer, pagesize=(width, height), initialFontName=fonts.REGULAR)
        canvas.setTitle(f"Standschilder – {self.competition_title}")
        left, right = 20 * mm, width - 20 * mm
        for project in projects:
            canvas.setFillColor(self.accent)
            canvas.rect(0, height - 14 * mm, width, 14 * mm, stroke=0, fill=1)
            canvas.setFillColor(colors.white)
            canvas.setFont(fonts.BOLD, 12)
            canvas.drawString(left, height - 9 * mm, self.competition_title)
            canvas.drawRightString(right, height - 9 * mm,
                                   f"{project.subject} · {project.division}")
            top = height - 24 * mm
            size, lines = fit(project.stand or "–", fonts.BOLD, 110, 40, right - left, 1)
            top = Block(lines, fonts.BOLD, size, self.accent, 1.0, 6 * mm).draw(
                canvas, top, left, right)
            size, lines = fit(project.title, fonts.BOLD, 30, 12, right - left, 4)
            top = Block(lines, fonts.BOLD, size, colors.black, 1.2, 6 * mm).draw(
                canvas, top, left, right)
            size, lines = fit(", ".join(project.names), fonts.REGULAR, 22, 11, right - left, 3)
            top = Block(lines, fonts.REGULAR, size, colors.black, 1.25, 3 * mm).draw(
                canvas, top, left, right)
            size, lines = fit(project.school, fonts.ITALIC, 16, 9, right - left, 2)
            Block(lines, fonts.ITALIC, size, colors.black, 1.25).draw(canvas, top, left, right)
            canvas.setFillColor(self.accent)
            canvas.setFont(fonts.BOLD, 20)
            canvas.drawCentredString(width / 2, 14 * mm, f"Fachgebiet {project.subject}")
            canvas.showPage()
        if not projects:
            canvas.setFont(fonts.REGULAR, 14)
            canvas.drawString(left, height - 30 * mm, "Keine Projekte für diese Auswahl.")
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()
