"""The certificate PDFs: every name with umlauts and the right achievement on the right page,
long names and titles inside their boxes."""

import io

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from compmgr.certificates import printing, services
from compmgr.certificates.settings import template_settings
from compmgr.demo import LONG_NAMES, LONG_TITLE
from compmgr.pdf import fonts
from compmgr.pdf.certificate import CertificateBuilder, CertificateSet
from compmgr.pdf.layout import fit, wrap


def _pages(data):
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


def _pdf(comp, certs):
    out = io.BytesIO()
    printing.write_certificates(comp, certs, out)
    return out.getvalue()


def test_every_name_and_achievement_on_its_own_page(contest):
    certs = services.certificates(contest["comp"])
    pages = _pages(_pdf(contest["comp"], certs))
    assert len(pages) == len(certs) == 8
    for cert, text in zip(certs, pages, strict=True):
        assert cert.full_name in text
        assert cert.school in text
        if cert.kind == "participation":
            assert "Teilnahmeurkunde" in text and "Preis im" not in text
        else:
            assert cert.achievement in text
    page = pages[[c.kind for c in certs].index("special")]
    assert "Ömer Öztürk" in page
    assert "Sonderpreis Umwelttechnik, gestiftet von Stadtwerke Großstadt" in page
    assert "Sonderpreis-Urkunde" in page and "„Bienen »im« Stadtpark“" in page
    first = pages[0]
    assert "Regionalwettbewerb Großstadt 2027" in first  # heading, drawn in a form
    assert "Stadthalle Großstadt, 25.–26. Februar 2027" in first
    assert "Fachgebiet Biologie" in first and "Sparte Jugend forscht" in first


def test_no_certificates_means_no_pdf(contest):
    out = io.BytesIO()
    with pytest.raises(printing.NothingToPrint):
        printing.write_certificates(contest["comp"], [], out)
    assert out.getvalue() == b""


def test_fonts_are_embedded_truetype(contest):
    data = _pdf(contest["comp"], services.certificates(contest["comp"])[:1])
    reader = PdfReader(io.BytesIO(data))
    fonts_used = set()
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            font = ref.get_object()
            fonts_used.add(str(font["/BaseFont"]))
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:  # Type0 fonts describe their glyphs in the descendant
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), name
    assert not any("Helvetica" in f for f in fonts_used)


def test_wrap_never_exceeds_width_even_for_one_long_word():
    fonts.register_fonts()
    text = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen" * 3 + " und mehr"
    lines = wrap(text, fonts.BOLD, 20, 200)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(stringWidth(line, fonts.BOLD, 20) <= 200 for line in lines)
    size, lines = fit("Ömer Öztürk", fonts.BOLD, 26, 14, 400, 2)
    assert (size, lines) == (26, ["Ömer Öztürk"])


class _Collector:
    """Record every text run on a page with its position and width."""

    def __init__(self):
        self.runs = []

    def __call__(self, text, cm, tm, font_dict, font_size):
        if not text.strip() or font_dict is None:
            return
        base = str(font_dict.get("/BaseFont", ""))
        name = (
            fonts.BOLD
            if "Bold" in base
            else fonts.ITALIC
            if "Oblique" in base or "It" in base
            else fonts.REGULAR
        )
        scale = tm[0] * cm[0] or 1
        size = font_size * scale
        x = tm[4] * cm[0] + cm[4]
        y = tm[5] * cm[3] + cm[5]
        self.runs.append((x, y, stringWidth(text.strip("\n"), name, size), size, text))


def test_longest_names_and_a_200_character_title_stay_inside_their_boxes(contest):
    comp = contest["comp"]
    title = (LONG_TITLE + " " + LONG_TITLE)[:200]
    assert len(title) == 200
    certs = []
    for first, last in LONG_NAMES:
        for kind, achievement in (
            ("participation", "Teilnahme"),
            (
                "prize",
                "1. Preis und Regionalsieg im Fachgebiet Geo- und Raumwissenschaften, "
                "Sparte Jugend forscht junior",
            ),
        ):
            certs.append(
                services.Certificate(
                    kind=kind,
                    participant_id=1,
                    project_id=1,
                    first_name=first,
                    last_name=last,
                    school="Geschwister-Scholl-Gymnasium mit naturwissenschaftlichem Profil, "
                    "Bad Überlingen",
                    school_id=1,
                    title=title,
                    subject="Geo- und Raumwissenschaften",
                    division="Jugend forscht junior",
                    stand="G01",
                    achievement=achievement,
                    claim=(1, 1, "t"),
                )
            )
    data = CertificateBuilder(
        CertificateSet(
            services.competition_info(comp),
            template_settings(None),
            certs,
            lambda claim: "http://localhost/verify/x",
            kinds=("participation", "prize"),
            plain_kinds=("participation",),
        )
    ).build()
    reader = PdfReader(io.BytesIO(data))
    for cert, page in zip(certs, reader.pages, strict=True):
        text = " ".join(page.extract_text().split())
        for word in (cert.first_name + " " + cert.last_name + " " + title).split():
            assert word in text, word
        collector = _Collector()
        page.extract_text(visitor_text=collector)
        width = float(page.mediabox.width)
        body = [r for r in collector.runs if r[3] > 7]
        assert body
        for x, _y, w, _size, text_run in body:
            assert x >= 20 * 2.83 - 1 and x + w <= width - 20 * 2.83 + 1, text_run
        # no two lines share vertical space: sorted by height, each is below the one before
        ys = sorted({round(r[1], 1) for r in body}, reverse=True)
        sizes = {round(r[1], 1): r[3] for r in body}
        for upper, lower in zip(ys, ys[1:], strict=False):
            assert upper - lower >= 0.9 * min(sizes[upper], sizes[lower]), (upper, lower)
