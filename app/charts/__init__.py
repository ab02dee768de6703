"""Charts drawn on the server as accessible SVG, with the table and CSV of exactly the plotted numbers.

    from app.charts import Chart, Series, Marker, Flow, render_chart, chart_csv, chart_table

Pure: no Flask, no request; the template macro charts/_chart.html and app.charts.web are the edges.
"""

from app.charts.model import KINDS, Chart, Flow, Marker, Series
from app.charts.svg import render_chart
from app.charts.table import chart_csv, chart_table, chart_table_text, flow_links

__all__ = ["KINDS", "Chart", "Flow", "Marker", "Series", "chart_csv", "chart_table", "chart_table_text",
           "flow_links", "render_chart"]
