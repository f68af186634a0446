"""Printed lists wrap at word boundaries and hyphens, and shrink cells that must stay one line."""

import io
import re

from pypdf import PdfReader

from compmgr.certificates.documents import ProjectRow
from compmgr.pdf.sheets import ParticipantListBuilder, SheetData, StandSignBuilder

LONG = ProjectRow(
    stand="GR-1234",
    title="Wie viel Mikroplastik steckt im Sediment der Neiße? Eine Messreihe über zwei Jahre",
    names=["Jörg Schwarz"],
    school="Annette-von-Droste-Hülshoff-Gymnasium Münster-Hiltrup",
    subject="Geo- und Raumwissenschaften",
    division="Jugend forscht junior",
    division_id=1,
    public_names="Jörg Schwarz",
)


def _lines(data):
    reader = PdfReader(io.BytesIO(data))
    return [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]


def test_the_participant_list_never_breaks_inside_a_word():
    maths = ProjectRow(**{**LONG.__dict__, "subject": "Mathematik/Informatik", "stand": "M7"})
    rows = [("Jörg Schwarz", LONG), ("Jörg Schwarz", maths)]
    data = ParticipantListBuilder(SheetData("Großstadt 2027", rows)).build()
    words = set()
    for line in _lines(data):
        words.update(re.split(r"\s+", line))
    text = " ".join(_lines(data))
    # whole words (a line may end after a hyphen: "Droste-" then "Hülshoff-Gymnasium")
    assert "Raumwissenschaften" in words, text
    assert any(w.endswith("Gymnasium") for w in words), text
    assert "Mathematik/Informatik" in words, text  # no break at "/": the cell shrinks
    assert not any(w in words for w in ("Raumwi", "ssenschaften", "Gymn", "asium")), text
    assert "GR-1234" in words, text  # the stand stays on one line, shrunk to fit


def test_stand_signs_print_the_public_names_only():
    row = ProjectRow(
        stand="B07",
        title="Würmer im Süßwasser",
        names=["Jörg Weiß", "Frieda Öztürk"],
        school="Gymnasium am Weißen Berg",
        subject="Biologie",
        division="Jugend forscht",
        public_names="Jörg Weiß und 1 weitere Person",
    )
    text = " ".join(_lines(StandSignBuilder(SheetData("Großstadt 2027", [row])).build()))
    assert "Jörg Weiß und 1 weitere Person" in text and "Öztürk" not in text
