"""Builders for score sheets, stand signs and participant lists."""

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, LongTable, PageBreak, Paragraph, Spacer, Table

from compmgr.pdf import fonts
from compmgr.pdf.base import PdfBuilder
from compmgr.pdf.layout import Block, fit
from compmgr.pdf.story import StoryBuilder, cell, paragraph, style, table_style

GRID = table_style(
    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
)


_p = paragraph  # short: the tables below call it for every cell


class _SharedParagraph(Paragraph):
    """A paragraph placed in many tables of one width: its lines are broken once per width.

    Breaking depends on the width alone, so a repeat wrap at the same width keeps the lines
    and height it found the first time; a new width breaks them afresh.
    """

    _wrapped_at = None

    def wrap(self, availWidth, availHeight):
        if availWidth == self._wrapped_at:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth
        return size


def _shared(text, paragraph_style):
    return _SharedParagraph(escape(str(text)), paragraph_style)


@dataclass
class SheetData:
    """A print document of one competition: its title and the items, one entry each.

    Score sheets take ScoreSheets, the participant list (name, ProjectRow) pairs and stand
    signs ProjectRows (``compmgr.certificates.documents``); ``accent`` colours stand signs.
    """

    competition: str
    items: list
    accent: str = "#1f4e79"


class _DocumentBuilder(StoryBuilder):
    """A platypus document with a footer naming the competition and the page number."""

    heading = ""

    def __init__(self, data):
        super().__init__(data)
        self.styles = {
            "h1": style("h1", 15, 19, bold=True, spaceAfter=4),
            "h2": style("h2", 11, 14, bold=True, spaceBefore=8, spaceAfter=3),
            "p": style("p", 9, 11.5),
            "small": style("small", 8, 10),
            "th": style("th", 8.5, 10.5, bold=True),
        }

    def title(self):
        return f"{self.heading} – {self.data.competition}"

    def footer(self, canvas, doc):
        canvas.saveState()
        canvas.setFont(fonts.REGULAR, 7.5)
        canvas.drawString(15 * mm, 8 * mm, f"{self.data.competition} · {self.heading}")
        canvas.drawRightString(self.pagesize[0] - 15 * mm, 8 * mm, f"Seite {doc.page}")
        canvas.restoreState()


class ScoreSheetBuilder(_DocumentBuilder):
    """One score sheet per judge: each assigned project with the criteria and empty boxes."""

    heading = "Bewertungsbögen"

    def story(self):
        st = self.styles
        story = []
        # Every table of a Sparte lists the same criteria: their paragraphs are made once and
        # shared (a paragraph is laid out afresh wherever it is placed), not parsed 900 times.
        header = [
            _shared("Kriteriengruppe", st["th"]),
            _shared("Kriterium", st["th"]),
            _shared("Skala", st["th"]),
            _shared("Punkte", st["th"]),
        ]
        notes = _shared("Notizen:", st["small"])
        shared = {}

        def criteria_rows(criteria):
            key = tuple(criteria)
            if key not in shared:
                shared[key] = [
                    (_shared(g, st["small"]), _shared(c, st["small"]), _shared(s, st["small"]))
                    for g, c, s in criteria
                ]
            return [[g, c, s, ""] for g, c, s in shared[key]]

        for n, sheet in enumerate(self.data.items):
            if n:
                story.append(PageBreak())
            story.append(_p(f"Bewertungsbogen: {sheet.judge}", st["h1"]))
            story.append(_p(" · ".join(x for x in (sheet.affiliation, sheet.juries) if x), st["p"]))
            if not sheet.projects:
                story.append(Spacer(1, 6 * mm))
                story.append(_p("Keine Projekte zugewiesen.", st["p"]))
            for project in sheet.projects:
                head = f"Stand {project.stand}: {project.title}" if project.stand else project.title
                rows = [list(header)]
                rows += criteria_rows(sheet.criteria.get(project.division_id, []))
                table = Table(rows, colWidths=[45 * mm, 85 * mm, 20 * mm, 30 * mm], repeatRows=1)
                table.setStyle(GRID)
                story.append(
                    KeepTogether(
                        [
                            _p(head, st["h2"]),
                            _p(
                                f"{', '.join(project.names)} · {project.school} · "
                                f"{project.subject} · {project.division}",
                                st["small"],
                            ),
                            Spacer(1, 2 * mm),
                            table,
                            notes,
                            Spacer(1, 14 * mm),
                        ]
                    )
                )
        return story or [_p("Keine Jurorinnen und Juroren für diese Auswahl.", st["p"])]


class ParticipantListBuilder(_DocumentBuilder):
    """A table of all participants with school, stand, project, Fachgebiet and division."""

    heading = "Teilnehmerliste"
    pagesize = landscape(A4)

    def story(self):
        st, rows = self.styles, self.data.items
        head = ["Name", "Schule", "Stand", "Projekt", "Fachgebiet", "Sparte"]
        widths = [50 * mm, 55 * mm, 15 * mm, 90 * mm, 30 * mm, 27 * mm]
        data = [[cell(h, st["th"], w) for h, w in zip(head, widths, strict=True)]]
        for name, project in rows:
            values = (
                name,
                project.school,
                project.stand,
                project.title,
                project.subject,
                project.division,
            )
            data.append(
                [
                    cell(v, st["small"], w, one_line=(n == 2))
                    for n, (v, w) in enumerate(zip(values, widths, strict=True))
                ]
            )
        table = LongTable(data, colWidths=widths, repeatRows=1)
        table.setStyle(GRID)
        return [_p(f"{self.heading} ({len(rows)} Einträge)", st["h1"]), Spacer(1, 3 * mm), table]


class StandSignBuilder(PdfBuilder):
    """Stand signs: A4 landscape, one per project, stand number large, title, names, Fachgebiet."""

    def write(self, out):
        """Write one page per project (or one saying there is none); return the page count."""
        projects, accent = self.data.items, colors.HexColor(self.data.accent)
        width, height = landscape(A4)
        canvas = self.canvas(out, (width, height))
        canvas.setTitle(f"Standschilder – {self.data.competition}")
        left, right = 20 * mm, width - 20 * mm
        for project in projects:
            canvas.setFillColor(accent)
            canvas.rect(0, height - 14 * mm, width, 14 * mm, stroke=0, fill=1)
            canvas.setFillColor(colors.white)
            canvas.setFont(fonts.BOLD, 12)
            canvas.drawString(left, height - 9 * mm, self.data.competition)
            canvas.drawRightString(
                right, height - 9 * mm, f"{project.subject} · {project.division}"
            )
            top = height - 24 * mm
            size, lines = fit(project.stand or "–", fonts.BOLD, 110, 40, right - left, 1)
            top = Block(lines, fonts.BOLD, size, accent, 1.0, 6 * mm).draw(canvas, top, left, right)
            size, lines = fit(project.title, fonts.BOLD, 30, 12, right - left, 4)
            top = Block(lines, fonts.BOLD, size, colors.black, 1.2, 6 * mm).draw(
                canvas, top, left, right
            )
            # a stand sign hangs in a public hall: names only with publication consent
            size, lines = fit(project.public_names, fonts.REGULAR, 22, 11, right - left, 3)
            top = Block(lines, fonts.REGULAR, size, colors.black, 1.25, 3 * mm).draw(
                canvas, top, left, right
            )
            size, lines = fit(project.school, fonts.ITALIC, 16, 9, right - left, 2)
            Block(lines, fonts.ITALIC, size, colors.black, 1.25).draw(canvas, top, left, right)
            canvas.setFillColor(accent)
            canvas.setFont(fonts.BOLD, 20)
            canvas.drawCentredString(width / 2, 14 * mm, f"Fachgebiet {project.subject}")
            canvas.showPage()
        if not projects:
            canvas.setFont(fonts.REGULAR, 14)
            canvas.drawString(left, height - 30 * mm, "Keine Projekte für diese Auswahl.")
            canvas.showPage()
        pages = canvas.getPageNumber() - 1
        canvas.save()
        return pages
