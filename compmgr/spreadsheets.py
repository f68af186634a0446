"""Read and write the tables organisers exchange: CSV as German Excel writes it, and XLSX.

Every import and export goes through here, so each one accepts the same encodings and
separators and each one defuses formulas (CSV/formula injection) the same way.
"""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, has_app_context
from flask_babel import gettext as _

from compmgr.config import DefaultConfig
from compmgr.text import BIDI_CONTROLS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "%d.%m.%Y"
MB = 1024 * 1024
MAX_CELL_CHARS = 32767  # what one Excel cell holds
EXCEL_MAX_ROWS = 1_048_576  # no sheet Excel writes has more rows, empty ones included
# A sheet's XML packs about tenfold in an XLSX; a zip bomb packs a thousandfold.
MAX_PACKING_RATIO = 100
MAX_ZIP_MEMBERS = 1000


@dataclass(frozen=True)
class Limits:
    """What an uploaded table may hold: the settings IMPORT_MAX_* (README "Import format")."""

    max_bytes: int
    max_rows: int
    max_columns: int
    max_unpacked: int

    @classmethod
    def from_config(cls):
        """Return the app's limits, or the defaults outside an app."""
        config = current_app.config if has_app_context() else vars(DefaultConfig)
        return cls(
            config["IMPORT_MAX_MB"] * MB,
            config["IMPORT_MAX_ROWS"],
            config["IMPORT_MAX_COLUMNS"],
            config["IMPORT_MAX_UNPACKED_MB"] * MB,
        )


class TableError(ValueError):
    """The file cannot be read as a table; ``line`` is 0 for the file as a whole."""

    def __init__(self, message, line=0):
        super().__init__(message)
        self.line = line


class FileTooLarge(TableError):
    """The file is larger than the size limit (HTTP 413)."""


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
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
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
    return "".join(
        ch
        for ch in text
        if ch in "\t\n" or (unicodedata.category(ch) != "Cc" and ch not in BIDI_CONTROLS)
    ).strip()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, date) else clean_text(str(value))


def _too_large(limits):
    return FileTooLarge(
        _(
            "Die Datei ist größer als %(mb)s MB. Bitte teilen Sie sie in mehrere Dateien auf.",
            mb=limits.max_bytes // MB,
        )
    )


def read_upload(stream, limits=None):
    """Read an uploaded file, but never more than the size limit allows; raise TableError if larger."""
    limits = limits or Limits.from_config()
    data = stream.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise _too_large(limits)
    return data


def read_table(data, limits=None):
    """Return (row number, cells) for every row of a CSV or XLSX file, told apart by content.

    Cells are stripped text, or dates where an XLSX cell holds one. The CSV separator is
    whichever of ; , and tab the first line uses most. Empty rows are left out. A file beyond
    the limits (size, rows, columns, cell length; for XLSX the unpacked size) is refused with
    a TableError before it costs much time or memory.
    """
    limits = limits or Limits.from_config()
    if not data:
        raise TableError(_("Die Datei ist leer."))
    if len(data) > limits.max_bytes:
        raise _too_large(limits)
    if data.startswith(b"PK\x03\x04"):
        return _without_empty(_read_xlsx(data, limits))
    text = decode(data)
    # More line ends than any sheet has rows: refused before a million empty lines are read.
    if max(text.count("\n"), text.count("\r")) > EXCEL_MAX_ROWS:
        raise _too_many_rows(limits)
    first = re.match(r"[^\r\n]*", text).group()
    delimiter = max([";", ",", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:  # rows numbered as Excel shows them, also where a cell holds line breaks
        for cells in reader:
            line = len(rows) + 1
            _check_line(line, limits)
            if not any(cells):  # many empty lines cost nothing more than counting them
                rows.append((line, []))
                continue
            cells = _within_width(line, cells, limits, lambda c: c.strip() and clean_text(c))
            rows.append(_checked(line, [clean_text(c) for c in cells], limits))
    except csv.Error as exc:
        raise TableError(_("Die CSV-Datei ist fehlerhaft: %(e)s", e=exc), len(rows) + 1) from None
    return _without_empty(rows)


def _too_many_rows(limits):
    return TableError(
        _(
            "Die Datei hat mehr als %(n)s Zeilen. Bitte teilen Sie sie in mehrere Dateien auf.",
            n=limits.max_rows,
        )
    )


def _check_line(line, limits):
    """Refuse a file at a line beyond the last row any sheet has, empty lines included."""
    if line > EXCEL_MAX_ROWS:
        raise _too_many_rows(limits)


def _within_width(line, cells, limits, has_text):
    """Return cells cut to the column limit; refuse the row if a cell beyond it has text.

    Only the distinct values beyond the limit are looked at: a row as wide as Excel allows
    (16,384 cells) with one blank at its end costs no more than a narrow one.
    """
    if len(cells) <= limits.max_columns:
        return cells
    beyond = set(cells[limits.max_columns :])
    beyond.discard(None)
    if any(has_text(value) for value in beyond):
        if line > limits.max_rows + 1:  # as in _checked: the row limit is told first
            raise _too_many_rows(limits)
        raise TableError(_("Die Zeile hat mehr als %(n)s Spalten.", n=limits.max_columns), line)
    return cells[: limits.max_columns]


def _checked(line, cells, limits):
    """Return (line, cells) of one row within the limits, or raise TableError."""
    if not any(str(c) for c in cells):
        return line, cells[: limits.max_columns]  # empty rows are left out later
    if line > limits.max_rows + 1:  # the column titles and max_rows rows
        raise _too_many_rows(limits)
    if len(cells) > limits.max_columns:
        if any(str(c) for c in cells[limits.max_columns :]):
            raise TableError(_("Die Zeile hat mehr als %(n)s Spalten.", n=limits.max_columns), line)
        cells = cells[: limits.max_columns]
    if any(isinstance(c, str) and len(c) > MAX_CELL_CHARS for c in cells):
        raise TableError(_("Eine Zelle ist länger als %(n)s Zeichen.", n=MAX_CELL_CHARS), line)
    return line, cells


def check_xlsx(data, limits):
    """Refuse a zip bomb before any XML is parsed: too many members, too large unpacked, packed too tightly.

    The sizes are those the archive declares; Python's zipfile never unpacks a member beyond its
    declared size, so they bound what openpyxl can read.
    """
    unreadable = _("Die XLSX-Datei lässt sich nicht lesen.")
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise TableError(unreadable) from None
    total = sum(m.file_size for m in members)
    if total > limits.max_unpacked:
        raise TableError(
            _(
                "Die XLSX-Datei ist entpackt größer als %(mb)s MB. Bitte speichern Sie nur die "
                "Tabelle, ohne Bilder und weitere Blätter, oder als CSV.",
                mb=limits.max_unpacked // MB,
            )
        )
    tight = [
        m
        for m in members
        if m.file_size > MB and m.file_size > MAX_PACKING_RATIO * max(m.compress_size, 1)
    ]
    if len(members) > MAX_ZIP_MEMBERS or tight:
        raise TableError(
            _(
                "Die XLSX-Datei ist ungewöhnlich gepackt und wird nicht gelesen. Bitte speichern Sie "
                "sie in Excel neu oder als CSV."
            )
        )


def _read_xlsx(data, limits):
    """Read the first sheet in openpyxl's read-only mode, no further than the limits."""
    # Lazy on purpose: openpyxl is not loaded at app start; only XLSX files need it.
    from openpyxl import load_workbook

    check_xlsx(data, limits)
    rows = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Rows as they are in the file, not padded to the size the sheet claims (A1:XFD1048576
            # is seventeen billion empty cells; a claim too small would cut rows off). Each row is
            # as wide as its last cell; _checked refuses the first one beyond the limits.
            sheet.reset_dimensions()
            for n, row in enumerate(sheet.iter_rows(values_only=True), 1):
                _check_line(n, limits)  # a cell a billion rows down: the gap comes as empty rows
                if row.count(None) == len(row):  # also the gaps between rows, as empty ones
                    continue
                row = _within_width(n, list(row), limits, lambda v: _cell(v) != "")
                while row and row[-1] is None:
                    row.pop()
                rows.append(_checked(n, [_cell(v) for v in row], limits))
        finally:
            workbook.close()
    except TableError:
        raise
    except Exception:  # openpyxl raises many kinds for a broken file
        raise TableError(_("Die XLSX-Datei lässt sich nicht lesen.")) from None
    return rows


def _without_empty(rows):
    return [(n, cells) for n, cells in rows if any(str(c) for c in cells)]


def _csv_value(value):
    return value.strftime(DATE_FORMAT) if isinstance(value, date) else escape_cell(value)


CSV_MIMETYPE = "text/csv"  # werkzeug adds "; charset=utf-8" to every text/* type itself
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    # Lazy on purpose: openpyxl is not loaded at app start; only XLSX files need it.
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
