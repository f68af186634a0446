"""Hostile and odd import files: every one is handled, nothing is half-imported."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from compmgr.auth.models import Role
from compmgr.registration import exports, imports
from compmgr.registration.models import Participant, Project, School
from tests.factories import CompetitionFactory, UserFactory, grant
from tests.hostile.snapshot import diff, snapshot

HEADER = [
    "Projektschlüssel",
    "Projekttitel",
    "Fachgebiet",
    "Vorname",
    "Nachname",
    "Geburtsdatum",
    "Klasse",
    "Schule",
    "Ort",
    "Gruppensprecher(in)",
    "E-Mail",
    "Betreuer(in)",
    "Kurzfassung",
]
ROWS = [
    [
        "P-1",
        "Wärme aus der Straße",
        "Physik",
        "Jörg",
        "Weiß",
        "01.03.2010",
        "10",
        "Gymnasium Süd",
        "Musterstadt",
        "ja",
        "",
        "Frau Öztürk",
        "",
    ],
    [
        "P-1",
        "Wärme aus der Straße",
        "Physik",
        "Ümit",
        "Groß",
        "02.04.2010",
        "10",
        "Gymnasium Süd",
        "Musterstadt",
        "nein",
        "",
        "Frau Öztürk",
        "",
    ],
]


def table(rows=ROWS, header=HEADER, delimiter=";"):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


@pytest.fixture
def comp(db):
    comp = CompetitionFactory(registration_deadline=date(2099, 11, 30))
    db.session.commit()
    return comp


def imported(db):
    db.session.commit()
    return sorted(
        f"{p.first_name} {p.last_name}" for p in db.session.scalars(db.select(Participant))
    )


@pytest.mark.parametrize(
    "encoding", ["latin-1", "cp1252", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"]
)
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_every_encoding_and_delimiter_imports_with_umlauts(comp, db, encoding, delimiter):
    imports.import_file(comp, table(delimiter=delimiter).encode(encoding))
    assert imported(db) == ["Jörg Weiß", "Ümit Groß"]
    assert db.session.scalars(db.select(School.name)).one() == "Gymnasium Süd"


def test_extra_columns_are_ignored_and_order_does_not_matter(comp, db):
    header = ["Bemerkung"] + HEADER[::-1] + ["Lieblingsfarbe"]
    rows = [["egal"] + r[::-1] + ["blau"] for r in ROWS]
    imports.import_file(comp, table(rows, header).encode())
    assert imported(db) == ["Jörg Weiß", "Ümit Groß"]


@pytest.mark.parametrize("drop", ["Projektschlüssel", "Geburtsdatum", "Schule"])
def test_missing_columns_are_named_and_nothing_is_saved(comp, db, drop):
    i = HEADER.index(drop)
    header = HEADER[:i] + HEADER[i + 1 :]
    rows = [r[:i] + r[i + 1 :] for r in ROWS]
    with pytest.raises(imports.ImportFailed) as exc:
        imports.import_file(comp, table(rows, header).encode())
    assert drop in str(exc.value)
    assert imported(db) == []


def test_short_rows_are_reported_not_crashed(comp, db):
    rows = [ROWS[0], ROWS[1][:4]]
    with pytest.raises(imports.ImportFailed) as exc:
        imports.import_file(comp, table(rows).encode())
    assert "Zeile" not in str(exc.value) or exc.value.errors
    assert {line for line, _m in exc.value.errors} == {3}
    assert imported(db) == []


@pytest.mark.parametrize(
    "cell,message",
    [
        ("x" * 301, "Projekttitel ist länger als 300 Zeichen"),
        ("Nul\x00Byte", None),
        ("Escape\x1b[31mrot", None),
    ],
)
def test_overlong_and_control_characters_in_cells(comp, db, cell, message):
    rows = [[ROWS[0][0], cell] + ROWS[0][2:], [ROWS[1][0], cell] + ROWS[1][2:]]
    if message:
        with pytest.raises(imports.ImportFailed) as exc:
            imports.import_file(comp, table(rows).encode())
        assert message in str(exc.value)
        assert imported(db) == []
    else:
        imports.import_file(comp, table(rows).encode())
        db.session.commit()
        title = db.session.scalars(db.select(Project.title)).one()
        assert "\x00" not in title and "\x1b" not in title


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\x00",  # a BOM and half a character
        b"PK\x03\x04 truncated xlsx",
        b"\x00" * 100,
        'Projektschlüssel;Titel\n"offenes Anführungszeichen'.encode(),
        b"\n\n\n",
    ],
    ids=["broken-utf16", "broken-xlsx", "zeros", "open-quote", "blank"],
)
def test_garbage_files_fail_cleanly(comp, db, data):
    before = snapshot()
    with pytest.raises(imports.ImportFailed):
        imports.import_file(comp, data)
    assert diff(before, snapshot()) == []


FORMULAS = [
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A9)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1)",
    '=HYPERLINK("http://evil.example";"klick")',
]


def test_formula_cells_are_stored_as_text_and_exported_escaped(comp, db, login_as):
    rows = []
    for n, formula in enumerate(FORMULAS):
        rows.append(
            [
                f"F-{n}",
                formula,
                "Physik",
                formula[:40],
                f"Name{n}",
                f"0{n + 1}.03.2010",
                "10",
                "Gymnasium Süd",
                "Musterstadt",
                "ja",
                "",
                formula[:100],
                "",
            ]
        )
    imports.import_file(comp, table(rows).encode("utf-8-sig"))
    db.session.commit()
    titles = set(db.session.scalars(db.select(Project.title)))
    assert titles == set(FORMULAS)  # kept as typed: it is only text here
    web = login_as(grant(UserFactory(email="orga@example.org"), comp, Role.ORGANISER))
    for which in exports.TABLES:
        text = web.get(f"/c/{comp.id}/org/entries/export?table={which}&format=csv").data.decode(
            "utf-8-sig"
        )
        cells = [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row]
        assert not [
            c
            for c in cells
            if c[:1] and c[0] in "=+-@" and not c.lstrip("-").replace(",", "").isdigit()
        ]
        assert any(c.startswith("'=cmd|") or c.startswith("'=") for c in cells)
        xlsx = web.get(f"/c/{comp.id}/org/entries/export?table={which}&format=xlsx").data
        sheet = load_workbook(io.BytesIO(xlsx)).worksheets[0]
        values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert not [v for v in values if v.startswith(("=", "+", "@"))]
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
