"""Charts as inline SVG, drawn on the server from plain data (no script, no library, no request).

Every shape is laid out left-to-right and mirrored on output for right-to-left pages, so the value axis, the
bars' growth and time all run the reader's way. Every label is escaped; each text carries its own direction
(taken from its first strong letter, like dir="auto") so Arabic and Latin names both sit where they should.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict

from markupsafe import Markup, escape

from app.charts import texts
from app.charts.model import Chart, Flow, Number
from app.charts.table import flow_links, funnel_shares

WIDTH = 400  # viewBox width: at a phone's ~340 px column the 14-unit text stays about 12 px
FONT = 14
SMALL = 13
PAD = 8
INK = "#212529"
MUTED = "#495057"  # 8:1 on white
GRID = "#dee2e6"
REFERENCE = "#595959"  # 7:1 on white
# Okabe & Ito's colour-blind-safe palette; the darker ones first, since lines need 3:1 against white
LINE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#E69F00", "#56B4E9")
FILL_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "12 4", "1 4")
REFERENCE_DASH = "6 4"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_chart(chart: Chart | Flow, *, rtl: bool, empty_text: str | None = None, number_format=None,
                 percent_format=None) -> Markup:
    """The chart as an accessible inline <svg role="img">; the optional formats apply where the chart has none."""
    fmt = chart.value_format or number_format or _plain
    canvas = _Canvas(chart.key, rtl)
    if chart.is_empty:
        return canvas.finish(str(chart.title), str(empty_text or chart.empty_text or texts.NO_DATA),
                             _empty(canvas, str(empty_text or chart.empty_text or texts.NO_DATA)))
    if isinstance(chart, Flow):
        height = _flow(canvas, chart, fmt)
    elif chart.kind in ("line", "bar"):
        height = _vertical(canvas, chart, fmt)
    elif chart.kind == "funnel":
        pct = chart.percent_format or percent_format or (lambda f: f"{round(f * 100)}%")
        height = _funnel(canvas, chart, fmt, pct)
    else:
        height = _horizontal(canvas, chart, fmt, stacked=chart.kind == "stacked_hbar")
    return canvas.finish(str(chart.title), str(chart.description or chart.title), height)


# --- drawing surface ---------------------------------------------------------------------------------------

class _Canvas:
    """Collects SVG elements in left-to-right coordinates and mirrors x when the page reads right to left."""

    def __init__(self, key: str, rtl: bool):
        self.key = re.sub(r"[^A-Za-z0-9_-]", "-", str(key)) or "chart"
        self.rtl = rtl
        self.parts: list[str] = []

    def x(self, x: float) -> float:
        return WIDTH - x if self.rtl else x

    def rect(self, x, y, w, h, fill, title: str | None = None, cls: str = "", **attrs):
        w = max(w, 0)
        x0 = WIDTH - x - w if self.rtl else x
        extra = _attrs(attrs)
        body = f"<title>{_esc(title)}</title>" if title else ""
        cls_attr = f' class="{cls}"' if cls else ""
        self.parts.append(f'<rect{cls_attr} x="{_n(x0)}" y="{_n(y)}" width="{_n(w)}" height="{_n(max(h, 0))}" '
                          f'fill="{fill}"{extra}>{body}</rect>' if body else
                          f'<rect{cls_attr} x="{_n(x0)}" y="{_n(y)}" width="{_n(w)}" height="{_n(max(h, 0))}" '
                          f'fill="{fill}"{extra}/>')

    def line(self, x1, y1, x2, y2, stroke, width=1.0, dash="", cls=""):
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        cls_attr = f' class="{cls}"' if cls else ""
        self.parts.append(f'<line{cls_attr} x1="{_n(self.x(x1))}" y1="{_n(y1)}" x2="{_n(self.x(x2))}" '
                          f'y2="{_n(y2)}" stroke="{stroke}" stroke-width="{_n(width)}"{dash_attr}/>')

    def path(self, d: str, cls: str = "", title: str | None = None, **attrs):
        cls_attr = f' class="{cls}"' if cls else ""
        body = f"<title>{_esc(title)}</title>" if title else ""
        self.parts.append(f'<path{cls_attr} d="{d}"{_attrs(attrs)}>{body}</path>')

    def polyline_d(self, points) -> str:
        return " ".join(("M" if i == 0 else "L") + f"{_n(self.x(x))},{_n(y)}" for i, (x, y) in enumerate(points))

    def circle(self, x, y, r, fill, title: str | None = None, **attrs):
        body = f"<title>{_esc(title)}</title>" if title else ""
        self.parts.append(f'<circle cx="{_n(self.x(x))}" cy="{_n(y)}" r="{_n(r)}" fill="{fill}"'
                          f'{_attrs(attrs)}>{body}</circle>')

    def text(self, x, y, content, anchor="start", size=FONT, fill=INK, weight="", cls="", rotate=False,
             full: str | None = None):
        """`anchor` is left-to-right ("start": the text runs rightwards from x); mirrored for rtl pages."""
        content = str(content)
        physical = {"start": "left", "end": "right", "middle": "middle"}[anchor]
        if self.rtl and physical != "middle":
            physical = "right" if physical == "left" else "left"
        direction = _direction(content) or ("rtl" if self.rtl else "ltr")
        if physical == "middle":
            svg_anchor = "middle"
        else:
            svg_anchor = "start" if (physical == "left") == (direction == "ltr") else "end"
        X = self.x(x)
        transform = f' transform="rotate(-90 {_n(X)} {_n(y)})"' if rotate else ""
        cls_attr = f' class="{cls}"' if cls else ""
        weight_attr = f' font-weight="{weight}"' if weight else ""
        title = f"<title>{_esc(full)}</title>" if full and full != content else ""
        self.parts.append(f'<text{cls_attr} x="{_n(X)}" y="{_n(y)}" font-size="{size}" fill="{fill}" '
                          f'text-anchor="{svg_anchor}" direction="{direction}" unicode-bidi="embed"'
                          f'{weight_attr}{transform}>{title}{_esc(content)}</text>')

    def finish(self, title: str, desc: str, height: float) -> Markup:
        tid, did = f"chart-{self.key}-title", f"chart-{self.key}-desc"
        height = math.ceil(height)
        return Markup(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
            f'aria-labelledby="{tid} {did}" viewBox="0 0 {WIDTH} {height}" width="100%" '
            f'preserveAspectRatio="xMidYMin meet" data-chart="{self.key}" '
            f'direction="{"rtl" if self.rtl else "ltr"}">'
            f'<title id="{tid}">{_esc(title)}</title><desc id="{did}">{_esc(desc)}</desc>'
            + "".join(self.parts) + "</svg>")


def _esc(value) -> str:
    return str(escape(_CONTROL.sub("", str(value))))


def _attrs(attrs: dict) -> str:
    return "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items() if v not in (None, ""))


def _n(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _plain(value: Number) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _direction(text: str) -> str | None:
    """The direction of a text's first strong letter (what dir="auto" does), None when it has none."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of a text's width (no font metrics on the server)."""
    width = 0.0
    for char in str(text):
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        elif char in "ilI.,:;|!'’ ":
            width += 0.3
        elif char.isupper() or char in "mwMW%@":
            width += 0.74
        else:
            width += 0.6
    return width * size * 1.02


def fit(text: str, width: float, size: float = FONT) -> str:
    """The text, cut with an ellipsis where it would run wider than `width`."""
    text = str(text)
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# --- scales ------------------------------------------------------------------------------------------------

def nice_ticks(low: float, high: float, count: int = 5, integer: bool = False) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten) covering low..high, zero included."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + (1 if integer else 1.0)
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10)
                if m * power >= raw - 1e-12 and not (integer and m == 2.5 and power < 10))
    if integer:
        step = max(1, round(step))
    start = math.floor(low / step + 1e-9) * step
    ticks, value = [], start
    while value < high - 1e-9:
        ticks.append(value)
        value += step
    ticks.append(value)
    return [int(t) if integer or float(t).is_integer() else round(t, 10) for t in ticks]


def _all_integers(values) -> bool:
    return all(isinstance(v, int) or (isinstance(v, float) and v.is_integer()) for v in values if v is not None)


# --- line and vertical bar charts ---------------------------------------------------------------------------

def _legend(canvas: _Canvas, chart: Chart, y: float, kind: str) -> float:
    """One swatch per series (line with its dash, or a filled square), wrapped into rows; returns the next y."""
    if len(chart.series) < 2 and not any(s.style == "reference" for s in chart.series):
        return y
    x, row_h = PAD, FONT + 8
    y += FONT
    solid = 0
    for series in chart.series:
        label = fit(series.label, WIDTH - 2 * PAD - 34)
        item_w = 30 + text_width(label) + 16
        if x + item_w > WIDTH - PAD and x > PAD:
            x, y = PAD, y + row_h
        if series.style == "reference":
            canvas.line(x, y - 5, x + 24, y - 5, REFERENCE, 2, REFERENCE_DASH, cls="chart-swatch")
        elif kind == "line":
            canvas.line(x, y - 5, x + 24, y - 5, LINE_COLOURS[solid % len(LINE_COLOURS)], 3,
                        DASHES[solid % len(DASHES)], cls="chart-swatch")
            solid += 1
        else:
            canvas.rect(x + 6, y - 12, 13, 13, FILL_COLOURS[solid % len(FILL_COLOURS)], cls="chart-swatch")
            solid += 1
        canvas.text(x + 30, y, label, full=series.label, cls="chart-legend")
        x += item_w
    return y + 10


def _vertical(canvas: _Canvas, chart: Chart, fmt) -> float:
    n = len(chart.categories)
    values = [v for s in chart.series for v in s.values if v is not None]
    integer = _all_integers(values)
    ticks = nice_ticks(min(values), max(values), 5, integer)
    lo, hi = ticks[0], ticks[-1]
    tick_labels = [fmt(t) for t in ticks]

    y = _legend(canvas, chart, 0, chart.kind)
    if chart.y_label:
        y += FONT + 4
        canvas.text(PAD, y, fit(chart.y_label, WIDTH - 2 * PAD, SMALL), size=SMALL, fill=MUTED,
                    full=chart.y_label, cls="chart-axis-label")
    markers = [m for m in chart.markers if 0 <= m.index < n]
    marker_top = y + 6
    y += 6 + len(markers) * (SMALL + 4)
    top = y + 8
    plot_h = 190
    bottom = top + plot_h
    axis_w = max(text_width(t, SMALL) for t in tick_labels) + 8
    x0 = PAD + axis_w
    end_pad = PAD
    if chart.kind == "line":  # room for the value written at each line's end
        end_pad += max((text_width(fmt(_last(s.values)), SMALL) for s in chart.series if _last(s.values) is not None),
                       default=0) + 8
    x1 = WIDTH - end_pad
    plot_w = x1 - x0

    def ypos(v):
        return bottom - (v - lo) / (hi - lo) * plot_h

    if chart.kind == "line":
        def xpos(i):
            return x0 + (plot_w / 2 if n == 1 else i * plot_w / (n - 1))
        slot = plot_w / max(n - 1, 1)
    else:
        slot = plot_w / n

        def xpos(i):
            return x0 + (i + 0.5) * slot

    # value axis: grid lines and tick labels on the start side (the right on rtl pages)
    for tick, label in zip(ticks, tick_labels, strict=True):
        canvas.line(x0, ypos(tick), x1, ypos(tick), GRID, 1, cls="chart-grid")
        canvas.text(x0 - 6, ypos(tick) + SMALL * 0.35, label, anchor="end", size=SMALL, fill=MUTED,
                    cls="chart-tick")
    canvas.line(x0, ypos(max(lo, 0) if lo >= 0 else 0), x1, ypos(max(lo, 0) if lo >= 0 else 0), MUTED, 1,
                cls="chart-baseline")

    # category labels, thinned so they never overlap, and moved inwards where a label centred under the first
    # or last point would stick out of the drawing (the svg lets it overflow: off the page on a phone)
    widest = max(text_width(c, SMALL) for c in chart.categories) + 14
    every = max(1, math.ceil(widest / max(slot, 1)))
    label_room = min(max(slot * every - 6, 24), WIDTH - 2 * PAD)
    drawn_to = -math.inf
    for i, category in enumerate(chart.categories):
        if i % every:
            continue
        label = fit(category, label_room, SMALL)
        half = text_width(label, SMALL) / 2
        cx = min(max(xpos(i), PAD + half), WIDTH - PAD - half)
        if cx - half < drawn_to + 4:  # moved onto its neighbour: leave it out
            continue
        canvas.text(cx, bottom + SMALL + 6, label, anchor="middle", size=SMALL, fill=MUTED, full=category,
                    cls="chart-category")
        drawn_to = cx + half
    height = bottom + SMALL + 10
    if chart.x_label:
        height += FONT + 4
        canvas.text((x0 + x1) / 2, height - 4, fit(chart.x_label, WIDTH - 2 * PAD, SMALL), anchor="middle",
                    size=SMALL, fill=MUTED, full=chart.x_label, cls="chart-axis-label")

    for k, marker in enumerate(markers):
        mx = xpos(marker.index)
        canvas.line(mx, marker_top + k * (SMALL + 4) + 4, mx, bottom, INK, 1.5, "2 2", cls="chart-marker")
        label_y = marker_top + k * (SMALL + 4) + SMALL - 2
        room_after = x1 + end_pad - PAD - mx - 4
        if text_width(marker.label, SMALL) <= room_after or mx - x0 < plot_w / 2:
            canvas.text(mx + 4, label_y, fit(marker.label, max(room_after, 40), SMALL), size=SMALL,
                        full=marker.label, cls="chart-marker-label")
        else:
            canvas.text(mx - 4, label_y, fit(marker.label, mx - PAD - 4, SMALL), anchor="end", size=SMALL,
                        full=marker.label, cls="chart-marker-label")

    if chart.kind == "line":
        _lines(canvas, chart, fmt, xpos, ypos, x1)
    else:
        _bars(canvas, chart, fmt, xpos, ypos, slot, lo)
    return height + 4


def _last(values):
    return next((v for v in reversed(values) if v is not None), None)


def _lines(canvas, chart, fmt, xpos, ypos, x1):
    n = len(chart.categories)
    # a dot on every point, unless they would string into beads (a day-by-day line over weeks); a point with no
    # neighbour keeps its dot, or it would not show at all
    dense = n > 1 and xpos(1) - xpos(0) < 10
    ends = []
    solid = 0
    for series in chart.series:
        if series.style == "reference":
            colour, dash, width, cls = REFERENCE, REFERENCE_DASH, 2, "chart-line chart-reference"
        else:
            colour, dash, width = LINE_COLOURS[solid % len(LINE_COLOURS)], DASHES[solid % len(DASHES)], 2.5
            cls = "chart-line"
            solid += 1
        runs, run = [], []
        for i, v in enumerate(series.values):
            if v is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append((xpos(i), ypos(v)))
        if run:
            runs.append(run)
        for points in runs:
            if len(points) > 1:
                canvas.path(canvas.polyline_d(points), cls=cls, fill="none", stroke=colour,
                            stroke_width=width, stroke_dasharray=dash, stroke_linejoin="round")
        if series.style != "reference":
            for i, v in enumerate(series.values):
                alone = (i == 0 or series.values[i - 1] is None) and (i == n - 1 or series.values[i + 1] is None)
                if v is not None and (not dense or alone):
                    canvas.circle(xpos(i), ypos(v), 3, colour, title=f"{series.label}, {chart.categories[i]}: {fmt(v)}",
                                  cls="chart-point")
        last_i = next((i for i in range(n - 1, -1, -1) if series.values[i] is not None), None)
        if last_i is not None:
            ends.append([ypos(series.values[last_i]) + SMALL * 0.35, xpos(last_i), fmt(series.values[last_i]),
                         colour if series.style != "reference" else REFERENCE])
    # direct labels at each line's end, nudged apart so they never sit on each other
    ends.sort(key=lambda e: e[0])
    for k in range(1, len(ends)):
        ends[k][0] = max(ends[k][0], ends[k - 1][0] + SMALL + 1)
    for y, x, label, _colour in ends:
        canvas.text(x + 6, y, label, size=SMALL, weight="600", cls="chart-value")


def _bars(canvas, chart, fmt, xpos, ypos, slot, lo):
    bars = [s for s in chart.series if s.style != "reference"]
    references = [s for s in chart.series if s.style == "reference"]
    group = slot * (0.78 if len(bars) > 1 else 0.66)
    bar_w = group / max(len(bars), 1)
    base = ypos(max(lo, 0))
    for b, series in enumerate(bars):
        colour = FILL_COLOURS[b % len(FILL_COLOURS)] if len(bars) > 1 else FILL_COLOURS[0]
        for i, v in enumerate(series.values):
            if v is None:
                continue
            x = xpos(i) - group / 2 + b * bar_w
            top = min(ypos(v), base)
            label = fmt(v)
            canvas.rect(x + 0.5, top, bar_w - 1, abs(base - ypos(v)), colour, cls="chart-bar",
                        title=f"{series.label}, {chart.categories[i]}: {label}",
                        data_value=_plain(v))
            cx = x + bar_w / 2
            if text_width(label, SMALL) <= bar_w + slot * 0.2 / max(len(bars), 1) + 2:
                canvas.text(cx, top - 4, label, anchor="middle", size=SMALL, weight="600", cls="chart-value")
            elif bar_w >= SMALL:
                canvas.text(cx + SMALL * 0.35, top - 4, label, anchor="start", size=SMALL, weight="600",
                            rotate=True, cls="chart-value")
    for series in references:
        for i, v in enumerate(series.values):
            if v is not None:
                canvas.line(xpos(i) - slot / 2, ypos(v), xpos(i) + slot / 2, ypos(v), REFERENCE, 2,
                            REFERENCE_DASH, cls="chart-reference")


# --- horizontal bars, stacked bars, funnel -----------------------------------------------------------------

BAR_H = 20
ROW_GAP = 12


def _horizontal(canvas: _Canvas, chart: Chart, fmt, stacked: bool) -> float:
    bars = [s for s in chart.series if s.style != "reference"]
    y = _legend(canvas, chart, 0, "bar")
    if chart.y_label or chart.x_label:
        y += FONT + 4
        canvas.text(PAD, y, fit(chart.y_label or chart.x_label, WIDTH - 2 * PAD, SMALL), size=SMALL,
                    fill=MUTED, cls="chart-axis-label")
    y += 6
    if stacked:
        totals = [sum(s.values[i] or 0 for s in bars) for i in range(len(chart.categories))]
        top_value = max(totals) if totals else 0
        value_room = max(text_width(fmt(t), SMALL) for t in totals) + 8
    else:
        vals = [v for s in bars for v in s.values if v is not None]
        top_value = max(vals) if vals else 0
        value_room = max(text_width(fmt(v), SMALL) for v in vals) + 8 if vals else 0
    x0 = PAD
    span = WIDTH - 2 * PAD - value_room
    scale = span / top_value if top_value > 0 else 0
    bar_h = BAR_H if stacked or len(bars) == 1 else max(12, BAR_H - 4)
    for i, category in enumerate(chart.categories):
        y += FONT + 2
        canvas.text(x0, y, fit(category, WIDTH - 2 * PAD), full=category, cls="chart-category")
        y += 5
        if stacked:
            x = x0
            for b, series in enumerate(bars):
                v = series.values[i]
                if not v:
                    continue
                w = v * scale
                colour = FILL_COLOURS[b % len(FILL_COLOURS)]
                canvas.rect(x, y, w, bar_h, colour, cls="chart-bar", title=f"{series.label}: {fmt(v)}",
                            stroke="#ffffff", stroke_width=1, data_value=_plain(v))
                label = fmt(v)
                if text_width(label, SMALL) + 6 <= w:
                    canvas.text(x + w / 2, y + bar_h / 2 + SMALL * 0.35, label, anchor="middle", size=SMALL,
                                fill=_ink_on(colour), weight="600", cls="chart-value")
                x += w
            canvas.text(x + 6, y + bar_h / 2 + SMALL * 0.35, fmt(totals[i]), size=SMALL, weight="600",
                        cls="chart-value chart-total")
            y += bar_h
        else:
            for b, series in enumerate(bars):
                v = series.values[i]
                colour = FILL_COLOURS[b % len(FILL_COLOURS)]
                if v is not None:
                    w = max(v, 0) * scale
                    canvas.rect(x0, y, w, bar_h, colour, cls="chart-bar",
                                title=f"{series.label}, {category}: {fmt(v)}", data_value=_plain(v))
                    canvas.text(x0 + w + 6, y + bar_h / 2 + SMALL * 0.35, fmt(v), size=SMALL, weight="600",
                                cls="chart-value")
                y += bar_h + 2
        y += ROW_GAP
    return y


def _funnel(canvas: _Canvas, chart: Chart, fmt, pct) -> float:
    series = chart.series[0]
    shares = funnel_shares(list(series.values))
    labels = [fmt(v) + (f" · {pct(s / 100)}" if s is not None else "") if v is not None else ""
              for v, s in zip(series.values, shares, strict=True)]
    value_room = max(text_width(label, SMALL) for label in labels) + 8
    top_value = max((v for v in series.values if v is not None), default=0)
    span = WIDTH - 2 * PAD - value_room
    scale = span / top_value if top_value > 0 else 0
    y = 6.0
    if chart.y_label:
        y += FONT
        canvas.text(PAD, y, fit(chart.y_label, WIDTH - 2 * PAD, SMALL), size=SMALL, fill=MUTED,
                    cls="chart-axis-label")
        y += 6
    for i, category in enumerate(chart.categories):
        v = series.values[i]
        y += FONT + 2
        canvas.text(PAD, y, fit(category, WIDTH - 2 * PAD), full=category, cls="chart-category")
        y += 5
        if v is not None:
            w = max(v, 0) * scale
            canvas.rect(PAD, y, w, BAR_H, FILL_COLOURS[0], cls="chart-bar",
                        title=f"{category}: {labels[i]}", data_value=_plain(v))
            canvas.text(PAD + w + 6, y + BAR_H / 2 + SMALL * 0.35, labels[i], size=SMALL, weight="600",
                        cls="chart-value")
        y += BAR_H + ROW_GAP
    return y


def _ink_on(colour: str) -> str:
    """Black or white text, whichever reads better on the fill (relative luminance, WCAG)."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))

    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


# --- flow diagram ------------------------------------------------------------------------------------------

NODE_W = 10
NODE_GAP = 10


def _flow(canvas: _Canvas, flow: Flow, fmt) -> float:
    links = flow_links(flow)
    others = str(flow.others_label or texts.OTHERS)
    left_total: dict[str, Number] = defaultdict(int)
    right_total: dict[str, Number] = defaultdict(int)
    for s, t, n in links:
        left_total[s] += n
        right_total[t] += n

    def order(totals):
        return sorted(totals, key=lambda name: (name == others, -totals[name], name))

    lefts, rights = order(left_total), order(right_total)
    total = sum(n for _, _, n in links)

    def label_w(names, totals):
        return max(max(text_width(name), text_width(fmt(totals[name]), SMALL)) for name in names)

    side_max = WIDTH * 0.33
    left_room = min(label_w(lefts, left_total), side_max)
    right_room = min(label_w(rights, right_total), side_max)
    xl = PAD + left_room + 6
    xr = WIDTH - PAD - right_room - 6 - NODE_W

    y = 4.0
    if flow.from_label or flow.to_label:
        y += FONT
        canvas.text(PAD, y, fit(flow.from_label, WIDTH / 2 - PAD - 4, SMALL), size=SMALL, fill=MUTED,
                    weight="600", full=flow.from_label, cls="chart-axis-label")
        canvas.text(WIDTH - PAD, y, fit(flow.to_label, WIDTH / 2 - PAD - 4, SMALL), anchor="end", size=SMALL,
                    fill=MUTED, weight="600", full=flow.to_label, cls="chart-axis-label")
    top = y + 12
    slot_min = FONT + SMALL + 6  # a node's two label lines
    count = max(len(lefts), len(rights))
    scale = max(8 * count, 220 - NODE_GAP * count) / total if total else 0

    def place(names, totals):
        positions, cursor = {}, top
        for name in names:
            h = totals[name] * scale
            positions[name] = (cursor, h)
            cursor += max(h, slot_min) + NODE_GAP
        return positions, cursor

    left_pos, left_end = place(lefts, left_total)
    right_pos, right_end = place(rights, right_total)
    # bands: leave each left node in the order of their right nodes, and arrive in the order of their left ones
    out_offset = {name: 0.0 for name in lefts}
    in_offset = {name: 0.0 for name in rights}
    colour_of = {name: FILL_COLOURS[i % len(FILL_COLOURS)] for i, name in enumerate(lefts)}
    by_out = sorted(links, key=lambda link: (lefts.index(link[0]), rights.index(link[1])))
    starts = {}
    for s, t, n in by_out:
        starts[(s, t)] = left_pos[s][0] + out_offset[s]
        out_offset[s] += n * scale
    for s, t, n in sorted(links, key=lambda link: (rights.index(link[1]), lefts.index(link[0]))):
        y0 = starts[(s, t)]
        y1 = right_pos[t][0] + in_offset[t]
        in_offset[t] += n * scale
        h = n * scale
        a, b = xl + NODE_W, xr
        mid = (a + b) / 2
        d = (f"M{_n(canvas.x(a))},{_n(y0)} C{_n(canvas.x(mid))},{_n(y0)} {_n(canvas.x(mid))},{_n(y1)} "
             f"{_n(canvas.x(b))},{_n(y1)} L{_n(canvas.x(b))},{_n(y1 + h)} C{_n(canvas.x(mid))},{_n(y1 + h)} "
             f"{_n(canvas.x(mid))},{_n(y0 + h)} {_n(canvas.x(a))},{_n(y0 + h)} Z")
        canvas.path(d, cls="chart-band", title=f"{s} – {t}: {fmt(n)}", fill=colour_of[s], fill_opacity="0.45",
                    data_value=_plain(n))
    for names, pos, totals, x, side in ((lefts, left_pos, left_total, xl, "left"),
                                        (rights, right_pos, right_total, xr, "right")):
        for name in names:
            ny, h = pos[name]
            fill = colour_of.get(name, MUTED) if side == "left" else MUTED
            canvas.rect(x, ny, NODE_W, max(h, 1), fill, cls="chart-node", title=f"{name}: {fmt(totals[name])}",
                        data_value=_plain(totals[name]))
            room = left_room if side == "left" else right_room
            tx, anchor = (x - 6, "end") if side == "left" else (x + NODE_W + 6, "start")
            centre = ny + max(h, slot_min) / 2
            canvas.text(tx, centre - 2, fit(name, room), anchor=anchor, full=name, cls="chart-node-label")
            canvas.text(tx, centre + SMALL + 1, fmt(totals[name]), anchor=anchor, size=SMALL, weight="600",
                        fill=MUTED, cls="chart-value")
    return max(left_end, right_end) + 4


def _empty(canvas: _Canvas, text: str) -> float:
    canvas.rect(0.5, 0.5, WIDTH - 1, 79, "#f8f9fa", stroke=GRID, rx=6)
    canvas.text(WIDTH / 2, 46, fit(text, WIDTH - 2 * PAD), anchor="middle", fill=MUTED, cls="chart-empty")
    return 81
