"""Flowing documents (paragraphs and tables on platypus) under the builder contract."""

import re
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, TableStyle

from compmgr.pdf import fonts
from compmgr.pdf.base import PdfBuilder


def style(name, size, leading, bold=False, **options):
    """Return a paragraph style in the family's regular or bold face."""
    return ParagraphStyle(
        name,
        fontName=fonts.BOLD if bold else fonts.REGULAR,
        fontSize=size,
        leading=leading,
        **options,
    )


def paragraph(text, paragraph_style):
    """Return text as a paragraph, its markup characters shown as they are."""
    return Paragraph(escape(str(text)), paragraph_style)


CELL_PADDING = 12  # a table cell's default left plus right padding, in points
_BREAK_AFTER = re.compile(r"\s+|(?<=-)")  # where a line may end: at spaces, after a hyphen


def cell(text, paragraph_style, width, one_line=False, min_size=5):
    """Return a table cell of width that never breaks inside a word.

    Lines end at spaces or after a hyphen ("Droste-Hülshoff-|Gymnasium"). A word wider than
    the cell shrinks the cell's font until it fits; a one-line cell (a stand number) shrinks
    until the whole text fits on one line. Below min_size the word is split, never clipped.
    """
    text = " ".join(str(text).split())
    room = width - CELL_PADDING
    font, size = paragraph_style.fontName, paragraph_style.fontSize
    pieces = [text] if one_line else [p for p in _BREAK_AFTER.split(text) if p]
    widest = max((stringWidth(p, font, size) for p in pieces), default=0)
    new = max(min_size, size * room / widest) if widest > room else None
    return paragraph(text, _cell_style(paragraph_style, new))


@lru_cache(maxsize=256)
def _cell_style(paragraph_style, size=None):
    """Return a cell's style: never breaking inside a word, shrunk to size if given."""
    # one per style and size, not one per cell: the participant list has thousands of cells
    options = {"splitLongWords": 1, "embeddedHyphenation": 1, "hyphenationLang": ""}
    if size is not None:
        leading = paragraph_style.leading * size / paragraph_style.fontSize
        options.update(fontSize=size, leading=leading)
    return ParagraphStyle(f"{paragraph_style.name}-cell", paragraph_style, **options)


def table_style(*commands):
    """Return a table style in the family's font: a table's own default would list Helvetica."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR), *commands])


class StoryBuilder(PdfBuilder):
    """A platypus document: subclasses give the story, the title and what each page's foot shows."""

    pagesize = A4
    margins = (15 * mm, 15 * mm, 15 * mm, 15 * mm)  # left, right, top, bottom
    author = None

    def title(self):
        """Return the document title shown by PDF readers."""
        return ""

    def story(self):
        """Return the flowables of the document."""
        raise NotImplementedError

    def footer(self, canvas, doc):
        """Draw what the foot of every page shows; nothing unless a subclass says so."""

    def write(self, out):
        """Lay out the story on pages and write the PDF to out; return the page count."""
        left, right, top, bottom = self.margins
        doc = SimpleDocTemplate(
            out,
            pagesize=self.pagesize,
            leftMargin=left,
            rightMargin=right,
            topMargin=top,
            bottomMargin=bottom,
            title=self.title(),
            author=self.author,
            initialFontName=fonts.REGULAR,
        )
        doc.build(self.story(), onFirstPage=self.footer, onLaterPages=self.footer)
        return doc.page
