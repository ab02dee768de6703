"""The SVG renderer: parsed back with an XML parser, shapes measured against the numbers they stand for."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.charts import Chart, Flow, Marker, Series, render_chart
from app.charts.svg import WIDTH, nice_ticks

NS = {"svg": "http://www.w3.org/2000/svg"}
EVIL = '<script>alert("x")</script> & "Stadt" \'Köln\''


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def bars(root) -> list[ET.Element]:
    return root.findall(".//svg:rect[@class='chart-bar']", NS)


def texts(root, cls=None) -> list[str]:
    found = root.iter("{http://www.w3.org/2000/svg}text")
    return ["".join(t.itertext()) for t in found if cls is None or cls in (t.get("class") or "").split()]


def f(element, name) -> float:
    return float(element.get(name))


def test_accessible_root_with_title_and_description():
    chart = Chart(key="regs", title="Registrations", kind="bar", categories=("Mon", "Tue"),
                  series=(Series("People", (2, 4)),), description="Four people registered on Tuesday.")
    root = parse(render_chart(chart, rtl=False))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-regs-title chart-regs-desc"
    assert root.find("svg:title", NS).get("id") == "chart-regs-title"
    assert root.find("svg:title", NS).text == "Registrations"
    assert root.find("svg:desc", NS).text == "Four people registered on Tuesday."
    assert root.get("width") == "100%" and root.get("viewBox").startswith(f"0 0 {WIDTH} ")


def test_vertical_bar_heights_are_proportional_to_values():
    chart = Chart(key="b", title="t", kind="bar", categories=("a", "b", "c", "d"),
                  series=(Series("n", (10, 20, 5, 0)),))
    heights = [f(r, "height") for r in bars(parse(render_chart(chart, rtl=False)))]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.02)
    assert heights[2] == pytest.approx(heights[0] / 2, abs=0.02)
    assert heights[3] == 0
    assert texts(parse(render_chart(chart, rtl=False)), "chart-value") == ["10", "20", "5", "0"]


def test_hbar_lengths_proportional_and_mirrored_in_rtl():
    chart = Chart(key="c", title="Countries", kind="hbar", categories=("Germany", "الأردن", "Jordan"),
                  series=(Series("People", (30, 15, 6)),))
    ltr, rtl = bars(parse(render_chart(chart, rtl=False))), bars(parse(render_chart(chart, rtl=True)))
    widths = [f(r, "width") for r in ltr]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.02) and widths[1] == pytest.approx(2.5 * widths[2],
                                                                                                 abs=0.02)
    for left, right in zip(ltr, rtl, strict=True):
        assert f(right, "width") == f(left, "width")
        # the bar grows from the right edge leftwards: mirrored around the middle of the view box
        assert f(right, "x") + f(right, "width") == pytest.approx(WIDTH - f(left, "x"), abs=0.02)
    assert all(f(r, "x") == f(ltr[0], "x") for r in ltr)  # all start from one baseline


def test_rtl_mirrors_time_and_value_axis():
    chart = Chart(key="t", title="t", kind="line", categories=("d1", "d2", "d3"), series=(Series("n", (1, 2, 3)),))
    ltr, rtl = parse(render_chart(chart, rtl=False)), parse(render_chart(chart, rtl=True))
    xs = [f(c, "cx") for c in ltr.findall(".//svg:circle", NS)]
    rxs = [f(c, "cx") for c in rtl.findall(".//svg:circle", NS)]
    assert xs == sorted(xs) and rxs == sorted(rxs, reverse=True)  # time runs right to left
    assert [WIDTH - x for x in xs] == pytest.approx(rxs)
    ticks = [t for t in ltr.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "chart-tick"]
    rticks = [t for t in rtl.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "chart-tick"]
    assert all(f(t, "x") < min(xs) for t in ticks)  # value axis on the left ...
    assert all(f(t, "x") > max(rxs) for t in rticks)  # ... and on the right for Arabic
    assert rtl.get("direction") == "rtl"


def test_each_label_carries_its_own_direction():
    chart = Chart(key="d", title="t", kind="hbar", categories=("عمّان", "Bonn"), series=(Series("n", (3, 2)),))
    labels = {"".join(t.itertext()): t for t in parse(render_chart(chart, rtl=True)).iter(
        "{http://www.w3.org/2000/svg}text")}
    assert labels["عمّان"].get("direction") == "rtl" and labels["Bonn"].get("direction") == "ltr"
    # both sit with their right edge at the same x on an rtl page
    assert labels["عمّان"].get("x") == labels["Bonn"].get("x")
    assert labels["عمّان"].get("text-anchor") == "start" and labels["Bonn"].get("text-anchor") == "end"


@pytest.mark.parametrize("kind", ["line", "bar", "hbar", "stacked_hbar", "funnel", "flow"])
@pytest.mark.parametrize("rtl", [False, True])
def test_labels_are_escaped_and_the_svg_parses(kind, rtl):
    if kind == "flow":
        chart = Flow(key="x\"><script>", title=EVIL, links=((EVIL, "Irbid", 3), ("Bonn", EVIL, 2)),
                     from_label=EVIL, to_label=EVIL, description=EVIL)
    else:
        chart = Chart(key="k", title=EVIL, kind=kind, categories=(EVIL, "b\x00\x07"), x_label=EVIL, y_label=EVIL,
                      series=(Series(EVIL, (3, 1)), Series("s2", (1, 1), style="solid")),
                      markers=(Marker(0, EVIL),) if kind == "line" else (), description=EVIL)
    markup = str(render_chart(chart, rtl=rtl))
    assert "<script>" not in markup and 'alert("x")' not in markup
    root = parse(markup)
    assert root.find("svg:title", NS).text == EVIL
    assert not root.findall(".//script") and not root.findall(".//svg:script", NS)
    assert EVIL in [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")] or EVIL in texts(root)


def test_line_chart_has_dashed_reference_distinct_dashes_and_markers():
    chart = Chart(key="r", title="t", kind="line", categories=tuple(f"d{i}" for i in range(6)),
                  series=(Series("Registered", (1, 2, 4, 8, 9, 12)), Series("Confirmed", (0, 1, 2, 5, 6, 8)),
                          Series("Capacity", (20,) * 6, style="reference")),
                  markers=(Marker(1, "Registration opens"), Marker(4, "Registration closes")))
    root = parse(render_chart(chart, rtl=False))
    lines = root.findall(".//svg:path[@class='chart-line']", NS)
    reference = root.findall(".//svg:path[@class='chart-line chart-reference']", NS)
    assert len(lines) == 2 and len(reference) == 1
    assert reference[0].get("stroke-dasharray")
    assert lines[0].get("stroke-dasharray") != lines[1].get("stroke-dasharray")
    assert lines[0].get("stroke") != lines[1].get("stroke")
    assert texts(root, "chart-marker-label") == ["Registration opens", "Registration closes"]
    assert len(root.findall(".//svg:line[@class='chart-marker']", NS)) == 2
    assert {"12", "8", "20"} <= set(texts(root, "chart-value"))  # each line's last value written at its end
    assert {"Registered", "Confirmed", "Capacity"} <= set(texts(root, "chart-legend"))


def test_gaps_in_a_line_break_it():
    chart = Chart(key="g", title="t", kind="line", categories=("a", "b", "c", "d", "e"),
                  series=(Series("n", (1, 2, None, 3, 4)),))
    root = parse(render_chart(chart, rtl=False))
    assert len(root.findall(".//svg:path[@class='chart-line']", NS)) == 2
    assert len(root.findall(".//svg:circle", NS)) == 4


def test_funnel_writes_values_and_share_of_first_step():
    chart = Chart(key="f", title="Funnel", kind="funnel", categories=("Registered", "Confirmed", "Attended"),
                  series=(Series("People", (40, 30, 10)),))
    root = parse(render_chart(chart, rtl=False))
    widths = [f(r, "width") for r in bars(root)]
    assert widths[0] > widths[1] > widths[2] and widths[0] == pytest.approx(4 * widths[2], abs=0.02)
    assert texts(root, "chart-value") == ["40 · 100%", "30 · 75%", "10 · 25%"]


def test_stacked_hbar_segments_add_up_and_totals_are_written():
    chart = Chart(key="s", title="t", kind="stacked_hbar", categories=("2026", "2027"),
                  series=(Series("Workshop", (4, 2)), Series("Trip", (2, 6))))
    root = parse(render_chart(chart, rtl=False))
    segments = bars(root)
    assert len(segments) == 4
    unit = f(segments[0], "width") / 4
    assert f(segments[1], "width") == pytest.approx(2 * unit, abs=0.02)
    assert f(segments[1], "x") == pytest.approx(f(segments[0], "x") + f(segments[0], "width"), abs=0.02)
    assert texts(root, "chart-total") == ["6", "8"]


def test_hbar_height_grows_with_the_number_of_categories():
    def height(n):
        chart = Chart(key="h", title="t", kind="hbar", categories=tuple(f"c{i}" for i in range(n)),
                      series=(Series("n", tuple(range(1, n + 1))),))
        return float(parse(render_chart(chart, rtl=False)).get("viewBox").split()[3])

    assert height(20) > 3 * height(5)


def test_flow_bands_are_as_thick_as_the_people_they_carry_and_others_are_gathered():
    flow = Flow(key="fl", title="Who learns from whom", from_label="From", to_label="To", top=2,
                links=(("Bonn", "Irbid", 12), ("Köln", "Irbid", 6), ("Bonn", "Amman", 2), ("Tunis", "Rabat", 1)))
    root = parse(render_chart(flow, rtl=False))
    bands = root.findall(".//svg:path[@class='chart-band']", NS)
    assert [b.get("data-value") for b in bands] == ["12", "6", "2", "1"]
    nodes = {r.find("svg:title", NS).text: f(r, "height") for r in root.findall(".//svg:rect[@class='chart-node']", NS)}
    assert nodes["Bonn: 14"] == pytest.approx(14 * nodes["Others: 1"], abs=0.05)
    assert nodes["Irbid: 18"] == pytest.approx(3 * nodes["Köln: 6"], abs=0.05)
    assert "Tunis" not in texts(root) and "Others" in texts(root)


def test_empty_chart_says_no_data_yet():
    chart = Chart(key="e", title="Registrations", kind="line", categories=(), series=())
    root = parse(render_chart(chart, rtl=False))
    assert texts(root, "chart-empty") == ["No data yet"]
    root = parse(render_chart(Flow(key="e", title="Flows"), rtl=True, empty_text="لا توجد بيانات بعد"))
    assert texts(root, "chart-empty") == ["لا توجد بيانات بعد"]
    zeros = Chart(key="z", title="t", kind="bar", categories=("a",), series=(Series("n", (None,)),))
    assert texts(parse(render_chart(zeros, rtl=False)), "chart-empty") == ["No data yet"]


def test_value_format_is_used_for_labels_and_ticks():
    chart = Chart(key="v", title="t", kind="bar", categories=("a", "b"), series=(Series("n", (1200, 3400)),),
                  value_format=lambda v: f"{v:,}".replace(",", "\u202f"))
    root = parse(render_chart(chart, rtl=False))
    assert "3\u202f400" in texts(root, "chart-value")
    assert "4\u202f000" in texts(root, "chart-tick")


@pytest.mark.parametrize(("low", "high", "integer", "expected"), [
    (0, 7, True, [0, 2, 4, 6, 8]),
    (0, 1, True, [0, 1]),
    (0, 95, True, [0, 25, 50, 75, 100]),
    (0, 0.9, False, [0, 0.25, 0.5, 0.75, 1]),
    (0, 1234, True, [0, 500, 1000, 1500]),
    (-3, 5, True, [-4, -2, 0, 2, 4, 6]),
])
def test_nice_ticks(low, high, integer, expected):
    assert nice_ticks(low, high, 5, integer) == expected


def test_unknown_kind_and_wrong_lengths_are_refused():
    with pytest.raises(ValueError):
        Chart(key="x", title="t", kind="pie")
    with pytest.raises(ValueError):
        Chart(key="x", title="t", categories=("a", "b"), series=(Series("n", (1,)),))


@pytest.mark.parametrize("kind", ["line", "bar", "hbar", "stacked_hbar", "funnel", "flow"])
def test_text_stays_legible_at_phone_width(kind):
    """A 400-unit view box drawn in a ~340 px phone column: 13 units are still about 11 px, 14 units 12 px."""
    if kind == "flow":
        chart = Flow(key="p", title="t", links=(("a", "b", 2), ("c", "d", 1)), from_label="From", to_label="To")
    else:
        chart = Chart(key="p", title="t", kind=kind, categories=("a", "b"), x_label="x", y_label="y",
                      series=(Series("s", (1, 2)), Series("r", (2, 2), style="solid")), markers=())
    root = parse(render_chart(chart, rtl=False))
    assert root.get("viewBox").split()[2] == str(WIDTH) == "400"
    sizes = [float(t.get("font-size")) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert sizes and min(sizes) >= 13


def _category_spans(root) -> list[tuple[float, float]]:
    """Each drawn category label's (left, right) in the viewBox, from its anchor (middle) and estimated width."""
    from app.charts.svg import SMALL, text_width

    spans = []
    for t in root.iter("{http://www.w3.org/2000/svg}text"):
        if t.get("class") == "chart-category":
            assert t.get("text-anchor") == "middle"
            label = t[-1].tail if len(t) else t.text  # the text after an optional <title>
            half = text_width(label, SMALL) / 2
            spans.append((f(t, "x") - half, f(t, "x") + half))
    return spans


@pytest.mark.parametrize("rtl", [False, True])
@pytest.mark.parametrize(("kind", "categories"), [
    ("line", tuple(f"{d} Oct 2026" for d in range(10, 30))),  # the first and last dates sit on the axis' ends
    ("bar", ("Welcome and city reports (Sun 18 Oct, 09:00)", "Site visit (Mon 19 Oct)", "Closing (Tue 20 Oct)")),
])
def test_category_labels_stay_inside_the_drawing_and_apart(kind, categories, rtl):
    chart = Chart(key="c", title="t", kind=kind, categories=categories,
                  series=(Series("n", tuple(range(1, len(categories) + 1))),))
    spans = sorted(_category_spans(parse(render_chart(chart, rtl=rtl))))
    assert spans
    assert all(0 <= left and right <= WIDTH for left, right in spans), spans
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), spans


def test_a_long_daily_line_has_no_beads_but_a_lone_point_keeps_its_dot():
    values = tuple([1] * 40 + [None, 2, None] + [3] * 5)
    chart = Chart(key="d", title="t", kind="line", categories=tuple(f"d{i}" for i in range(len(values))),
                  series=(Series("n", values),))
    root = parse(render_chart(chart, rtl=False))
    assert len(root.findall(".//svg:circle", NS)) == 1  # the 2 between two gaps, drawn by no line
    assert len(root.findall(".//svg:path[@class='chart-line']", NS)) == 2
