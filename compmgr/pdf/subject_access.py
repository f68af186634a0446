"""A readable PDF of the subject access export, built from the export's plain data."""

from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from compmgr.pdf.story import StoryBuilder, paragraph, style, table_style

CONSENT_KINDS = {
    "participation": "Teilnahme- und Datenschutzerklärung",
    "publication": "Name in Ergebnissen und Presse",
    "photos": "Fotos",
}
GIVEN_BY = {"participant": "Teilnehmende Person", "parent": "Erziehungsberechtigte"}


def _yes(value):
    return "ja" if value else "nein"


def _day(iso):
    if not iso:
        return "–"
    y, m, d = iso[:10].split("-")
    return f"{d}.{m}.{y}" + (f" {iso[11:16]} UTC" if len(iso) > 10 else "")


@dataclass
class SubjectAccess:
    """One person's data: ``export`` is the dict of ``subject_access_export``, ``created`` the
    time of printing, ``actions`` the German name of each access log action."""

    export: dict
    created: str
    actions: dict = field(default_factory=dict)


class SubjectAccessBuilder(StoryBuilder):
    """Lay out one person's data on A4 pages."""

    margins = (20 * mm, 20 * mm, 18 * mm, 18 * mm)
    author = "compmgr"

    def __init__(self, data):
        super().__init__(data)
        self.s = {
            "h1": style("h1", 15, 19, bold=True, spaceAfter=4),
            "h2": style("h2", 11.5, 14, bold=True, spaceBefore=10, spaceAfter=4),
            "p": style("p", 9.5, 12.5),
            "th": style("th", 9, 11.5, bold=True),
        }

    def title(self):
        return "Auskunft über gespeicherte Daten"

    def _p(self, text, name="p"):
        return paragraph(text if text not in (None, "") else "–", self.s[name])

    def _action(self, code):
        return self.data.actions.get(code, code)

    def _pairs(self, rows):
        table = Table(
            [[self._p(k, "th"), self._p(v)] for k, v in rows], colWidths=[50 * mm, 120 * mm]
        )
        table.setStyle(
            table_style(
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.lightgrey),
            )
        )
        return table

    def _grid(self, header, rows, widths):
        body = [[self._p(h, "th") for h in header]] + [[self._p(c) for c in r] for r in rows]
        table = Table(body, colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(
            table_style(
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            )
        )
        return table

    def story(self):
        d = self.data.export
        person, comp = d["participant"], d["competition"]
        story = [
            self._p("Auskunft über gespeicherte Daten", "h1"),
            self._p(
                f"{person['first_name']} {person['last_name']} · {comp['name']} "
                f"{comp['round_year']} · erstellt am {self.data.created}"
            ),
            self._p("Persönliche Angaben", "h2"),
            self._pairs(
                [
                    ("Vorname", person["first_name"]),
                    ("Nachname", person["last_name"]),
                    ("Geburtsdatum", _day(person["birth_date"])),
                    ("Klasse", person["grade"]),
                    ("E-Mail", person["email"]),
                    ("Telefon", person["phone"]),
                    ("Schule", f"{d['school']['name']}, {d['school']['city']}".strip(", ")),
                    ("Erfasst am", _day(person["created_at"])),
                    ("Zuletzt geändert", _day(person["updated_at"])),
                    ("Löschung vorgesehen ab", _day(comp["retention_until"])),
                ]
            ),
            self._p("Einwilligungen", "h2"),
        ]
        if d["consents"]:
            story.append(
                self._grid(
                    ["Erklärung", "erteilt", "durch", "Textfassung", "Zeitpunkt"],
                    [
                        [
                            CONSENT_KINDS.get(c["kind"], c["kind"]),
                            _yes(c["granted"]),
                            GIVEN_BY.get(c["given_by"], c["given_by"]),
                            c["text_version"],
                            _day(c["given_at"]),
                        ]
                        for c in d["consents"]
                    ],
                    [55, 18, 40, 22, 35],
                )
            )
        else:
            story.append(self._p("Keine Einwilligungen gespeichert."))
        story.append(self._p("Projekte", "h2"))
        for pr in d["projects"] or []:
            docs = ", ".join(f"{x['file_name']} ({x['size_bytes']} Bytes)" for x in pr["documents"])
            decision = pr["decision"]
            story += [
                self._pairs(
                    [
                        ("Titel", pr["title"]),
                        ("Fachgebiet", pr["subject"]),
                        ("Sparte", pr["division"]),
                        ("Status", pr["status"]),
                        ("Stand", pr["stand"]),
                        ("Gruppensprecher(in)", _yes(pr["is_speaker"])),
                        ("Teamgröße", pr["team_size"]),
                        (
                            "Betreuer(in)",
                            f"{pr['supervisor_name']} {pr['supervisor_email']}".strip(),
                        ),
                        ("Kurzfassung", pr["abstract"]),
                        ("Dateien", docs),
                        (
                            "Jury-Entscheidung",
                            "–"
                            if not decision
                            else f"Platz {decision['place'] or '–'}, Preis {decision['prize'] or '–'}, "
                            f"qualifiziert: {_yes(decision['qualified'])}",
                        ),
                        ("Sonderpreise", ", ".join(s["name"] for s in pr["special_prizes"])),
                    ]
                ),
                Spacer(1, 4 * mm),
            ]
        if not d["projects"]:
            story.append(self._p("Keinem Projekt zugeordnet."))
        story.append(self._p("Zugriffe auf diese Daten", "h2"))
        if d["access_log"]:
            story.append(
                self._grid(
                    ["Zeitpunkt", "Aktion", "durch", "Seite"],
                    [
                        [_day(e["at"]), self._action(e["action"]), e["by"], e["page"]]
                        for e in d["access_log"]
                    ],
                    [35, 28, 50, 57],
                )
            )
        else:
            story.append(self._p("Keine Zugriffe protokolliert."))
        return story
