"""Report charts: SVG safe to inline with its text alternative, PNG for Word, same bytes twice."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from PIL import Image

from earlyhelp.reports import charts
from earlyhelp.reports.document import CHART_KINDS, Chart, Series

SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(text):
    # Our own output, drawn a line earlier: not untrusted input.
    return ET.fromstring(text)  # noqa: S314


def a_chart(kind="bar", **overrides):
    values = {
        "kind": kind,
        "title": "EHAs open at month end",
        "description": "Open EHAs rose from 10 in January to 14 in April.",
        "table_key": "open-ehas",
        "labels": ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"],
        "series": [Series("Allerdale", [10, 12, None, 14]), Series("Carlisle", [3, 4, 5, 6])],
    }
    values.update(overrides)
    return Chart(**values)


def an_spc_chart(**overrides):
    values = {
        "kind": "spc",
        "title": "EHAs started each month",
        "description": "No signal: the process is stable.",
        "table_key": "started-spc",
        "labels": [f"Month {i}" for i in range(1, 16)],
        "series": [Series("Started", [5, 6, 7, 5, 6, 7, 5, 6, 7, 5, 6, 7, 5, 6, 19])],
        "mean": 6.5,
        "upper_limit": 10.5,
        "lower_limit": 2.5,
        "signals": [{"rule": "beyond_limit", "points": [14], "explanation": "Above."}],
    }
    values.update(overrides)
    return Chart(**values)


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_every_kind_of_chart_is_an_svg_that_parses_with_its_title_and_description(kind):
    chart = an_spc_chart() if kind == "spc" else a_chart(kind)

    root = parse_svg(charts.chart_svg(chart))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.text == chart.title
    assert desc.text == chart.description
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_svg_has_no_xml_declaration_or_doctype_so_it_can_sit_inside_html():
    svg = charts.chart_svg(a_chart())

    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert "<!DOCTYPE" not in svg


def test_text_from_the_data_is_escaped_in_the_svg():
    chart = a_chart(
        title="Title <b>&",
        description="Desc <script>alert(1)</script>",
        labels=["<script>&", "b", "c", "d"],
        series=[Series("Agency <script>&", [1, 2, 3, 4]), Series("Other", [1, 1, 1, 1])],
    )

    svg = charts.chart_svg(chart)

    assert "<script" not in svg
    assert "&lt;script&gt;&amp;" in svg
    root = parse_svg(svg)  # still well-formed
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "<script>&" in texts
    assert "Agency <script>&" in texts


def test_the_same_chart_drawn_twice_gives_identical_svg_and_png():
    assert charts.chart_svg(an_spc_chart()) == charts.chart_svg(an_spc_chart())
    assert charts.chart_png(an_spc_chart()) == charts.chart_png(an_spc_chart())


def test_a_chart_with_different_numbers_is_drawn_anew_not_taken_from_the_cache():
    before = charts.chart_svg(a_chart())
    changed = a_chart(series=[Series("Allerdale", [10, 12, None, 99]), Series("C", [3, 4, 5, 6])])

    assert charts.chart_svg(changed) != before
    big = parse_svg(charts.chart_svg(a_chart("bar", series=[Series("Big", [1, 2, 3, 99])])))
    ticks = ["".join(t.itertext()) for t in big.iter(f"{SVG}text")]
    assert "90" in ticks  # the axis reaches the new largest value
    assert "90" not in ["".join(t.itertext()) for t in parse_svg(before).iter(f"{SVG}text")]


def test_svg_carries_no_date_or_creator_metadata():
    svg = charts.chart_svg(a_chart())

    assert "<metadata" not in svg
    assert "dc:date" not in svg
    assert "Matplotlib v" not in svg


def test_two_different_charts_share_no_id_so_both_can_be_on_one_page():
    first = parse_svg(charts.chart_svg(a_chart()))
    second = parse_svg(charts.chart_svg(an_spc_chart()))

    first_ids = {e.get("id") for e in first.iter() if e.get("id")}
    second_ids = {e.get("id") for e in second.iter() if e.get("id")}

    assert first_ids
    assert first_ids.isdisjoint(second_ids)


def test_every_reference_inside_the_svg_points_at_an_id_it_defines():
    svg = charts.chart_svg(an_spc_chart())
    root = parse_svg(svg)
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    referenced = set()
    for element in root.iter():
        for value in element.attrib.values():
            if value.startswith("url(#"):
                referenced.add(value[5:-1])
        href = element.get("{http://www.w3.org/1999/xlink}href") or element.get("href")
        if href and href.startswith("#"):
            referenced.add(href[1:])

    assert referenced, "an SPC chart clips its lines, so it references clip paths"
    assert referenced <= ids


def test_id_prefix_can_be_given():
    root = parse_svg(charts.chart_svg(a_chart(), id_prefix="fig-3"))

    assert root.find(f"{SVG}title").get("id") == "fig-3-title"


def test_matplotlibs_style_rule_is_scoped_to_its_own_chart():
    svg = charts.chart_svg(a_chart(), id_prefix="fig-3")

    assert "<style" in svg
    assert "#fig-3 *{" in svg
    assert ">*{" not in svg


def test_png_opens_with_pillow_at_the_expected_size():
    png = charts.chart_png(a_chart(), dpi=150)

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (1200, 675)


def test_png_size_follows_the_dpi():
    with Image.open(io.BytesIO(charts.chart_png(a_chart(), dpi=100))) as image:
        assert image.size == (800, 450)


def test_percent_chart_has_percent_ticks_from_0_to_100():
    chart = a_chart("line", percent=True, series=[Series("On time", [50.0, 75.5, 80.0, 90.0])])

    root = parse_svg(charts.chart_svg(chart))
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]

    assert "0%" in texts
    assert "100%" in texts


def test_spc_chart_shows_mean_limits_and_signals_in_its_legend():
    root = parse_svg(charts.chart_svg(an_spc_chart()))
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]

    assert {"Mean", "Process limits", "Part of a signal"} <= set(texts)


def test_spc_chart_without_signals_has_no_signal_in_its_legend():
    root = parse_svg(charts.chart_svg(an_spc_chart(signals=[])))
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]

    assert "Part of a signal" not in texts


def test_unknown_kind_of_chart_is_refused():
    with pytest.raises(ValueError, match="Unknown chart kind"):
        charts.chart_svg(a_chart("pie"))


def test_template_tag_inlines_the_svg_unescaped():
    html = Template("{% load report_charts %}{% chart_svg chart %}").render(
        Context({"chart": a_chart()})
    )

    assert html.startswith("<svg")
    assert "&lt;svg" not in html


def _axis_labels(chart):
    """The words drawn on the chart other than its month (x axis) labels: the y axis' ticks."""
    texts = [t.text for t in parse_svg(charts.chart_svg(chart)).iter(f"{SVG}text")]
    return [text for text in texts if text not in chart.labels]


@pytest.mark.parametrize("kind", ["bar", "stacked_bar", "line"])
@pytest.mark.parametrize("values", [[0, 0, 0, 0], [0, None, 0, None], [None] * 4])
def test_a_count_chart_with_nothing_to_count_has_a_zero_to_one_axis_in_whole_numbers(kind, values):
    chart = a_chart(kind, series=[Series("Escalations", values)])
    assert _axis_labels(chart) == ["0", "1"]


def test_a_count_chart_with_counts_keeps_its_whole_number_axis_from_zero():
    labels = _axis_labels(a_chart("bar", series=[Series("Escalations", [0, 3, 7, 2])]))
    assert labels[0] == "0"
    assert all(label.isdigit() for label in labels)
    assert int(labels[-1]) >= 7


def test_a_percentage_chart_with_nothing_in_it_still_runs_from_0_to_100_per_cent():
    labels = _axis_labels(a_chart("bar", series=[Series("Met", [0, 0, 0, 0])], percent=True))
    assert labels[0] == "0%"
    assert labels[-1] == "100%"
