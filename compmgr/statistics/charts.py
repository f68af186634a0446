"""Draw a statistics table as an SVG chart with pygal: rendered on the server, no script.

The charts are drawn for a phone first: 480 units wide with large type, so a chart shrunk to
a 390 px screen still reads at about 12 px. The page shows them as images with a text
alternative and the table one click away; the same SVG is the chart's download.
"""

import pygal
from pygal.style import Style

# Dark enough on white for text and bars alike (WCAG contrast ≥ 4.5:1 for each colour).
COLOURS = ("#0b5394", "#a84300", "#2e6b1f", "#7a1f5c", "#5b4a00")
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#595f66",
    font_family="DejaVu Sans, Arial, sans-serif",
    label_font_size=18,
    major_label_font_size=18,
    value_font_size=17,
    value_label_font_size=17,
    value_colors=("#ffffff",) * len(COLOURS),  # on the bar: white on each dark colour
    legend_font_size=18,
    title_font_size=20,
    tooltip_font_size=16,
    colors=COLOURS,
    opacity="1",
    opacity_hover="1",
)
WIDTH = 480


def _config(table, rows):
    multi = len(table.series) > 1
    common = {
        "style": STYLE,
        "width": WIDTH,
        "js": [],  # no script from anywhere (pygal's default loads one from the internet)
        "disable_xml_declaration": False,
        "show_legend": multi,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 1,  # one entry a line: long names never overlap
        "max_scale": 6,  # few, round graduations: readable when shrunk to a phone
        "print_values": not multi and table.kind == "bar",  # else the axis and the table
        "truncate_label": -1,
        "truncate_legend": -1,
        "show_y_guides": table.kind != "hbar",
        "show_x_guides": False,
        "margin": 12,
        "no_data_text": "–",
    }
    if table.kind == "hbar":
        per_row = 26 * len(table.series) + 18
        legend = 30 * len(table.series) if multi else 0
        common["height"] = max(220, 90 + per_row * rows + legend)
    else:
        common["height"] = 340 + (30 * len(table.series) if multi else 0)
    return common


def _without_scripts(root):
    """Drop the configuration script pygal writes even without tooltips: a picture needs none."""
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def render_svg(table):
    """Return table drawn as an SVG chart (bytes)."""
    kind = {"hbar": pygal.HorizontalBar, "bar": pygal.Bar, "line": pygal.Line}[table.kind]
    rows = list(reversed(table.rows)) if table.kind == "hbar" else table.rows
    chart = kind(**_config(table, len(rows)))
    chart.add_xml_filter(_without_scripts)
    chart.title = table.title
    chart.x_labels = [str(row[0]) for row in rows]
    for i, name in enumerate(table.series, start=1):
        chart.add(str(name), [row[i] for row in rows])
    return chart.render()
