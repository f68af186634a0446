"""The jury agreement report for organisers and chairs, and a judge's own offset chart."""

from flask import g, render_template, url_for
from flask_babel import gettext as _

from compmgr.auth.access import role_required
from compmgr.auth.models import Role
from compmgr.database import get_or_404
from compmgr.extensions import db
from compmgr.judging import agreement, bp
from compmgr.judging.access import chaired_jury_or_404, judge_required
from compmgr.judging.models import Jury, JuryMember

CHART_STYLE = dict(  # pygal's Style: pygal is imported when the chart is drawn, not at app start
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#495057",
    colors=("#0d6efd",),
    font_family="system-ui, sans-serif",
    label_font_size=18,
    major_label_font_size=18,
    title_font_size=20,
)


def chart_height(bars):
    """Return the chart's height in pixels for a number of bars (the page's <img> uses it)."""
    return 170 + 70 * bars


def _report_page(jury, back):
    return render_template(
        "judging/agreement.html",
        jury=jury,
        report=agreement.jury_agreement(jury),
        back=back,
        rules=agreement,
    )


@bp.route("/org/judging/juries/<int:jury_id>/agreement")
@role_required(Role.ORGANISER)
def jury_agreement(cid, jury_id):
    """Show the organiser how well a jury's judges agree."""
    jury = get_or_404(Jury, jury_id, competition_id=cid)
    return _report_page(jury, url_for("judging.jury_detail", cid=cid, jury_id=jury.id))


@bp.route("/jury/chair/<int:jury_id>/agreement")
@judge_required
def chair_agreement(cid, jury_id):
    """Show the chair how well the jury's judges agree."""
    jury = chaired_jury_or_404(jury_id)
    return _report_page(jury, url_for("results.chair", cid=cid, jury_id=jury.id))


def _own_lines():
    """Return [(jury, JudgeLine or None)] for the current judge: their own figures only."""
    memberships = db.session.scalars(
        db.select(JuryMember).filter_by(judge_id=g.judge.id).order_by(JuryMember.id)
    ).all()
    return [(m.jury, agreement.own_offset(g.judge, m.jury)) for m in memberships]


@bp.route("/jury/offset")
@judge_required
def my_offset(cid):
    """Show a judge, privately, how their scores compare with their jury's."""
    rows = _own_lines()
    shown = sum(1 for _jury, line in rows if line is not None)
    return render_template(
        "judging/my_offset.html", rows=rows, shown=shown, height=chart_height(shown)
    )


@bp.route("/jury/offset.svg")
@judge_required
def my_offset_chart(cid):
    """Draw the judge's own offset per jury with its 95 % range, as server-rendered SVG."""
    import pygal
    from pygal.style import Style

    rows = [(jury, line) for jury, line in _own_lines() if line is not None]
    reach = max([20.0] + [abs(line.offset) + 2 * line.offset_se + 2 for _j, line in rows])
    chart = pygal.HorizontalBar(
        js=[],
        style=Style(**CHART_STYLE),
        width=480,
        height=chart_height(len(rows)),
        show_legend=False,
        range=(-reach, reach),
        title=_("Ihre Abweichung in Punkten (von 100)"),
        x_title=_("← strenger · milder →"),
        value_formatter=lambda v: f"{v:+.0f}",
        truncate_label=-1,
        no_data_text=_("Noch keine vollständigen Bewertungen"),
    )
    chart.x_labels = [jury.name for jury, _line in rows]
    chart.add(
        _("Abweichung"),
        [
            {
                "value": round(line.offset, 1),
                "ci": {
                    "low": line.offset - 1.96 * line.offset_se,
                    "high": line.offset + 1.96 * line.offset_se,
                },
            }
            for _jury, line in rows
        ],
    )
    svg = chart.render(is_unicode=True)
    # pygal's SVG carries its own <style>; as an image it runs no script.
    headers = {
        "Content-Type": "image/svg+xml; charset=utf-8",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    }
    return svg, 200, headers
