"""The loss exceedance curve: log-scale geometry, the threshold line, well-formed accessible SVG."""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.template.loader import render_to_string
from lxml import etree

from riskward.risks.quant_charts import exceedance_at, loss_curve_chart, money, percent

SVG = "{http://www.w3.org/2000/svg}"
INHERENT = [(1_000, 0.9), (10_000, 0.6), (100_000, 0.3), (1_000_000, 0.05), (10_000_000, 0.0)]
RESIDUAL = [(1_000, 0.7), (10_000, 0.4), (100_000, 0.1), (1_000_000, 0.01), (5_000_000, 0.0)]


def render(chart):
    html = render_to_string(
        "risks/_loss_curve.html",
        {"chart": chart, "chart_id": "c1", "title": "Loss exceedance curve", "currency": "USD"},
    )
    start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(html[start:end].encode(), parser), html


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "—"), (800, "800"), (350_000, "350K"), (1_250_000, "1.2M"), (5e9, "5B")],
)
def test_money_reads_like_a_board_pack(value, text):
    assert money(value) == text
    assert money(value, "USD") == (f"USD {text}" if value is not None else "—")


def test_percent_shows_tiny_probabilities_as_such():
    assert (percent(0.25), percent(0.0004), percent(0), percent(None)) == (
        "25%",
        "<0.1%",
        "0%",
        "—",
    )


def test_exceedance_is_read_off_the_curve_in_log_loss():
    assert exceedance_at(INHERENT, 10_000) == 0.6
    assert exceedance_at(INHERENT, 10**4.5) == pytest.approx(0.45)  # halfway in log space
    assert exceedance_at(INHERENT, 500) == 0.9
    assert exceedance_at(INHERENT, 50_000_000) == 0.0


def test_the_loss_axis_is_logarithmic_and_the_curves_fall():
    chart = loss_curve_chart(INHERENT, RESIDUAL, 5_000_000, "USD")
    positions = [tick.position for tick in chart.x_ticks]
    gaps = {round(b - a, 1) for a, b in pairwise(positions)}
    assert len(gaps) == 1  # each decade as wide as the next
    assert [t.label for t in chart.x_ticks] == ["1K", "10K", "100K", "1M", "10M"]
    for line in chart.lines:
        ys = [float(point.split(",")[1]) for point in line.points.split()]
        assert ys == sorted(ys)  # lower probability is further down the page
    assert chart.x_ticks[3].position < chart.threshold_x < chart.x_ticks[4].position


def test_the_svg_is_well_formed_and_accessible_with_the_threshold():
    svg, html = render(loss_curve_chart(INHERENT, RESIDUAL, 5_000_000, "USD"))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == "Loss exceedance curve"
    desc = svg.find(f"{SVG}desc").text
    assert "materiality threshold of USD 5M: inherent 1.5%, residual 0%" in desc
    threshold = svg.findall(f"{SVG}line[@class='threshold']")
    assert len(threshold) == 1 and threshold[0].find(f"{SVG}title").text.endswith("USD 5M")
    assert len(svg.findall(f"{SVG}polyline")) == 2
    assert '<th scope="row">USD 5M</th><td>1.5%</td><td>0%</td>' in html  # the table fallback


def test_no_threshold_no_line():
    svg, _ = render(loss_curve_chart(INHERENT, RESIDUAL, None, "USD"))
    assert svg.findall(f"{SVG}line[@class='threshold']") == []
    assert "threshold" not in svg.find(f"{SVG}desc").text


def test_a_run_without_loss_still_draws_axes():
    svg, _ = render(loss_curve_chart([(0, 0.0)], [(0, 0.0)], 1_000_000, "USD"))
    assert svg.findall(f"{SVG}polyline") == []
    assert svg.find(f"{SVG}desc").text == "No simulated loss to draw."
