"""The builder contract of every PDF: plain data in, ``build() -> bytes`` or ``write(out)``."""

import io

from reportlab.pdfgen.canvas import Canvas

from compmgr.pdf import fonts


class PdfBuilder:
    """Turn one document's plain data into a PDF in the one font family.

    A subclass implements ``write(out)``: it draws the PDF onto the binary file-like out and
    returns the page count. The data is whatever the subclass documents: dataclasses or dicts
    gathered by a feature, never models.
    """

    def __init__(self, data):
        fonts.register_fonts()
        self.data = data

    def write(self, out):
        """Write the PDF to the binary file out; return the page count."""
        raise NotImplementedError

    def build(self):
        """Return the PDF as bytes."""
        buffer = io.BytesIO()
        self.write(buffer)
        return buffer.getvalue()

    @staticmethod
    def canvas(out, pagesize, **options):
        """Start a canvas that begins in the family's font, so no other font is listed."""
        return Canvas(out, pagesize=pagesize, initialFontName=fonts.REGULAR, **options)
