"""The press file: prize winners as the press may print them, names only with consent."""

from compmgr.registration.models import ConsentKind
from compmgr.results import publishing
from compmgr.spreadsheets import to_csv as _to_csv

HEADER = [
    "Preis",
    "Fachgebiet/Sonderpreis",
    "Projekt",
    "Teilnehmende",
    "Schule",
    "Ort",
    "Regionalsieg",
]


def press_rows(competition):
    """Return (rows, named participants): locked juries' prizes and Sonderpreise.

    The names column follows publication consent exactly as the results page does.
    """
    rows, named = [], set()
    for prize, entries in publishing.special_prizes(competition):
        for e in entries:
            rows.append(
                [
                    prize.name,
                    "Sonderpreis",
                    e.project.title,
                    e.names,
                    e.project.school.name,
                    e.project.school.city,
                    "",
                ]
            )
            named.update(_named(e.project))
    for group in publishing.jury_groups(competition):
        for e in group.entries:
            rows.append(
                [
                    e.prize_label or "",
                    group.title,
                    e.project.title,
                    e.names,
                    e.project.school.name,
                    e.project.school.city,
                    "ja" if e.qualified else "nein",
                ]
            )
            named.update(_named(e.project))
    return rows, sorted(p.id for p in named)


def _named(project):
    return {p for p in project.participants if p.has_consent(ConsentKind.PUBLICATION)}


def to_csv(rows):
    """Write the press rows as a German Excel opens them (UTF-8 with BOM, semicolons)."""
    return _to_csv(HEADER, rows)
