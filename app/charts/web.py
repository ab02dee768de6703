"""The charts' edge in Flask: the CSV download and the template helpers the chart macro calls."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Flask, Response, abort, request
from flask_babel import gettext as _

from app.charts.model import Chart, Flow
from app.charts.svg import render_chart
from app.charts.table import chart_csv, chart_table, chart_table_text


def safe_filename(filename: str, default: str = "chart") -> str:
    """An ASCII file name for Content-Disposition: letters, digits, dot, dash and underscore, ending in .csv."""
    stem = re.sub(r"\.csv$", "", str(filename or ""), flags=re.IGNORECASE)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-_")[:100] or default
    return f"{stem}.csv"


def csv_response(chart: Chart | Flow, filename: str) -> Response:
    """The chart's numbers (chart_csv) as a CSV download."""
    response = Response(chart_csv(chart), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def requested_csv(charts: Iterable[Chart | Flow], filename_prefix: str) -> Response | None:
    """The `?csv=<key>` download of one of a page's charts; None when the page itself is asked for. A key the page
    has no chart for is a 400 saying so in the reader's language."""
    key = request.args.get("csv")
    if key is None:
        return None
    chart = next((chart for chart in charts if chart.key == key), None)
    if chart is None:
        abort(400, _("This page has no chart of that name to download."))
    return csv_response(chart, f"{filename_prefix}-{key}")


def init_charts(app: Flask) -> None:
    """Template globals for charts/_chart.html (numbers and percentages in the page's locale by default)."""
    from app.i18n import format_number, format_percentage

    def chart_svg(chart, rtl: bool, empty_text: str | None = None):
        return render_chart(chart, rtl=rtl, empty_text=empty_text, number_format=format_number,
                            percent_format=format_percentage)

    def chart_rows(chart):
        """Header, rows as text, and which columns hold numbers (right-aligned)."""
        _, raw = chart_table(chart)
        header, rows = chart_table_text(chart, number=format_number, percent=format_percentage)
        numeric = [bool(raw) and all(not isinstance(row[i], str) for row in raw) for i in range(len(header))]
        return header, rows, numeric

    app.jinja_env.globals.update(chart_svg=chart_svg, chart_rows=chart_rows)
