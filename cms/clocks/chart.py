"""A server-rendered SVG bar chart of the 三公经费 (no script, no inline style: the CSP allows neither).

The chart is decorative for screen readers (``aria-hidden``): the data table next to it carries the figures.
"""
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 260
LEFT, BOTTOM, TOP = 40, 60, 20
CURRENT_FILL, PREVIOUS_FILL = "#b22222", "#9aa5b1"


def bar_chart_svg(table):
    """Grouped bars (this year, previous year) per expense; returns Markup safe to embed."""
    rows = [r for r in table["rows"] if r.key != "total"]
    values = [r.current for r in rows] + [r.previous for r in rows if r.previous is not None]
    top = max(values + [Decimal("0.01")])
    plot_h = HEIGHT - BOTTOM - TOP
    group_w = (WIDTH - LEFT - 10) / len(rows)
    bar_w = group_w * 0.3
    year = table["detail"].fiscal_year
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="budget-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" aria-hidden="true" focusable="false">',
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - 10}" y2="{HEIGHT - BOTTOM}" stroke="#333"/>',
    ]
    for i, row in enumerate(rows):
        x0 = LEFT + i * group_w + group_w * 0.15
        bars = [(row.current, CURRENT_FILL, x0)]
        if row.previous is not None:
            bars.append((row.previous, PREVIOUS_FILL, x0 + bar_w + 4))
        for value, fill, x in bars:
            h = float(value / top) * plot_h
            y = HEIGHT - BOTTOM - h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{fill}"/>')
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle">'
                         f'{escape(str(value))}</text>')
        parts.append(f'<text x="{x0 + bar_w:.1f}" y="{HEIGHT - BOTTOM + 18}" font-size="12" text-anchor="middle">'
                     f'{escape(row.label)}</text>')
    legend_y = HEIGHT - 14
    parts.append(f'<rect x="{LEFT}" y="{legend_y - 10}" width="12" height="12" fill="{CURRENT_FILL}"/>')
    parts.append(f'<text x="{LEFT + 16}" y="{legend_y}" font-size="12">{year}年（万元）</text>')
    if table["previous"] is not None:
        parts.append(f'<rect x="{LEFT + 140}" y="{legend_y - 10}" width="12" height="12" fill="{PREVIOUS_FILL}"/>')
        parts.append(f'<text x="{LEFT + 156}" y="{legend_y}" font-size="12">{year - 1}年（万元）</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
