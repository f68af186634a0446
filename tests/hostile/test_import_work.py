"""Import files within every size limit still cannot keep a worker busy for minutes.

A few kilobytes of XLSX can claim a row a billion rows down, or rows as wide as Excel allows
(16,384 columns) with a blank cell at the end; ten megabytes of CSV can be nothing but
separators or line ends. Reading must cost work in proportion to the cells that hold data,
so each file here is read or refused within a CPU budget: twenty times what a real file of
5,000 registrations (1.6 MB, bench/imports.py) costs in the same process. Measured as a ratio,
so that a loaded machine slows both sides alike: quiet, the worst file below costs about 11
times the real one; before the fix each took 10 s to minutes, 28 times or more.
"""

import time

import pytest

from bench.imports import HEADER, registration_rows, to_csv
from compmgr.spreadsheets import Limits, TableError, read_table
from tests.hostile.test_import_limits import rewrite_sheet, xlsx

BUDGET = 20  # times the CPU a real file of 5,000 registrations takes to read


def _cpu(data, limits):
    start = time.process_time()
    try:
        rows = read_table(data, limits)
    except TableError:
        rows = None
    return time.process_time() - start, rows


@pytest.fixture(scope="module")
def real_file_cpu():
    """CPU seconds for reading 5,000 real registration rows (the best of three)."""
    data = to_csv(registration_rows(5000))
    return min(_cpu(data, Limits.from_config())[0] for _ in range(3))


def _far_row(row):
    """An XLSX of a header and one cell in the given row (a few kB whatever the row)."""
    cell = f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
    return rewrite_sheet(
        xlsx([]), lambda sheet: sheet.replace(b"</sheetData>", cell + b"</sheetData>")
    )


def _wide_rows(n):
    """An XLSX of n rows holding text in A and a blank cell in XFD, the last column of Excel."""
    rows = b"".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c>'
        f'<c r="XFD{r}" t="inlineStr"><is><t> </t></is></c></row>'.encode()
        for r in range(2, n + 2)
    )
    return rewrite_sheet(
        xlsx([]), lambda sheet: sheet.replace(b"</sheetData>", rows + b"</sheetData>")
    )


FILES = {
    "a cell a third of a billion rows down": lambda: _far_row(300_000_000),
    "6,000 rows as wide as Excel": lambda: _wide_rows(6000),
    "ten megabytes of semicolons": lambda: b";" * 9_900_000,
    "ten megabytes of blanks between semicolons": lambda: b" ;" * 4_950_000,
    "ten megabytes of line ends": lambda: b"\n" * 9_900_000,
}


@pytest.mark.parametrize("name", FILES)
def test_reading_a_hostile_file_stays_within_a_cpu_budget(name, real_file_cpu):
    data = FILES[name]()
    limits = Limits.from_config()
    assert len(data) <= limits.max_bytes
    spent, rows = _cpu(data, limits)
    assert spent < BUDGET * real_file_cpu, (
        f"{name}: {spent:.1f} s of CPU, {spent / real_file_cpu:.0f} × a real file of 5,000 rows"
    )
    if rows is not None:  # read: no row wider than the limit, and nothing invented
        assert all(len(cells) <= limits.max_columns for _line, cells in rows)


def test_the_header_of_a_wide_sheet_is_still_read():
    rows = read_table(_wide_rows(3), Limits.from_config())
    assert rows[0] == (1, HEADER) and len(rows) == 4
    assert all(cells[0] == "x" and not any(cells[1:]) for _line, cells in rows[1:])
