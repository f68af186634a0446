"""Oversized import files and XLSX bombs are refused before they are read, with a clear message.

The limits are settings (IMPORT_MAX_*); this module lowers them so that small files cross
them. On the web the message stands next to the file field (413 for the size, 422 otherwise);
on the command line it goes to stderr with exit code 1. Nothing is saved.
"""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from bench.imports import HEADER, registration_rows, to_csv, xlsx_bomb
from compmgr.auth.models import Role
from compmgr.competitions.models import Level
from compmgr.registration.models import Participant, Project
from tests.factories import CompetitionFactory, UserFactory, grant
from tests.forms import submit

FILE_ERROR = re.compile(r'id="file-error"[^>]*>([^<]*)<')


@pytest.fixture
def app_config():
    return {
        "IMPORT_MAX_MB": 1,
        "IMPORT_MAX_ROWS": 50,
        "IMPORT_MAX_COLUMNS": 20,
        "IMPORT_MAX_UNPACKED_MB": 5,
    }


@pytest.fixture
def organiser(db, login_as):
    comp = CompetitionFactory()
    web = login_as(grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER))
    return comp, web


def xlsx(rows, header=HEADER):
    wb = Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite_sheet(data, change):
    """Return the XLSX with its first sheet's XML passed through change."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            body = src.read(item)
            dst.writestr(
                item, change(body) if item.filename == "xl/worksheets/sheet1.xml" else body
            )
    return out.getvalue()


def far_cell(data):
    """A sheet that claims A1:XFD1048576 and holds one cell there: tiny, and no compression at all."""
    return rewrite_sheet(
        data,
        lambda xml: re.sub(
            rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml
        ).replace(
            b"</sheetData>",
            b'<row r="1048576"><c r="XFD1048576" t="inlineStr">'
            b"<is><t>x</t></is></c></row></sheetData>",
        ),
    )


def tight_sheet(data):
    """A sheet of 4 MB of one repeated row: under the size limit, but packed a thousandfold."""
    row = b'<row><c t="inlineStr"><is><t>Bombe</t></is></c></row>'
    return rewrite_sheet(
        data,
        lambda xml: xml.replace(
            b"</sheetData>", row * (4 * 1024 * 1024 // len(row)) + b"</sheetData>"
        ),
    )


CASES = {  # file name, content, status, message
    "too large": (
        "gross.csv",
        lambda: to_csv(registration_rows(4000)),
        413,
        "Die Datei ist größer als 1 MB. Bitte teilen Sie sie in mehrere Dateien auf.",
    ),
    "too many rows": (
        "lang.csv",
        lambda: to_csv(registration_rows(51)),
        422,
        "Die Datei hat mehr als 50 Zeilen. Bitte teilen Sie sie in mehrere Dateien auf.",
    ),
    "too many columns": (
        "breit.csv",
        lambda: to_csv([r + ["x"] * 10 for r in registration_rows(3)]),
        422,
        "Zeile 2: Die Zeile hat mehr als 20 Spalten.",
    ),
    "a cell too long": (
        "zelle.csv",
        lambda: to_csv([r[:3] + ["x" * 40000] + r[4:] for r in registration_rows(1)]),
        422,
        "Zeile 2: Eine Zelle ist länger als 32767 Zeichen.",
    ),
    "zip bomb": (
        "bombe.xlsx",
        lambda: xlsx_bomb(200),
        422,
        "Die XLSX-Datei ist entpackt größer als 5 MB. Bitte speichern Sie nur die Tabelle, "
        "ohne Bilder und weitere Blätter, oder als CSV.",
    ),
    "packed a thousandfold": (
        "dicht.xlsx",
        lambda: tight_sheet(xlsx([])),
        422,
        "Die XLSX-Datei ist ungewöhnlich gepackt und wird nicht gelesen. Bitte "
        "speichern Sie sie in Excel neu oder als CSV.",
    ),
    "a cell at XFD1048576": (
        "weit.xlsx",
        lambda: far_cell(xlsx(registration_rows(3))),
        422,
        "Die Datei hat mehr als 50 Zeilen. Bitte teilen Sie sie in mehrere Dateien auf.",
    ),
}


def count(db, model):
    return db.session.scalar(db.select(db.func.count(model.id)))


@pytest.mark.parametrize("case", CASES)
def test_the_import_page_refuses_the_file_next_to_its_field(organiser, db, case):
    comp, web = organiser
    filename, make, status, message = CASES[case]
    page = web.get(f"/c/{comp.id}/org/entries/import")
    response = submit(page, file=(io.BytesIO(make()), filename))
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert FILE_ERROR.search(html).group(1) == message
    assert 'aria-describedby="file-error"' in html and 'aria-invalid="true"' in html
    assert count(db, Participant) == count(db, Project) == 0


@pytest.mark.parametrize("case", ["too large", "too many rows", "zip bomb"])
def test_the_command_line_refuses_the_file_with_exit_code_1(organiser, runner, db, tmp_path, case):
    comp, _web = organiser
    filename, make, _status, message = CASES[case]
    path = tmp_path / filename
    path.write_bytes(make())
    result = runner.invoke(args=["import-registrations", "--competition", str(comp.id), str(path)])
    assert result.exit_code == 1
    assert message in result.output and "Nichts importiert" in result.output
    assert count(db, Participant) == 0


@pytest.mark.parametrize("case", ["too large", "zip bomb", "a cell at XFD1048576"])
def test_the_next_level_import_has_the_same_limits(db, login_as, case):
    comp = CompetitionFactory(name="Landeswettbewerb", level=Level.STATE)
    web = login_as(grant(UserFactory(email="land@example.org"), comp, Role.ORGANISER))
    filename, make, status, message = CASES[case]
    response = submit(
        web.get(f"/c/{comp.id}/org/publish/import"), file=(io.BytesIO(make()), filename)
    )
    assert response.status_code == status
    assert FILE_ERROR.search(response.get_data(as_text=True)).group(1) == message
    assert count(db, Project) == 0


def test_a_file_at_the_limits_still_imports(organiser, db):
    comp, web = organiser
    response = submit(
        web.get(f"/c/{comp.id}/org/entries/import"),
        file=(io.BytesIO(xlsx(registration_rows(50))), "genau.xlsx"),
    )
    assert response.status_code == 200
    assert "Import abgeschlossen: 50 Zeilen" in response.get_data(as_text=True)
    assert count(db, Participant) == 50
