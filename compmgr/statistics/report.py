"""Gather the annual report: the sentence, every table, and the winners whose names may be shown."""

from flask_babel import gettext as _

from compmgr.dates import show_date
from compmgr.dates import today as berlin_today
from compmgr.results import publishing
from compmgr.spreadsheets import to_csv
from compmgr.statistics import figures, tables


def overview(competition):
    """Return (years, tables, sentence) of competition for the page and every export."""
    years = figures.series_snapshots(competition)
    data = next(d for c, d in years if c.id == competition.id)
    before = figures.previous(years, competition)
    return years, tables.all_tables(competition, years), figures.headline(competition, data, before)


def winner_groups(competition):
    """Return the published winners, named only as far as publication consent allows."""
    if not publishing.is_published(competition):
        return []
    from compmgr.pdf.annual_report import WinnerGroup  # ReportLab: loaded for the report only

    groups = []
    for group in publishing.jury_groups(competition):
        rows = [
            (
                e.prize_label or (_("Regionalsieger") if e.qualified else ""),
                e.project.title,
                e.names,
                e.school,
            )
            for e in group.entries
        ]
        groups.append(WinnerGroup(title=group.title, rows=rows))
    return groups


def annual_report(competition, today=None):
    """Return the AnnualReport of competition, ready for the PDF builder."""
    # The PDF layer brings ReportLab: loaded when the report is made, not at app start.
    from compmgr.pdf.annual_report import AnnualReport, Figure

    _years, all_tables, sentence = overview(competition)
    subtitle = " · ".join(
        part
        for part in (
            str(competition.level_enum.label),
            competition.host,
            show_date(competition.starts_on) if competition.starts_on else "",
            _("Stand: %(day)s", day=show_date(today or berlin_today())),
        )
        if part
    )
    return AnnualReport(
        title=_("Jahresbericht %(competition)s", competition=competition.title),
        subtitle=subtitle,
        sentence=sentence,
        figures=[
            Figure(title=t.title, columns=[str(c) for c in t.columns], rows=t.rows, kind=t.kind)
            for t in all_tables
        ],
        winners=winner_groups(competition),
        labels={
            "winners": _("Preisträgerinnen und Preisträger"),
            "winner_columns": [_("Preis"), _("Projekt"), _("Team"), _("Schule")],
        },
    )


def table_csv(table):
    """Return one table as CSV (German Excel's dialect, as every export of compmgr)."""
    return to_csv([str(c) for c in table.columns], table.rows)


def all_csv(all_tables):
    """Return every table as one long CSV: table, row, column, value."""
    header = [_("Tabelle"), _("Zeile"), _("Spalte"), _("Wert")]
    rows = [
        (t.title, row[0], t.columns[i], row[i])
        for t in all_tables
        for row in t.rows
        for i in range(1, len(t.columns))
    ]
    return to_csv(header, rows)
