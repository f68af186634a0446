"""Every PDF goes through the one layer: one builder contract and one embedded font family."""

import ast
import inspect
import io
import pkgutil
import re
from importlib import import_module
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

import compmgr
import compmgr.pdf
from compmgr.certificates.documents import ProjectRow, ScoreSheet
from compmgr.certificates.services import Certificate, CompetitionInfo
from compmgr.certificates.settings import template_settings
from compmgr.pdf import fonts
from compmgr.pdf.annual_report import AnnualReport, AnnualReportBuilder, Figure, WinnerGroup
from compmgr.pdf.base import PdfBuilder
from compmgr.pdf.certificate import CertificateBuilder, CertificateSet
from compmgr.pdf.confirmation import ConfirmationBuilder, ConfirmationData, ConfirmationProject
from compmgr.pdf.sheets import (
    ParticipantListBuilder,
    ScoreSheetBuilder,
    SheetData,
    StandSignBuilder,
)
from compmgr.pdf.subject_access import SubjectAccess, SubjectAccessBuilder
from compmgr.pdf.timetable import Timetable, TimetableBuilder

PACKAGE = Path(compmgr.__file__).parent
PDF_PACKAGE = PACKAGE / "pdf"
FEATURES = {
    "competitions",
    "auth",
    "audit",
    "registration",
    "judging",
    "results",
    "certificates",
    "privacy",
    "admin",
}

ROW = ProjectRow(
    stand="B07",
    title="Würmer im Süßwasser",
    names=["Jörg Weiß", "Änne Groß"],
    school="Gymnasium am Weißen Berg",
    subject="Biologie",
    division="Jugend forscht",
    division_id=1,
)


def _certificate(kind, achievement):
    return Certificate(
        kind=kind,
        participant_id=1,
        project_id=1,
        first_name="Jörg",
        last_name="Weiß",
        school="Gymnasium am Weißen Berg",
        school_id=1,
        title="Würmer im Süßwasser",
        subject="Biologie",
        division="Jugend forscht",
        stand="B07",
        achievement=achievement,
        claim=(1, 1, "t"),
    )


def _subject_access():
    export = {
        "participant": {
            "first_name": "Jörg",
            "last_name": "Weiß",
            "birth_date": "2009-01-02",
            "grade": 10,
            "email": None,
            "phone": None,
            "created_at": "2026-09-01T10:00:00",
            "updated_at": None,
        },
        "school": {"name": "Gymnasium am Weißen Berg", "city": "Görlitz"},
        "competition": {
            "name": "Regionalwettbewerb Großstadt",
            "round_year": 2027,
            "retention_until": None,
        },
        "consents": [],
        "projects": [],
        "access_log": [
            {
                "at": "2026-10-01T08:00:00",
                "action": "export",
                "by": "Käthe",
                "page": "privacy.export_pdf",
            }
        ],
    }
    return SubjectAccess(export, "01.10.2026 10:00", {"export": "exportiert"})


# Each builder with the plain data its feature gathers, and a text its first page must show.
SAMPLES = {
    CertificateBuilder: (
        CertificateSet(
            CompetitionInfo(
                name="Regionalwettbewerb Großstadt",
                level="Regionalwettbewerb",
                round_year=2027,
                host="IHK Süd",
                host_contact="",
                venue="Stadthalle",
                dates="25.–26. Februar 2027",
                status="published",
            ),
            template_settings(None),
            [_certificate("participation", "Teilnahme"), _certificate("prize", "1. Preis")],
            lambda claim: "http://localhost/verify/x",
            kinds=("participation", "prize"),
            plain_kinds=("participation",),
        ),
        "Jörg Weiß",
    ),
    ScoreSheetBuilder: (
        SheetData(
            "Großstadt 2027",
            [
                ScoreSheet(
                    judge="Käthe Groß",
                    affiliation="Uni Süd",
                    juries="Biologie",
                    projects=[ROW],
                    criteria={1: [("Idee", "Originalität", "0–10")]},
                )
            ],
        ),
        "Würmer im Süßwasser",
    ),
    StandSignBuilder: (SheetData("Großstadt 2027", [ROW], "#1f4e79"), "Würmer im Süßwasser"),
    ParticipantListBuilder: (SheetData("Großstadt 2027", [("Jörg Weiß", ROW)]), "Jörg Weiß"),
    TimetableBuilder: (
        Timetable(
            "Zeitplan Großstadt",
            "Donnerstag",
            [("Biologie", [("09:00–09:20", "B07", "Würmer im Süßwasser", "Käthe Groß")])],
            ["Zeit", "Stand", "Projekt", "Jury"],
            footer="Großstadt",
        ),
        "Würmer im Süßwasser",
    ),
    ConfirmationBuilder: (
        ConfirmationData(
            "Großstadt 2027",
            "Gymnasium am Weißen Berg",
            "01.10.2026 10:00",
            [
                ConfirmationProject(
                    "Würmer im Süßwasser",
                    "Biologie",
                    "Jugend forscht",
                    "angemeldet",
                    ["Jörg Weiß, Klasse 10"],
                )
            ],
        ),
        "Würmer im Süßwasser",
    ),
    SubjectAccessBuilder: (_subject_access(), "exportiert"),
    AnnualReportBuilder: (
        AnnualReport(
            "Jahresbericht Großstadt 2027",
            "Regionalwettbewerb",
            "42 Jugendliche aus 7 Schulen stellten 23 Projekte aus.",
            [
                Figure("Projekte je Fachgebiet", ["Fachgebiet", "Projekte"], [("Biologie", 5)]),
                Figure("Anmeldungen", ["Jahr", "Projekte"], [("2026", 20), ("2027", 23)], "line"),
            ],
            [WinnerGroup("Biologie", [("1. Preis", "Würmer im Süßwasser", "Jörg W.", "Gym.")])],
            {"winners": "Preisträger", "winner_columns": ["Preis", "Projekt", "Namen", "Schule"]},
        ),
        "42 Jugendliche aus 7 Schulen",
    ),
}


def _builders_in_the_layer():
    """Find every public builder class defined in compmgr.pdf."""
    found = set()
    for module in pkgutil.iter_modules(compmgr.pdf.__path__):
        for name, obj in inspect.getmembers(
            import_module(f"compmgr.pdf.{module.name}"), inspect.isclass
        ):
            if name.endswith("Builder") and obj.__module__.startswith("compmgr.pdf."):
                found.add(obj)
    return {b for b in found if not b.__name__.startswith("_")} - {
        PdfBuilder,
        import_module("compmgr.pdf.story").StoryBuilder,
    }


def _family_faces():
    fonts.register_fonts()
    return {pdfmetrics.getFont(name).face.name.decode() for name in fonts.FACES}


def _fonts(reader):
    """Return (base font name without subset tag, embedded?) of every font the pages use."""
    found = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found.add((re.sub(r"^/?[A-Z]{6}\+", "", str(font["/BaseFont"])), embedded))
    return found


def test_the_eight_builders_are_all_there_is():
    assert _builders_in_the_layer() == set(SAMPLES)
    assert len(SAMPLES) == 8


@pytest.mark.parametrize("builder", SAMPLES, ids=lambda b: b.__name__)
def test_every_builder_takes_data_and_builds_or_writes_in_the_one_family(builder):
    data, text = SAMPLES[builder]
    assert issubclass(builder, PdfBuilder)
    pdf = builder(data).build()
    assert pdf.startswith(b"%PDF")
    out = io.BytesIO()
    pages = builder(data).write(out)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert pages == len(reader.pages) >= 1
    assert text in reader.pages[0].extract_text()
    used = _fonts(PdfReader(io.BytesIO(pdf)))
    assert used and {name for name, _ in used} <= _family_faces(), used
    assert all(embedded for _, embedded in used), used


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_only_the_pdf_layer_uses_reportlab_and_it_registers_the_fonts_once():
    for path in PACKAGE.rglob("*.py"):
        if PDF_PACKAGE in path.parents:
            continue
        assert not [m for m in _imports(path) if m.split(".")[0] == "reportlab"], path
    registering = [
        path.name
        for path in PDF_PACKAGE.glob("*.py")
        if "registerFont" in path.read_text(encoding="utf-8")
    ]
    assert registering == ["fonts.py"]


def test_the_pdf_layer_imports_no_feature_and_no_flask():
    for path in PDF_PACKAGE.glob("*.py"):
        for module in _imports(path):
            parts = module.split(".")
            assert parts[0] not in ("flask", "flask_babel", "sqlalchemy"), (path.name, module)
            if parts[0] == "compmgr":
                assert parts[1] not in FEATURES, (path.name, module)
