"""Read and write the tables organisers exchange: CSV as German Excel writes it, and XLSX.

Every import and export goes through here, so each one accepts the same encodings and
separators and each one defuses formulas (CSV/formula injection) the same way.
"""

import codecs
import csv
import io
import unicodedata
from datetime import date, datetime

from flask_babel import gettext as _

from compmgr.text import BIDI_CONTROLS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "%d.%m.%Y"


class TableError(ValueError):
    """The file cannot be read as a table; ``line`` is 0 for the file as a whole."""

    def __init__(self, message, line=0):
        super().__init__(message)
        self.line = line


def escape_cell(value):
    """Neutralise text a spreadsheet would run as a formula: it gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_cell(value):
    """Undo escape_cell for a text read back from one of our own files."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def decode(data):
    """Decode CSV bytes: UTF-8 with or without BOM, UTF-16 with or without BOM, else Windows-1252."""
    unknown = _("Die Zeichenkodierung der Datei ist unbekannt. Bitte als CSV (UTF-8) speichern.")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8")
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        head = data[:200]
        if head.count(b"\0") * 3 > len(head):  # UTF-16 without BOM: every other byte is zero
            return data.decode("utf-16-le" if head[1:2] == b"\0" else "utf-16-be")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252")
    except UnicodeDecodeError:
        raise TableError(unknown) from None


def clean_text(text):
    """Drop control characters (NUL, escapes, bidi controls) a cell must never carry into the database."""
    return "".join(ch for ch in text if ch in "\t\n" or (unicodedata.category(ch) != "Cc"
                                                        and ch not in BIDI_CONTROLS)).strip()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, date) else clean_text(str(value))


def read_table(data):
    """Return (row number, cells) for every row of a CSV or XLSX file, told apart by content.

    Cells are stripped text, or dates where an XLSX cell holds one. The CSV separator is
    whichever of ; , and tab the first line uses most. Empty rows are left out.
    """
    if not data:
        raise TableError(_("Die Datei ist leer."))
    if data.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            rows = [(n, [_cell(v) for v in row])
                    for n, row in enumerate(sheet.iter_rows(values_only=True), 1)]
        except Exception:  # openpyxl raises many kinds for a broken file
            raise TableError(_("Die XLSX-Datei lässt sich nicht lesen.")) from None
        return _without_empty(rows)
    text = decode(data)
    first = text.splitlines()[0] if text else ""
    delimiter = max([";", ",", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:  # rows numbered as Excel shows them, also where a cell holds line breaks
        for cells in reader:
            rows.append((len(rows) + 1, [clean_text(c) for c in cells]))
    except csv.Error as exc:
        raise TableError(_("Die CSV-Datei ist fehlerhaft: %(e)s", e=exc), len(rows) + 1) from None
    return _without_empty(rows)


def _without_empty(rows):
    return [(n, cells) for n, cells in rows if any(str(c) for c in cells)]


def _csv_value(value):
    return value.strftime(DATE_FORMAT) if isinstance(value, date) else escape_cell(value)


def to_csv(header, rows):
    """Write UTF-8 with BOM and semicolons, as a German Excel expects; dates as 17.05.2010."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([escape_cell(h) for h in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(header, rows, title, widths=()):
    """Write one XLSX sheet: bold frozen header, texts stored as text, real dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([escape_cell(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([escape_cell(v) for v in row])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
            elif isinstance(cell.value, date | datetime):
                cell.number_format = "DD.MM.YYYY"
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
