"""A readable PDF of the subject access export, built from the export's plain data."""

import io
from xml.sax.saxutils import escape

from flask_babel import force_locale
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from compmgr.certificates.pdf import fonts
from compmgr.privacy.models import access_action_label

CONSENT_KINDS = {"participation": "Teilnahme- und Datenschutzerklärung",
                 "publication": "Name in Ergebnissen und Presse", "photos": "Fotos"}
GIVEN_BY = {"participant": "Teilnehmende Person", "parent": "Erziehungsberechtigte"}


def _yes(value):
    return "ja" if value else "nein"


def _action(code):
    with force_locale("de"):  # the PDF is a German document, whatever the reader's language
        return str(access_action_label(code))


def _day(iso):
    if not iso:
        return "–"
    y, m, d = iso[:10].split("-")
    return f"{d}.{m}.{y}" + (f" {iso[11:16]} UTC" if len(iso) > 10 else "")


class SubjectAccessPdf:
    """Lay out one person's data (the dict of ``subject_access_export``) on A4 pages."""

    def __init__(self, data, created):
        self.data = data
        self.created = created
        fonts.register_fonts()
        self.s = {
            "h1": ParagraphStyle("h1", fontName=fonts.BOLD, fontSize=15, leading=19, spaceAfter=4),
            "h2": ParagraphStyle("h2", fontName=fonts.BOLD, fontSize=11.5, leading=14,
                                 spaceBefore=10, spaceAfter=4),
            "p": ParagraphStyle("p", fontName=fonts.REGULAR, fontSize=9.5, leading=12.5),
            "th": ParagraphStyle("th", fontName=fonts.BOLD, fontSize=9, leading=11.5),
        }

    def _p(self, text, style="p"):
        return Paragraph(escape(str(text if text not in (None, "") else "–")), self.s[style])

    def _pairs(self, rows):
        table = Table([[self._p(k, "th"), self._p(v)] for k, v in rows],
                      colWidths=[50 * mm, 120 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.lightgrey)]))
        return table

    def _grid(self, header, rows, widths):
        body = [[self._p(h, "th") for h in header]] + [[self._p(c) for c in r] for r in rows]
        table = Table(body, colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return table

    def build(self):
        """Return the PDF as bytes."""
        d = self.data
        person, comp = d["participant"], d["competition"]
        story = [
            self._p("Auskunft über gespeicherte Daten", "h1"),
            self._p(f"{person['first_name']} {person['last_name']} · {comp['name']} "
                    f"{comp['round_year']} · erstellt am {self.created}"),
            self._p("Persönliche Angaben", "h2"),
            self._pairs([
                ("Vorname", person["first_name"]), ("Nachname", person["last_name"]),
                ("Geburtsdatum", _day(person["birth_date"])), ("Klasse", person["grade"]),
                ("E-Mail", person["email"]), ("Telefon", person["phone"]),
                ("Schule", f"{d['school']['name']}, {d['school']['city']}".strip(", ")),
                ("Erfasst am", _day(person["created_at"])),
                ("Zuletzt geändert", _day(person["updated_at"])),
                ("Löschung vorgesehen ab", _day(comp["retention_until"])),
            ]),
            self._p("Einwilligungen", "h2"),
        ]
        if d["consents"]:
            story.append(self._grid(
                ["Erklärung", "erteilt", "durch", "Textfassung", "Zeitpunkt"],
                [[CONSENT_KINDS.get(c["kind"], c["kind"]), _yes(c["granted"]),
                  GIVEN_BY.get(c["given_by"], c["given_by"]), c["text_version"], _day(c["given_at"])]
                 for c in d["consents"]], [55, 18, 40, 22, 35]))
        else:
            story.append(self._p("Keine Einwilligungen gespeichert."))
        story.append(self._p("Projekte", "h2"))
        for pr in d["projects"] or []:
            docs = ", ".join(f"{x['file_name']} ({x['size_bytes']} Bytes)" for x in pr["documents"])
            decision = pr["decision"]
            story += [self._pairs([
                ("Titel", pr["title"]), ("Fachgebiet", pr["subject"]), ("Sparte", pr["division"]),
                ("Status", pr["status"]), ("Stand", pr["stand"]),
                ("Gruppensprecher(in)", _yes(pr["is_speaker"])), ("Teamgröße", pr["team_size"]),
                ("Betreuer(in)", f"{pr['supervisor_name']} {pr['supervisor_email']}".strip()),
                ("Kurzfassung", pr["abstract"]), ("Dateien", docs),
                ("Jury-Entscheidung", "–" if not decision else
                 f"Platz {decision['place'] or '–'}, Preis {decision['prize'] or '–'}, "
                 f"qualifiziert: {_yes(decision['qualified'])}"),
                ("Sonderpreise", ", ".join(s["name"] for s in pr["special_prizes"])),
            ]), Spacer(1, 4 * mm)]
        if not d["projects"]:
            story.append(self._p("Keinem Projekt zugeordnet."))
        story.append(self._p("Zugriffe auf diese Daten", "h2"))
        if d["access_log"]:
            story.append(self._grid(
                ["Zeitpunkt", "Aktion", "durch", "Seite"],
                [[_day(e["at"]), _action(e["action"]), e["by"], e["page"]]
                 for e in d["access_log"]], [35, 28, 50, 57]))
        else:
            story.append(self._p("Keine Zugriffe protokolliert."))
        out = io.BytesIO()
        doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                                topMargin=18 * mm, bottomMargin=18 * mm,
                                title="Auskunft über gespeicherte Daten", author="compmgr")
        doc.build(story)
        return out.getvalue()
