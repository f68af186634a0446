"""The organiser's statistics page, its charts, tables and the annual report."""

from flask import Response, abort, g, render_template

from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.spreadsheets import CSV_MIMETYPE
from compmgr.statistics import bp, report

TABLES = (
    "subject",
    "division",
    "school-type",
    "grade",
    "age",
    "team-size",
    "schools-new",
    "gender",
    "school",
    "years",
    "years-subject",
)
TABLE_NAMES = ", ".join(f'"{name}"' for name in TABLES)


def _download(body, mimetype, filename, attachment=True):
    disposition = "attachment" if attachment else "inline"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )


def _table(name):
    _years, tables, _sentence = report.overview(g.competition)
    table = next((t for t in tables if t.name == name), None)
    if table is None:
        abort(404)
    return table


@bp.route("/c/<int:cid>/org/statistics/")
@role_required(Role.ORGANISER)
def index(cid):
    """Show the figures of this year and the series, each chart with its table."""
    years, tables, sentence = report.overview(g.competition)
    return render_template("statistics/index.html", years=years, tables=tables, sentence=sentence)


@bp.route(f"/c/<int:cid>/org/statistics/<any({TABLE_NAMES}):table>.svg")
@role_required(Role.ORGANISER)
def chart(cid, table):
    """Send one chart as SVG (shown on the page, and the download for a report)."""
    found = _table(table)
    if found.kind == "table":
        abort(404)
    from compmgr.statistics import charts  # pygal (and lxml): loaded when a chart is drawn

    response = _download(
        charts.render_svg(found), "image/svg+xml", f"{table}.svg", attachment=False
    )
    # The chart styles itself with an inline <style>; it runs no script and loads nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@bp.route(f"/c/<int:cid>/org/statistics/<any({TABLE_NAMES}):table>.csv")
@role_required(Role.ORGANISER)
def table_csv(cid, table):
    """Download one table as CSV."""
    return _download(report.table_csv(_table(table)), CSV_MIMETYPE, f"statistik-{table}.csv")


@bp.route("/c/<int:cid>/org/statistics/statistik.csv")
@role_required(Role.ORGANISER)
def all_csv(cid):
    """Download every table in one CSV."""
    _years, tables, _sentence = report.overview(g.competition)
    return _download(report.all_csv(tables), CSV_MIMETYPE, f"statistik-{g.competition.id}.csv")


@bp.route("/c/<int:cid>/org/statistics/jahresbericht.pdf")
@role_required(Role.ORGANISER)
def annual_report(cid):
    """Download the annual report: sentence, figures, charts, and the consented winners."""
    from compmgr.pdf.annual_report import AnnualReportBuilder  # ReportLab: loaded when used

    pdf = AnnualReportBuilder(report.annual_report(g.competition)).build()
    return _download(pdf, "application/pdf", f"jahresbericht-{g.competition.id}.pdf")
