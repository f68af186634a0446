"""Turn snapshots into the tables every output shares: page, chart, CSV and the PDF report.

A ``Table`` is one figure: a title, its column headers and rows, and how to draw it. The
statistics page shows it as a chart with the table one click away, the CSV and the annual
report print the same rows, so the numbers never differ between outputs.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from compmgr.registration.models import GENDERS
from compmgr.statistics import figures


@dataclass
class Table:
    """One figure: ``rows`` are (label, value, …) in the order of ``columns``."""

    name: str  # URL-safe, e.g. "subject"
    title: str
    columns: list
    rows: list = field(default_factory=list)
    kind: str = "hbar"  # "hbar", "bar" or "line"
    note: str = ""

    @property
    def series(self):
        """Return the value columns (all but the label column)."""
        return self.columns[1:]

    @property
    def empty(self):
        return not self.rows


def _group(data, key, label, value_of=None, title=None, kind="hbar", name=None):
    groups = data.get(key, {})
    rows = [
        (value_of(k) if value_of else k, v["projects"], v["participants"])
        for k, v in groups.items()
    ]
    return Table(
        name=name,
        title=title,
        columns=[label, _("Projekte"), _("Teilnehmende")],
        rows=rows,
        kind=kind,
    )


def _counts(data, key, label, value_label, title, name, value_of=str, kind="bar"):
    rows = [(value_of(k), n) for k, n in data.get(key, {}).items()]
    return Table(name=name, title=title, columns=[label, value_label], rows=rows, kind=kind)


def competition_tables(competition, data, before=None):
    """Return the tables of one year, in the order the page and the report show them."""
    people = _("Teilnehmende")
    tables = [
        _group(data, "by_subject", _("Fachgebiet"), title=_("Nach Fachgebiet"), name="subject"),
        _group(data, "by_division", _("Sparte"), title=_("Nach Sparte"), name="division"),
        _group(
            data,
            "by_school_type",
            _("Schulart"),
            value_of=lambda code: str(figures.SCHOOL_TYPE_LABELS.get(code, code)),
            title=_("Nach Schulart"),
            name="school-type",
        ),
        _counts(
            data,
            "by_grade",
            _("Klassenstufe"),
            people,
            _("Teilnehmende nach Klassenstufe"),
            "grade",
        ),
        _counts(
            data,
            "by_age",
            _("Alter"),
            people,
            _("Teilnehmende nach Alter am Stichtag"),
            "age",
        ),
        _counts(
            data,
            "by_team_size",
            _("Teamgröße"),
            _("Projekte"),
            _("Projekte nach Teamgröße"),
            "team-size",
        ),
    ]
    new, returning = figures.school_changes(data, before)
    schools = Table(
        name="schools-new",
        title=_("Schulen: neu und wieder dabei"),
        columns=[_("Schulen"), _("Anzahl")],
        rows=[(_("zum ersten Mal dabei"), len(new)), (_("wieder dabei"), len(returning))]
        if before is not None
        else [(_("alle Schulen"), len(new))],
        kind="bar",
        note=""
        if before is not None
        else _("Kein Vorjahr in dieser Reihe: alle Schulen zählen als neu."),
    )
    tables.append(schools)
    genders = data.get("by_gender", {})
    tables.append(
        Table(
            name="gender",
            title=_("Teilnehmende nach Geschlecht (freiwillige Angabe)"),
            columns=[_("Geschlecht"), people],
            rows=[(str(GENDERS[code]), genders[code]) for code in GENDERS if genders.get(code)],
            kind="bar",
        )
    )
    tables.append(
        _group(
            data,
            "by_school",
            _("Schule"),
            title=_("Nach Schule"),
            kind="table",
            name="school",
        )
    )
    return tables


def series_tables(years):
    """Return the year-over-year tables of a series: totals and projects per Fachgebiet."""
    totals = Table(
        name="years",
        title=_("Teilnehmende, Projekte und Schulen je Jahr"),
        columns=[_("Jahr"), _("Teilnehmende"), _("Projekte"), _("Schulen")],
        rows=[
            (
                str(data["year"]),
                data["participants"],
                data["projects"],
                data.get("schools", len(data.get("by_school", {}))),
            )
            for _c, data in years
        ],
        kind="bar",
    )
    subjects = []
    for _c, data in years:
        subjects += [s for s in data.get("by_subject", {}) if s not in subjects]
    per_subject = Table(
        name="years-subject",
        title=_("Projekte je Fachgebiet und Jahr"),
        columns=[_("Fachgebiet")] + [str(data["year"]) for _c, data in years],
        rows=[
            (s, *[data.get("by_subject", {}).get(s, {}).get("projects", 0) for _c, data in years])
            for s in subjects
        ],
        kind="hbar",
    )
    return [totals, per_subject]


def all_tables(competition, years):
    """Return every table for competition: its own year's, then the series'."""
    data = next(d for c, d in years if c.id == competition.id)
    before = figures.previous(years, competition)
    return competition_tables(competition, data, before) + series_tables(years)
