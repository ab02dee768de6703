"""The chart_figure macro: a figure with the SVG, a data table holding the chart table's rows, and the CSV link."""

from __future__ import annotations

from html.parser import HTMLParser

from flask import render_template_string

from app.charts import Chart, Flow, Marker, Series, chart_table

TEMPLATE = '{% from "charts/_chart.html" import chart_figure %}{{ chart_figure(chart, csv_url, rtl=rtl) }}'


class Page(HTMLParser):
    """Collects the table's cells by row, the figure's attributes, links and whether an svg is there."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.section = None
        self.cell: list[str] | None = None
        self.links: list[dict] = []
        self.svg: list[dict] = []
        self.tags: list[tuple[str, dict]] = []
        self.caption = ""
        self.in_caption = False
        self.scopes: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.cell = []
            if tag == "th":
                self.scopes.append(attrs.get("scope"))
        elif tag == "a":
            self.links.append(attrs)
        elif tag == "svg":
            self.svg.append(attrs)
        elif tag == "caption":
            self.in_caption = True

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "caption":
            self.in_caption = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self.in_caption:
            self.caption += data


def render(app, chart, csv_url="/events/1/dashboard?csv=registrations", rtl=None, language=None):
    headers = {"Accept-Language": language} if language else {}
    with app.test_request_context("/", headers=headers):
        html = render_template_string(TEMPLATE, chart=chart, csv_url=csv_url, rtl=rtl)
    page = Page()
    page.feed(html)
    return html, page


def chart():
    return Chart(key="registrations", title="Registrations <b>", kind="line",
                 categories=("1 Mar", "2 Mar", "3 Mar"),
                 series=(Series("Registered", (1, 1234, 7)), Series("Capacity", (40, 40, 40), style="reference")),
                 markers=(Marker(1, "Registration opens"),))


def test_table_rows_equal_the_chart_table(app):
    html, page = render(app, chart())
    header, rows = chart_table(chart())
    assert page.rows[0] == header
    assert len(page.rows) - 1 == len(rows)
    assert [r[0] for r in page.rows[1:]] == [r[0] for r in rows]
    assert page.rows[2] == ["2 Mar", "1,234", "40", "Registration opens"]  # numbers in the page's locale
    assert page.caption == "Registrations <b>"
    assert "Registrations &lt;b&gt;" in html and "<b>" not in html
    assert set(page.scopes) == {"col", "row"}


def test_figure_has_svg_details_and_csv_link(app):
    html, page = render(app, chart())
    tags = [t for t, _ in page.tags]
    assert tags[0] == "figure" and "figcaption" in tags and "details" in tags and "summary" in tags
    assert page.svg and page.svg[0]["role"] == "img"
    assert {"href": "/events/1/dashboard?csv=registrations", "download": None} in page.links
    assert "Download the data (CSV)" in html
    assert dict(page.tags[0][1])["id"] == "chart-registrations"


def test_rtl_follows_the_page_language_unless_given(app):
    _, page = render(app, chart(), language="ar")
    assert page.svg[0]["direction"] == "rtl"
    _, page = render(app, chart(), language="en")
    assert page.svg[0]["direction"] == "ltr"
    _, page = render(app, chart(), rtl=True, language="en")
    assert page.svg[0]["direction"] == "rtl"


def test_flow_table_and_empty_state(app):
    flow = Flow(key="flows", title="Who learns from whom", from_label="From", to_label="To",
                links=(("Bonn", "Irbid", 12), ("Köln", "Irbid", 3)))
    _, page = render(app, flow)
    assert page.rows == [["From", "To", "People"], ["Bonn", "Irbid", "12"], ["Köln", "Irbid", "3"]]
    html, page = render(app, Chart(key="e", title="Nothing", kind="bar"))
    assert "No data yet" in html and not page.rows and not page.links
