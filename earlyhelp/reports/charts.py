"""Charts of a report: SVG for the web page and the PDF, PNG for the Word board paper.

Drawn with matplotlib's object-oriented API on the Agg canvas (`matplotlib.figure.Figure`),
never pyplot: pyplot keeps global figures and is not safe in a web server's threads. The
settings a chart needs (font, SVG hash salt) are applied under one lock, because matplotlib's
rcParams are process-wide.

The same chart always gives the same bytes (fixed hash salt, no date or creator metadata), so a
published report's charts do not change when they are drawn again.

The SVG is made to be inlined in a page: no XML declaration or DOCTYPE, `role="img"` with
`aria-labelledby` pointing at its own `<title>` (the chart's title) and `<desc>` (its
description), and every id prefixed so that two charts on one page never share one. Text that
came from the data (an agency's name, say) is written as escaped SVG text by matplotlib; the
title and description are escaped here.

The chart's title is not drawn inside the picture: the page's figure caption and the Word
paper's caption carry it, once.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import re
import threading
from dataclasses import asdict
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")  # headless; must come before anything else imports a backend

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from earlyhelp.reports import document

# GOV.UK Design System colours, in the order series take them: blue, orange, green, purple,
# red, turquoise, pink, dark grey. Neighbours differ in lightness as well as hue.
GOVUK_BLUE = "#1d70b8"
GOVUK_ORANGE = "#f47738"
GOVUK_GREEN = "#00703c"
GOVUK_PURPLE = "#4c2c92"
GOVUK_RED = "#d4351c"
GOVUK_TURQUOISE = "#28a197"
GOVUK_PINK = "#d53880"
GOVUK_DARK_GREY = "#505a5f"
GOVUK_MID_GREY = "#b1b4b6"
GOVUK_BLACK = "#0b0c0c"
SERIES_COLOURS = (
    GOVUK_BLUE,
    GOVUK_ORANGE,
    GOVUK_GREEN,
    GOVUK_PURPLE,
    GOVUK_RED,
    GOVUK_TURQUOISE,
    GOVUK_PINK,
    GOVUK_DARK_GREY,
)

FIGURE_SIZE_INCHES = (8.0, 4.5)  # PNG at 150 dpi: 1200 by 675 pixels
MOST_X_LABELS = 12  # beyond this the month labels are thinned so they stay readable

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "svg.hashsalt": "earlyhelp-report-chart",
    # Text stays text in the SVG (smaller, selectable, found by pdftotext in the PDF).
    "svg.fonttype": "none",
    "axes.edgecolor": GOVUK_DARK_GREY,
    "axes.labelcolor": GOVUK_BLACK,
    "xtick.color": GOVUK_BLACK,
    "ytick.color": GOVUK_BLACK,
}
_RENDER_LOCK = threading.Lock()


def chart_svg(chart: document.Chart, *, id_prefix: str | None = None) -> str:
    """The chart as an SVG element ready to inline in HTML.

    `id_prefix` makes its ids unique on the page; by default it is drawn from the chart's
    table key and contents, so the same chart always gives the same text.
    """
    canonical = json.dumps(asdict(chart), sort_keys=True, default=str)
    prefix = id_prefix or _default_id_prefix(chart.table_key, canonical)
    return _cached_svg(canonical, prefix)


# A page draws the same charts until the data changes (a monthly import): keep the last ones
# drawn, by their whole content, rather than spend a quarter of a second on each every time.
@functools.lru_cache(maxsize=128)
def _cached_svg(canonical: str, prefix: str) -> str:
    data = json.loads(canonical)
    chart = document.Chart(
        **{**data, "series": [document.Series(**s) for s in data.get("series", [])]}
    )
    raw = _render(chart, "svg").decode("utf-8")
    return _accessible_svg(raw, chart, prefix)


def chart_png(chart: document.Chart, *, dpi: int = 150) -> bytes:
    """The chart as PNG bytes (for the Word board paper)."""
    return _render(chart, "png", dpi=dpi)


def _render(chart: document.Chart, fmt: str, *, dpi: int = 100) -> bytes:
    if chart.kind not in document.CHART_KINDS:
        raise ValueError(f"Unknown chart kind {chart.kind!r}; expected one of CHART_KINDS.")
    with _RENDER_LOCK, matplotlib.rc_context(_RC):
        figure = Figure(figsize=FIGURE_SIZE_INCHES, dpi=dpi)
        axes = figure.add_subplot()
        _DRAWERS[chart.kind](axes, chart)
        _finish_axes(axes, chart)
        figure.tight_layout()
        buffer = io.BytesIO()
        if fmt == "svg":
            metadata = {"Date": None, "Creator": None, "Format": None, "Type": None}
        else:
            metadata = {"Software": None}
        figure.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
        return buffer.getvalue()


def _values(series: document.Series) -> list[float]:
    # A missing value is a gap in a line and no bar, never a zero.
    return [math.nan if v is None else float(v) for v in series.values]


def _draw_bar(axes, chart: document.Chart) -> None:
    count = max(len(chart.series), 1)
    width = 0.8 / count
    positions = range(len(chart.labels))
    for index, series in enumerate(chart.series):
        offset = (index - (count - 1) / 2) * width
        axes.bar(
            [p + offset for p in positions],
            _values(series),
            width=width,
            label=series.name,
            color=SERIES_COLOURS[index % len(SERIES_COLOURS)],
        )


def _draw_stacked_bar(axes, chart: document.Chart) -> None:
    bottoms = [0.0] * len(chart.labels)
    for index, series in enumerate(chart.series):
        heights = [0.0 if math.isnan(v) else v for v in _values(series)]
        axes.bar(
            range(len(chart.labels)),
            heights,
            bottom=bottoms,
            width=0.7,
            label=series.name,
            color=SERIES_COLOURS[index % len(SERIES_COLOURS)],
            edgecolor="white",
            linewidth=0.5,
        )
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]


def _draw_line(axes, chart: document.Chart) -> None:
    markers = ("o", "s", "^", "D", "v", "P", "X", "*")
    for index, series in enumerate(chart.series):
        axes.plot(
            range(len(chart.labels)),
            _values(series),
            label=series.name,
            color=SERIES_COLOURS[index % len(SERIES_COLOURS)],
            marker=markers[index % len(markers)],
            markersize=4,
            linewidth=2,
        )


def _draw_spc(axes, chart: document.Chart) -> None:
    """Points joined by a line, the mean, the process limits dashed, and signal points marked.

    A signal point is drawn as a larger orange diamond over the grey circle, so it differs
    in shape as well as colour (colour alone fails WCAG 1.4.1).
    """
    values = _values(chart.series[0]) if chart.series else []
    positions = list(range(len(values)))
    name = chart.series[0].name if chart.series else "Value"
    axes.plot(
        positions,
        values,
        color=GOVUK_DARK_GREY,
        marker="o",
        markersize=4,
        linewidth=1.5,
        label=name,
    )
    if chart.mean is not None:
        axes.axhline(chart.mean, color=GOVUK_BLACK, linewidth=1.5, label="Mean")
    limit_style = {"color": GOVUK_BLUE, "linewidth": 1.5, "linestyle": (0, (5, 3))}
    if chart.upper_limit is not None:
        axes.axhline(chart.upper_limit, label="Process limits", **limit_style)
    if chart.lower_limit is not None:
        label = "_nolegend_" if chart.upper_limit is not None else "Process limits"
        axes.axhline(chart.lower_limit, label=label, **limit_style)
    signal_points = sorted(
        {
            point
            for signal in chart.signals
            for point in signal.get("points", [])
            if 0 <= point < len(values)
        }
    )
    if signal_points:
        axes.plot(
            signal_points,
            [values[p] for p in signal_points],
            linestyle="none",
            marker="D",
            markersize=8,
            markerfacecolor=GOVUK_ORANGE,
            markeredgecolor=GOVUK_BLACK,
            label="Part of a signal",
        )


_DRAWERS = {
    "bar": _draw_bar,
    "stacked_bar": _draw_stacked_bar,
    "line": _draw_line,
    "spc": _draw_spc,
}


def _finish_axes(axes, chart: document.Chart) -> None:
    count = len(chart.labels)
    step = max(1, math.ceil(count / MOST_X_LABELS))
    shown = list(range(0, count, step))
    axes.set_xticks(shown, [chart.labels[i] for i in shown])
    if count and (step > 1 or count > 6 or max(len(label) for label in chart.labels) > 8):
        axes.tick_params(axis="x", labelrotation=45)
        for label in axes.get_xticklabels():
            label.set_horizontalalignment("right")
    if chart.percent:
        axes.set_ylim(0, 100)
        axes.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    elif _all_zero(chart):
        # Nothing to count: matplotlib would stretch a flat line of zeros into an axis of
        # 0.000 to 0.054. Counts go up in whole numbers, so show 0 to 1.
        axes.set_ylim(0, 1)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        bottom, _top = axes.get_ylim()
        if bottom >= 0 or chart.kind != "spc":
            axes.set_ylim(bottom=0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=not _has_fractions(chart)))
    if chart.y_label:
        axes.set_ylabel(chart.y_label)
    axes.grid(axis="y", color=GOVUK_MID_GREY, linewidth=0.5)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if len(chart.series) > 1 or chart.kind == "spc":
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)


def _numbers(chart: document.Chart) -> list:
    numbers = [v for s in chart.series for v in s.values if v is not None]
    return numbers + [
        v for v in (chart.mean, chart.upper_limit, chart.lower_limit) if v is not None
    ]


def _has_fractions(chart: document.Chart) -> bool:
    return any(float(v) != int(v) for v in _numbers(chart))


def _all_zero(chart: document.Chart) -> bool:
    """No value above zero (every one 0, or none at all) and none below."""
    return all(float(v) == 0 for v in _numbers(chart))


def _default_id_prefix(table_key: str, canonical: str) -> str:
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]
    slug = re.sub(r"[^a-z0-9]+", "-", table_key.lower()).strip("-") or "chart"
    return f"chart-{slug}-{digest}"


_ID = re.compile(r'\bid="([^"]+)"')
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_HREF_REF = re.compile(r'(xlink:href|href)="#([^"]+)"')


def _accessible_svg(raw: str, chart: document.Chart, prefix: str) -> str:
    start = raw.index("<svg")
    svg = raw[start:]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    # Every id is prefixed, and so is every reference to one, so charts on one page are apart.
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _URL_REF.sub(lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    svg = _HREF_REF.sub(lambda m: f'{m.group(1)}="#{prefix}-{m.group(2)}"', svg)
    title_id = f"{prefix}-title"
    desc_id = f"{prefix}-desc"
    open_tag_end = svg.index(">") + 1
    open_tag = svg[:open_tag_end]
    # Scale with the page: keep the viewBox, let the width follow the container.
    open_tag = re.sub(r'\swidth="[^"]*"', ' width="100%"', open_tag, count=1)
    open_tag = re.sub(r'\sheight="[^"]*"', "", open_tag, count=1)
    open_tag = open_tag[:-1] + (
        f' id="{prefix}" role="img" aria-labelledby="{title_id} {desc_id}" focusable="false">'
    )
    # matplotlib's one style rule would reach every element of the page once inlined.
    svg = svg.replace('<style type="text/css">*{', f'<style type="text/css">#{prefix} *{{', 1)
    # A browser without DejaVu Sans falls back to a sans-serif face, not to Times.
    svg = svg.replace("font-family: 'DejaVu Sans'", "font-family: 'DejaVu Sans', Arial, sans-serif")
    labels = (
        f'<title id="{title_id}">{escape(chart.title)}</title>'
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>'
    )
    return open_tag + labels + svg[open_tag_end:].rstrip() + "\n"
