"""The printable timetable of the stand visits, one section per jury."""

from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table

from compmgr.pdf import fonts
from compmgr.pdf.story import StoryBuilder, paragraph, style, table_style


@dataclass
class Timetable:
    """The timetable as text: ``sections`` are (heading, rows) with rows of plain strings
    (time, stand, title, judges); ``labels`` are the column headings."""

    title: str
    subtitle: str
    sections: list
    labels: list = field(default_factory=list)
    footer: str = ""


def _p(text, paragraph_style):
    return paragraph(text or "", paragraph_style)


class TimetableBuilder(StoryBuilder):
    """Build the stand-visit timetable, one section per jury, on A4 landscape."""

    pagesize = landscape(A4)
    author = "compmgr"

    def title(self):
        return self.data.title

    def story(self):
        d = self.data
        h1 = style("h1", 15, 19, bold=True, spaceAfter=2 * mm)
        h2 = style("h2", 12, 15, bold=True, spaceAfter=2 * mm)
        body = style("body", 9, 11)
        story = []
        for n, (heading, rows) in enumerate(d.sections):
            if n:
                story.append(PageBreak())
            story += [_p(d.title, h1), _p(d.subtitle, body), Spacer(1, 4 * mm), _p(heading, h2)]
            data = [[_p(c, body) for c in d.labels]]
            data += [[_p(c, body) for c in row] for row in rows]
            table = Table(data, colWidths=[36 * mm, 18 * mm, 116 * mm, 97 * mm], repeatRows=1)
            table.setStyle(
                table_style(
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde4ee")),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    (
                        "ROWBACKGROUNDS",
                        (0, 1),
                        (-1, -1),
                        [colors.white, colors.HexColor("#f4f6f9")],
                    ),
                )
            )
            story.append(table)
        if not d.sections:
            story += [_p(d.title, h1), _p(d.footer, body)]
        return story

    def footer(self, canvas, doc):
        canvas.saveState()
        canvas.setFont(fonts.REGULAR, 8)
        canvas.drawString(15 * mm, 8 * mm, f"{self.data.footer}  ·  {doc.page}")
        canvas.restoreState()
