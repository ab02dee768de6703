"""The numbers a chart plots, as a table (header + rows) and as CSV: the screen-reader table, the download and
the picture all come from here, so they always agree."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from app.charts import texts
from app.charts.model import Chart, Flow, Number
from app.spreadsheet import safe_cell


def flow_links(flow: Flow) -> list[tuple[str, str, Number]]:
    """The pairs a flow diagram draws: the `top` biggest, then the rest gathered under "Others" (per side)."""
    merged: dict[tuple[str, str], Number] = defaultdict(int)
    for source, target, people in flow.links:
        if people:
            merged[(str(source), str(target))] += people
    ranked = sorted(merged.items(), key=lambda item: (-item[1], item[0]))
    top, rest = ranked[: max(flow.top, 0)], ranked[max(flow.top, 0):]
    if not rest:
        return [(s, t, n) for (s, t), n in top]
    others = str(flow.others_label or texts.OTHERS)
    sources = {s for (s, _), _ in top}
    targets = {t for (_, t), _ in top}
    gathered: dict[tuple[str, str], Number] = defaultdict(int)
    for (source, target), people in rest:
        gathered[(source if source in sources else others, target if target in targets else others)] += people
    shown = [(s, t, n) for (s, t), n in top]
    shown += [(s, t, n) for (s, t), n in sorted(gathered.items(), key=lambda item: (-item[1], item[0]))]
    return shown


def funnel_shares(values) -> list[float | None]:
    """Each step as a percentage of the first step (one decimal), None where the first step is empty."""
    first = values[0] if values else None
    return [None if (not first or v is None) else round(v * 100 / first, 1) for v in values]


def chart_table(chart: Chart | Flow) -> tuple[list[str], list[list]]:
    """Header and rows holding exactly the plotted numbers (labels as text, numbers raw, None for a gap)."""
    if isinstance(chart, Flow):
        header = [str(chart.from_label), str(chart.to_label), str(chart.value_label or texts.PEOPLE)]
        return header, [[s, t, n] for s, t, n in flow_links(chart)]
    first = str(chart.category_header or chart.x_label or texts.CATEGORY)
    if chart.kind == "funnel":
        values = list(chart.series[0].values) if chart.series else [None] * len(chart.categories)
        label = str(chart.series[0].label) if chart.series else str(chart.y_label)
        rows = [[str(c), v, share] for c, v, share in zip(chart.categories, values, funnel_shares(values),
                                                            strict=True)]
        return [first, label, str(texts.SHARE_OF_FIRST)], rows
    header = [first] + [str(s.label) for s in chart.series]
    notes: dict[int, list[str]] = defaultdict(list)
    for marker in chart.markers:
        if 0 <= marker.index < len(chart.categories):
            notes[marker.index].append(str(marker.label))
    rows = [[str(c)] + [s.values[i] for s in chart.series] for i, c in enumerate(chart.categories)]
    if notes:
        header.append(str(texts.NOTE))
        for i, row in enumerate(rows):
            row.append("; ".join(notes.get(i, ())))
    return header, rows


def chart_table_text(chart: Chart | Flow, number=None, percent=None) -> tuple[list[str], list[list[str]]]:
    """The same table with numbers written for the reader (the chart's own formats, else the ones given)."""
    header, rows = chart_table(chart)
    fmt = chart.value_format or number or _plain
    pct = getattr(chart, "percent_format", None) or percent
    share_column = 2 if isinstance(chart, Chart) and chart.kind == "funnel" else None
    text_rows = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            if cell is None:
                cells.append("")
            elif isinstance(cell, str):
                cells.append(cell)
            elif i == share_column:
                cells.append(pct(cell / 100) if pct else f"{_plain(cell)}%")
            else:
                cells.append(fmt(cell))
        text_rows.append(cells)
    return header, text_rows


def chart_csv(chart: Chart | Flow) -> bytes:
    """UTF-8 CSV (with a BOM so spreadsheets pick the encoding) of chart_table: labels neutralised, numbers raw."""
    header, rows = chart_table(chart)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(c) if isinstance(c, str) else ("" if c is None else c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _plain(value: Number) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
