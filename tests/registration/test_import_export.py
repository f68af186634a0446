"""Import (all or nothing, no duplicates on re-import) and export (German Excel, no formulas)."""

import codecs
import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from compmgr.registration import exports, imports
from compmgr.registration.models import Participant, Project, School
from tests.factories import ParticipantFactory, ProjectFactory
from tests.forms import submit

HEADER = [
    "Projektschlüssel",
    "Projekttitel",
    "Fachgebiet",
    "Kurzfassung",
    "Vorname",
    "Nachname",
    "Geburtsdatum",
    "Klasse",
    "Schule",
    "Ort",
    "Betreuer(in)",
    "E-Mail",
    "Gruppensprecher(in)",
]
GOOD = [
    [
        "P-001",
        "Bioplastik aus Kartoffelschalen",
        "Chemie",
        "Stärke wird Folie.",
        "Lena",
        "Müller",
        "17.05.2010",
        "10",
        "Gymnasium am Weißen Berg",
        "Musterstadt",
        "Frau Weiß",
        "lena@schule.example",
        "ja",
    ],
    [
        "P-001",
        "Bioplastik aus Kartoffelschalen",
        "Chemie",
        "Stärke wird Folie.",
        "Jörg",
        "Groß",
        "01.03.2011",
        "9",
        "Gymnasium am Weißen Berg",
        "Musterstadt",
        "Frau Weiß",
        "joerg@schule.example",
        "nein",
    ],
    [
        "P-002",
        "Wie Bienen Farben lernen",
        "Biologie",
        "",
        "Özlem",
        "Öztürk",
        "2014-02-02",
        "7",
        "Gesamtschule Süd",
        "Musterstadt",
        "Herr Groß",
        "",
        "",
    ],
]


def csv_bytes(rows, delimiter=";", encoding="utf-8-sig", header=HEADER):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def count(db, model):
    return db.session.scalar(db.select(db.func.count(model.id)))


@pytest.mark.parametrize(
    "delimiter,encoding",
    [
        (";", "utf-8-sig"),
        (",", "utf-8"),
        (";", "cp1252"),
        (",", "utf-16"),
    ],
)
def test_good_file_imports_in_every_encoding(setup, db, delimiter, encoding):
    result = imports.import_file(setup.comp, csv_bytes(GOOD, delimiter, encoding))
    db.session.commit()
    assert result.counts["projects_created"] == 2 and result.counts["participants_created"] == 3
    assert "2 Projekte neu" in result.summary()
    project = db.session.scalars(db.select(Project).filter_by(key="P-001")).one()
    assert project.school.name == "Gymnasium am Weißen Berg" and project.subject.name == "Chemie"
    assert project.speaker.first_name == "Lena" and len(project.members) == 2
    assert project.division.code == "jf"
    junior = db.session.scalars(db.select(Project).filter_by(key="P-002")).one()
    assert junior.division.code == "junior" and junior.speaker.last_name == "Öztürk"
    assert count(db, School) == 2  # the two existing schools were matched by name and city


def test_xlsx_imports_with_date_cells(setup, db):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in GOOD:
        row = list(row)
        if row[6] == "17.05.2010":
            row[6] = date(2010, 5, 17)
        row[7] = int(row[7])
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    result = imports.import_file(setup.comp, buf.getvalue())
    assert result.counts["participants_created"] == 3


def test_reimport_creates_no_duplicates_and_updates(setup, db):
    imports.import_file(setup.comp, csv_bytes(GOOD))
    db.session.commit()
    changed = [list(r) for r in GOOD]
    changed[0][1] = changed[1][1] = "Bioplastik aus Kartoffelschalen (neu)"
    result = imports.import_file(setup.comp, csv_bytes(changed))
    db.session.commit()
    assert result.counts["projects_created"] == 0 and result.counts["participants_created"] == 0
    assert result.counts["projects_updated"] == 1 and result.counts["participants_updated"] == 0
    assert count(db, Project) == 2 and count(db, Participant) == 3 and count(db, School) == 2
    assert (
        db.session.scalars(db.select(Project).filter_by(key="P-001")).one().title.endswith("(neu)")
    )
    same = imports.import_file(setup.comp, csv_bytes(changed))  # the same file again
    assert {k: v for k, v in same.counts.items() if k != "rows"} == dict(
        schools_created=0,
        participants_created=0,
        participants_updated=0,
        projects_created=0,
        projects_updated=0,
    )


def test_broken_file_imports_nothing_and_lists_every_bad_row(setup, db):
    bad = [list(r) for r in GOOD] + [
        [
            "P-003",
            "Sterne",
            "Astrologie",
            "",
            "Max",
            "Mustermann",
            "31.02.2010",
            "zehn",
            "Schule X",
            "Ort",
            "",
            "kein-at",
            "vielleicht",
        ],
        [
            "P-004",
            "Alt",
            "Physik",
            "",
            "Otto",
            "Alt",
            "01.01.1990",
            "13",
            "Schule X",
            "Ort",
            "",
            "",
            "ja",
        ],
        [
            "P-005",
            "Klein",
            "Physik",
            "",
            "Kai",
            "Klein",
            "01.06.2017",
            "3",
            "Schule X",
            "Ort",
            "",
            "",
            "ja",
        ],
        [
            "",
            "",
            "Physik",
            "",
            "Ohne",
            "Schlüssel",
            "01.06.2012",
            "7",
            "Schule X",
            "Ort",
            "",
            "",
            "ja",
        ],
    ]
    with pytest.raises(imports.ImportFailed) as info:
        imports.import_file(setup.comp, csv_bytes(bad))
    db.session.rollback()
    lines = {line for line, _m in info.value.errors}
    text = " | ".join(f"{line}: {m}" for line, m in info.value.errors)
    assert lines == {5, 6, 7, 8}, text
    for expected in (
        "unbekanntes Fachgebiet „Astrologie“",
        "„31.02.2010“ ist kein Datum",
        "Klasse „zehn“",
        "„kein-at“ ist keine gültige E-Mail-Adresse",
        "„ja“ oder „nein“",
        "passt keine Sparte",
        "ab Klasse 4",
        "Projektschlüssel fehlt",
    ):
        assert expected in text, expected
    assert count(db, Project) == 0 and count(db, Participant) == 0


def test_cross_row_rules(setup, db):
    four = [
        [
            "P-9",
            "Team",
            "Physik",
            "",
            f"P{i}",
            "Vier",
            "01.01.2010",
            "10",
            "S",
            "O",
            "",
            "",
            "ja" if i < 2 else "nein",
        ]
        for i in range(4)
    ]
    with pytest.raises(imports.ImportFailed) as info:
        imports.import_file(setup.comp, csv_bytes(four))
    text = " ".join(m for _l, m in info.value.errors)
    assert "höchstens 3" in text and "mehr als eine(n) Gruppensprecher(in)" in text
    twice = [
        ["P-1", "A", "Physik", "", "Eva", "Zwei", "01.01.2010", "10", "S", "O", "", "", "ja"],
        ["P-2", "B", "Physik", "", "Eva", "Zwei", "01.01.2010", "10", "S", "O", "", "", "ja"],
    ]
    with pytest.raises(imports.ImportFailed) as info:
        imports.import_file(setup.comp, csv_bytes(twice))
    assert info.value.errors[0][0] == 3 and "2 Projekten" in info.value.errors[0][1]


def test_missing_columns_are_named(setup):
    with pytest.raises(imports.ImportFailed) as info:
        imports.import_file(setup.comp, csv_bytes([], header=HEADER[:5]))
    assert "Nachname" in info.value.errors[0][1] and info.value.errors[0][0] == 1


def test_import_page_shows_errors_and_counts(setup, login_as, db):
    web = login_as(setup.organiser)
    url = f"/c/{setup.comp.id}/org/entries/import"
    bad = GOOD + [
        ["P-3", "X", "Astrologie", "", "A", "B", "01.01.2010", "10", "S", "O", "", "", "ja"]
    ]
    response = submit(web.get(url), file=(io.BytesIO(csv_bytes(bad)), "anmeldungen.csv"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Nichts wurde importiert" in html
    assert "Zeile 5: unbekanntes Fachgebiet „Astrologie“" in html
    assert count(db, Participant) == 0
    response = submit(response, file=(io.BytesIO(csv_bytes(GOOD)), "anmeldungen.csv"))
    assert "2 Projekte neu" in response.get_data(as_text=True)
    assert count(db, Participant) == 3


def test_cli_import_exit_codes(setup, runner, db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv_bytes(
            GOOD
            + [["P-3", "X", "Astrologie", "", "A", "B", "01.01.2010", "10", "S", "O", "", "", "ja"]]
        )
    )
    result = runner.invoke(
        args=["import-registrations", "--competition", str(setup.comp.id), str(bad)]
    )
    assert result.exit_code == 1 and "Zeile 5: unbekanntes Fachgebiet" in result.output
    assert count(db, Participant) == 0
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(GOOD))
    for _ in range(2):
        result = runner.invoke(
            args=["import-registrations", "--competition", str(setup.comp.id), str(good)]
        )
        assert result.exit_code == 0, result.output
    assert count(db, Participant) == 3 and count(db, Project) == 2


def _exported(setup, db):
    lena = ParticipantFactory(
        competition_id=setup.comp.id,
        school=setup.school,
        first_name="Jürgen",
        last_name='=HYPERLINK("http://x")',
        email="@evil",
    )
    ProjectFactory(
        competition=setup.comp,
        school=setup.school,
        participants=[lena],
        title="-2+3 Größenmessung",
        key="K1",
    )
    db.session.commit()


def test_csv_export_opens_in_german_excel_and_escapes_formulas(setup, db):
    _exported(setup, db)
    data, mimetype, name = exports.export(setup.comp, "participants", "csv")
    assert data.startswith(codecs.BOM_UTF8) and name == "teilnehmende.csv"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Nachname", "Vorname", "Geburtsdatum"]
    assert rows[1][0] == '\'=HYPERLINK("http://x")' and rows[1][1] == "Jürgen"
    assert rows[1][4] == "'@evil" and rows[1][9] == "'-2+3 Größenmessung"
    projects = exports.export(setup.comp, "projects", "csv")[0].decode("utf-8-sig")
    assert "'-2+3 Größenmessung" in projects


def test_xlsx_export_has_no_formulas(setup, db):
    _exported(setup, db)
    data, _m, _n = exports.export(setup.comp, "projects", "xlsx")
    ws = load_workbook(io.BytesIO(data)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "'-2+3 Größenmessung" in values
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_export_page_and_cli(setup, login_as, db, runner, tmp_path):
    _exported(setup, db)
    web = login_as(setup.organiser)
    response = web.get(f"/c/{setup.comp.id}/org/entries/export?table=projects&format=xlsx")
    assert response.status_code == 200 and response.data.startswith(b"PK")
    web.logout()
    assert login_as(setup.user).get(f"/c/{setup.comp.id}/org/entries/export").status_code == 403
    out = tmp_path / "p.csv"
    result = runner.invoke(
        args=[
            "export-registrations",
            "--competition",
            str(setup.comp.id),
            "--table",
            "participants",
            "--output",
            str(out),
        ]
    )
    assert result.exit_code == 0 and "Jürgen" in out.read_bytes().decode("utf-8-sig")


def test_participant_export_shows_the_project_status(setup, db):
    ida = ParticipantFactory(
        competition_id=setup.comp.id, school=setup.school, first_name="Ida", last_name="Abel"
    )
    ben = ParticipantFactory(
        competition_id=setup.comp.id, school=setup.school, first_name="Ben", last_name="Brandt"
    )
    ProjectFactory(
        competition=setup.comp,
        school=setup.school,
        participants=[ida, ben],
        title="Zurückgezogenes Projekt",
        status="withdrawn",
    )
    ProjectFactory(
        competition=setup.comp,
        school=setup.school,
        participants=[ben],
        title="Neues Projekt",
        status="admitted",
    )
    db.session.commit()
    data = exports.export(setup.comp, "participants", "csv")[0].decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    column = rows[0].index("Projektstatus")
    title = rows[0].index("Projekt")
    assert [(r[1], r[title], r[column]) for r in rows[1:]] == [
        ("Ida", "Zurückgezogenes Projekt", "Zurückgezogen"),
        ("Ben", "Neues Projekt", "Zugelassen"),  # the project Ben takes part with
    ]
