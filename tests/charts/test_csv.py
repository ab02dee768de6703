"""The CSV download holds exactly the chart table's numbers, and spreadsheets never run a label as a formula."""

from __future__ import annotations

import csv
import io

from app.charts import Chart, Flow, Marker, Series, chart_csv, chart_table
from app.charts.web import csv_response, safe_filename


def read(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def as_text(header, rows) -> list[list[str]]:
    return [header] + [["" if c is None else str(c) for c in row] for row in rows]


def test_line_chart_round_trip_equals_the_table():
    chart = Chart(key="r", title="t", kind="line", categories=("1 Mar", "2 Mar", "3 Mar"), x_label="Day",
                  series=(Series("Registered", (1, 3, None)), Series("Capacity", (40, 40, 40), style="reference")),
                  markers=(Marker(1, "Registration opens"),))
    header, rows = chart_table(chart)
    assert header == ["Day", "Registered", "Capacity", "Note"]
    assert rows == [["1 Mar", 1, 40, ""], ["2 Mar", 3, 40, "Registration opens"], ["3 Mar", None, 40, ""]]
    assert read(chart_csv(chart)) == as_text(header, rows)


def test_funnel_table_has_the_share_of_the_first_step():
    chart = Chart(key="f", title="t", kind="funnel", categories=("Registered", "Confirmed", "Attended"),
                  series=(Series("People", (3, 2, 1)),))
    header, rows = chart_table(chart)
    assert rows == [["Registered", 3, 100.0], ["Confirmed", 2, 66.7], ["Attended", 1, 33.3]]
    assert read(chart_csv(chart)) == as_text(header, rows)


def test_flow_table_lists_the_drawn_pairs():
    flow = Flow(key="fl", title="t", from_label="Organisation", to_label="Host city", top=1,
                links=(("Bonn", "Irbid", 5), ("Köln", "Irbid", 2), ("Bonn", "Amman", 1), ("Bonn", "Irbid", 1)))
    header, rows = chart_table(flow)
    assert header == ["Organisation", "Host city", "People"]
    assert rows == [["Bonn", "Irbid", 6], ["Others", "Irbid", 2], ["Bonn", "Others", 1]]
    assert sum(r[2] for r in rows) == 9  # nobody lost in the gathering
    assert read(chart_csv(flow)) == as_text(header, rows)


def test_formula_like_labels_are_neutralised_numbers_stay_raw():
    chart = Chart(key="x", title="t", kind="hbar", categories=("=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)", "Bonn"),
                  series=(Series("-people", (1, -2, 3.5, 0)),))
    lines = read(chart_csv(chart))
    assert lines[0] == ["Category", "'-people"]
    assert [row[0] for row in lines[1:]] == ["'=HYPERLINK(\"http://x\")", "'+1", "'@SUM(A1)", "Bonn"]
    assert [row[1] for row in lines[1:]] == ["1", "-2", "3.5", "0"]  # a negative number is a number


def test_csv_is_utf8_with_arabic_labels():
    chart = Chart(key="a", title="t", kind="bar", categories=("الأردن",), series=(Series("عدد", (4,)),))
    data = chart_csv(chart)
    assert data.startswith(b"\xef\xbb\xbf")
    assert read(data) == [["Category", "عدد"], ["الأردن", "4"]]


def test_csv_response_is_an_attachment_with_a_safe_name(app):
    chart = Chart(key="a", title="t", kind="bar", categories=("a",), series=(Series("n", (4,)),))
    with app.test_request_context():
        response = csv_response(chart, 'event 7/"registrations".csv')
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="event-7-registrations.csv"'
    assert read(response.get_data()) == [["Category", "n"], ["a", "4"]]
    assert safe_filename("") == "chart.csv"
    assert safe_filename("../../etc/passwd") == "etc-passwd.csv"
    assert safe_filename("Événement-3") == "v-nement-3.csv"
