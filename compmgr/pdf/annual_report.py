"""The annual report of a competition: the sentence, the figures with charts, the winners.

The charts are drawn with ReportLab's own chart library from the same rows the page's SVG
charts and the CSV show, so the PDF stays vector and in the one font family.
"""

from dataclasses import dataclass, field

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table

from compmgr.pdf import fonts
from compmgr.pdf.story import StoryBuilder, paragraph, style, table_style

COLOURS = [colors.HexColor(c) for c in ("#0b5394", "#a84300", "#2e6b1f", "#7a1f5c", "#5b4a00")]
WIDTH = 170 * mm


@dataclass
class Figure:
    """One figure: ``rows`` are (label, value, …); ``kind`` "hbar", "bar", "line" or "table"."""

    title: str
    columns: list
    rows: list
    kind: str = "hbar"
    note: str = ""


@dataclass
class WinnerGroup:
    """The published winners of one jury: rows of (prize, project title, public names, school)."""

    title: str
    rows: list = field(default_factory=list)


@dataclass
class AnnualReport:
    """Plain data of the report; ``labels`` holds the few fixed words in the reader's language."""

    title: str
    subtitle: str
    sentence: str
    figures: list
    winners: list = field(default_factory=list)
    labels: dict = field(default_factory=dict)


class AnnualReportBuilder(StoryBuilder):
    """Lay out an AnnualReport on A4 pages."""

    author = "compmgr"

    def __init__(self, data):
        super().__init__(data)
        self.s = {
            "h1": style("h1", 17, 21, bold=True, spaceAfter=2),
            "sub": style("sub", 10, 13, textColor=colors.HexColor("#555555"), spaceAfter=8),
            "lead": style("lead", 12.5, 17, spaceAfter=8),
            "h2": style("h2", 12, 15, bold=True, spaceBefore=10, spaceAfter=4),
            "p": style("p", 9, 11.5),
            "th": style("th", 9, 11.5, bold=True),
            "note": style("note", 8.5, 11, textColor=colors.HexColor("#555555")),
        }

    def title(self):
        return self.data.title

    def _p(self, text, name="p"):
        return paragraph(text, self.s[name])

    def footer(self, canvas, doc):
        canvas.saveState()
        canvas.setFont(fonts.REGULAR, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(15 * mm, 9 * mm, self.data.title)
        canvas.drawRightString(195 * mm, 9 * mm, str(doc.page))
        canvas.restoreState()

    def story(self):
        d = self.data
        story = [self._p(d.title, "h1"), self._p(d.subtitle, "sub"), self._p(d.sentence, "lead")]
        for figure in d.figures:
            if not figure.rows:
                continue
            block = [self._p(figure.title, "h2")]
            if figure.kind != "table":
                block += [self._chart(figure), Spacer(1, 3 * mm)]
            block.append(self._table(figure))
            if figure.note:
                block.append(self._p(figure.note, "note"))
            if len(figure.rows) <= 12:  # a short table stays with its chart
                story += [CondPageBreak(60 * mm), KeepTogether(block)]
            else:
                story += [CondPageBreak(60 * mm), KeepTogether(block[:2]), *block[2:]]
        if d.winners:
            story.append(self._p(d.labels.get("winners", ""), "h2"))
            for group in d.winners:
                story += [
                    self._p(group.title, "th"),
                    self._grid(d.labels.get("winner_columns", ["", "", "", ""]), group.rows),
                    Spacer(1, 3 * mm),
                ]
        return story

    def _table(self, figure):
        return self._grid(figure.columns, figure.rows)

    def _grid(self, header, rows):
        body = [[self._p(h, "th") for h in header]] + [
            [str(c) if isinstance(c, int) else self._p(c) for c in row] for row in rows
        ]
        first = 70 * mm if len(header) <= 4 else 50 * mm
        rest = (WIDTH - first) / max(1, len(header) - 1)
        table = Table(body, colWidths=[first] + [rest] * (len(header) - 1), repeatRows=1)
        table.setStyle(
            table_style(
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("FONTSIZE", (1, 1), (-1, -1), 9),
            )
        )
        return table

    def _chart(self, figure):
        series = [[row[i] for row in figure.rows] for i in range(1, len(figure.columns))]
        labels = [str(row[0]) for row in figure.rows]
        top = max((v for s in series for v in s), default=0) or 1
        legend_room = 9 * mm if len(series) > 1 else 0
        if figure.kind == "hbar":
            plot = len(labels) * (5 + 4 * len(series)) * mm / 1.6
            height = 12 * mm + plot + legend_room
            drawing = Drawing(WIDTH, height)
            chart = HorizontalBarChart()
            chart.x, chart.y = 62 * mm, 8 * mm
            chart.width, chart.height = WIDTH - 72 * mm, plot
            chart.data = [list(reversed(s)) for s in series]
            chart.categoryAxis.categoryNames = list(reversed(labels))
            chart.categoryAxis.labels.boxAnchor = "e"
            chart.categoryAxis.labels.dx = -3
        else:
            height = 62 * mm + legend_room
            drawing = Drawing(WIDTH, height)
            chart = HorizontalLineChart() if figure.kind == "line" else VerticalBarChart()
            chart.x, chart.y = 14 * mm, 10 * mm
            chart.width, chart.height = WIDTH - 20 * mm, 48 * mm
            chart.data = series
            chart.categoryAxis.categoryNames = labels
            chart.categoryAxis.labels.boxAnchor = "n"
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = top * 1.1
        for axis in (chart.categoryAxis.labels, chart.valueAxis.labels):
            axis.fontName, axis.fontSize = fonts.REGULAR, 8
        for i, colour in enumerate(COLOURS[: len(series)]):
            if figure.kind == "line":
                chart.lines[i].strokeColor = colour
                chart.lines[i].strokeWidth = 2
            else:
                chart.bars[i].fillColor = colour
                chart.bars[i].strokeColor = None
        if figure.kind != "line":
            chart.barLabelFormat = "%d"
            chart.barLabels.fontName, chart.barLabels.fontSize = fonts.REGULAR, 7
            if figure.kind == "hbar":
                chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 2
            else:
                chart.barLabels.boxAnchor, chart.barLabels.dy = "s", 2
        # The renderer starts each drawing in Helvetica (an unembedded font) unless told.
        drawing.initialFontName, drawing.initialFontSize = fonts.REGULAR, 8
        drawing.add(chart)
        if len(series) > 1:
            legend = Legend()
            legend.fontName, legend.fontSize = fonts.REGULAR, 8
            legend.x, legend.y = chart.x, height - 2 * mm
            legend.alignment = "right"
            legend.columnMaximum = 1  # one entry per column: the legend runs in a row
            legend.deltax = 38 * mm
            legend.colorNamePairs = list(zip(COLOURS, map(str, figure.columns[1:]), strict=False))
            drawing.add(legend)
        return drawing
