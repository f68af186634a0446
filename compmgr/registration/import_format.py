"""The registration import's file format: its columns, their spellings, reading the rows.

README.md ("Import format") documents the columns for the organisers.
"""

from flask_babel import gettext as _

from compmgr import spreadsheets

# field, column title in the README, accepted spellings (compared without case, spaces, -_.())
COLUMNS = [
    (
        "key",
        "Projektschlüssel",
        [
            "projektschlüssel",
            "projektschluessel",
            "schlüssel",
            "key",
            "projektkey",
            "projektnr",
            "projektnummer",
        ],
    ),
    ("title", "Projekttitel", ["projekttitel", "titel", "projekt"]),
    ("subject", "Fachgebiet", ["fachgebiet"]),
    ("abstract", "Kurzfassung", ["kurzfassung"]),
    ("first_name", "Vorname", ["vorname"]),
    ("last_name", "Nachname", ["nachname", "name"]),
    ("birth_date", "Geburtsdatum", ["geburtsdatum", "geboren"]),
    ("grade", "Klasse", ["klasse", "klassenstufe", "jahrgangsstufe"]),
    ("school", "Schule", ["schule", "schulname"]),
    ("city", "Ort", ["ort", "schulort", "stadt"]),
    ("supervisor", "Betreuer(in)", ["betreuerin", "betreuer", "betreuung", "betreuungslehrkraft"]),
    ("email", "E-Mail", ["email", "emailadresse", "mail"]),
    (
        "speaker",
        "Gruppensprecher(in)",
        ["gruppensprecherin", "gruppensprecher", "sprecher", "sprecherin"],
    ),
    (
        "supervisor_email",
        "E-Mail Betreuer(in)",
        ["emailbetreuerin", "emailbetreuer", "betreueremail", "betreuerinemail"],
    ),
    ("phone", "Telefon", ["telefon", "tel", "telefonnummer"]),
]
REQUIRED = ["key", "title", "subject", "first_name", "last_name", "birth_date", "grade", "school"]
OPTIONAL_COLUMNS = {"supervisor_email", "phone"}
# the database's column sizes: longer cells are refused with a message, not a server error
MAX_LENGTHS = {
    "key": 50,
    "title": 300,
    "first_name": 100,
    "last_name": 100,
    "school": 200,
    "city": 100,
    "supervisor": 200,
    "email": 254,
    "supervisor_email": 254,
    "phone": 50,
}
TITLES = {name: title for name, title, _aliases in COLUMNS}
YES = {"ja", "j", "yes", "y", "x", "1", "wahr", "true"}
NO = {"nein", "n", "no", "0", "", "falsch", "false"}


class ImportFailed(Exception):
    """The file cannot be imported; ``errors`` lists (line, message)."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{line}: {msg}" for line, msg in errors))
        self.errors = errors


class FileRefused(ImportFailed):
    """The file as a whole is refused (unreadable, too large, a zip bomb); ``too_large`` for 413."""

    def __init__(self, line, message, too_large=False):
        super().__init__([(line, message)])
        self.too_large = too_large


def norm(text):
    """Fold a title or name for comparison: no case, no spaces or -_.()/."""
    text = str(text or "").strip().casefold()
    for ch in " -_.()/":
        text = text.replace(ch, "")
    return text


def read_upload(stream):
    """Read an uploaded file within the size limit; raise FileRefused if it is larger."""
    try:
        return spreadsheets.read_upload(stream)
    except spreadsheets.TableError as exc:
        raise FileRefused(exc.line, str(exc), isinstance(exc, spreadsheets.FileTooLarge)) from None


def read_table(data):
    """Return (line number, cells) for every row of a CSV or XLSX file."""
    try:
        return spreadsheets.read_table(data)
    except spreadsheets.TableError as exc:
        raise FileRefused(exc.line, str(exc), isinstance(exc, spreadsheets.FileTooLarge)) from None


def read_rows(data):
    """Map the table's columns to fields; return [(line, {field: value})]."""
    table = read_table(data)
    if not table:
        raise FileRefused(0, _("Die Datei enthält keine Zeilen."))
    header_line, header = table[0]
    lookup = {alias: name for name, _title, aliases in COLUMNS for alias in aliases}
    positions = {}
    for idx, title in enumerate(header):
        name = lookup.get(norm(title))
        if name and name not in positions:
            positions[name] = idx
    missing = [
        title
        for name, title, _a in COLUMNS
        if name not in positions and name not in OPTIONAL_COLUMNS
    ]
    if missing:
        raise ImportFailed(
            [
                (
                    header_line,
                    _(
                        "Es fehlen Spalten: %(cols)s. Die erste Zeile muss die "
                        "Spaltenüberschriften enthalten.",
                        cols=", ".join(missing),
                    ),
                )
            ]
        )
    return [
        (n, {name: (cells[i] if i < len(cells) else "") for name, i in positions.items()})
        for n, cells in table[1:]
    ]


TEMPLATE_FORMATS = ("csv", "xlsx")


def template_file(fmt):
    """Return (bytes, mimetype, filename) of an empty import file: the documented columns.

    Only the header row: an example row left in by mistake would be imported as a project.
    The import page and README ("Import format") show an example for every column.
    """
    header = [title for _name, title, _aliases in COLUMNS]
    if fmt == "xlsx":
        return (
            spreadsheets.to_xlsx(header, [], _("Anmeldungen"), widths=[18] * len(header)),
            spreadsheets.XLSX_MIMETYPE,
            "anmeldungen-vorlage.xlsx",
        )
    return spreadsheets.to_csv(header, []), spreadsheets.CSV_MIMETYPE, "anmeldungen-vorlage.csv"
