"""The loss exceedance curve as server-side SVG geometry (drawn by `risks/_loss_curve.html`).

Loss runs on a log scale (cyber losses span decades), probability on a linear one; the
materiality threshold is a vertical line. As with the dashboard's charts, the geometry is
computed here so the markup is testable and readable without scripts, on pages and in PDFs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

WIDTH, HEIGHT = 520, 260
TOP, BOTTOM, LEFT, RIGHT = 14, 40, 46, 14
PROBABILITY_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)
SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))

Curve = Sequence[Sequence[float]]  # (loss, probability that the annual loss exceeds it)


def money(value: Any, currency: str = "") -> str:
    """A loss in words a board reads: 1.2M, 350K, 800 (with the currency code when given)."""
    if value is None:
        return "—"
    amount = float(value)
    text = f"{amount:,.0f}"
    for size, suffix in SUFFIXES:
        if abs(amount) >= size:
            scaled = amount / size
            # Three significant figures at most: 1.2M, 12.5M, 615K.
            text = (f"{scaled:.0f}" if abs(scaled) >= 100 else f"{scaled:.1f}").removesuffix(".0")
            text += suffix
            break
    return f"{currency} {text}".strip()


def percent(value: float | None) -> str:
    if value is None:
        return "—"
    if 0 < value < 0.001:
        return "<0.1%"
    return f"{value:.1%}".replace(".0%", "%")


def exceedance_at(curve: Curve, loss: float) -> float:
    """P(annual loss > `loss`) read off a curve, interpolated in log-loss between its points."""
    points = [(float(x), float(p)) for x, p in curve]
    if not points:
        return 0.0
    if loss <= points[0][0]:
        return points[0][1]
    for (x0, p0), (x1, p1) in pairwise(points):
        if x0 <= loss <= x1:
            if x1 <= 0 or x0 <= 0 or x1 == x0:
                return p1
            share = (math.log10(loss) - math.log10(x0)) / (math.log10(x1) - math.log10(x0))
            return p0 + (p1 - p0) * share
    return 0.0  # beyond the largest simulated loss


@dataclass(frozen=True)
class Line:
    name: str  # inherent / residual: the CSS class that colours it
    label: str
    points: str  # an SVG polyline's points attribute
    legend_y: float  # the legend entry, top right of the plot

    @property
    def legend_x(self) -> float:
        return WIDTH - RIGHT - 90

    @property
    def legend_x2(self) -> float:
        return self.legend_x + 18

    @property
    def legend_text_x(self) -> float:
        return self.legend_x + 22


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class LossCurveChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    threshold_x: float | None
    threshold_label: str
    summary: str  # the <desc>: what the chart shows in one or two sentences
    table: list[tuple[str, str, str]]  # (loss, inherent, residual) for the data-table fallback

    @property
    def x_label_y(self) -> float:
        return self.bottom + 16

    @property
    def y_label_x(self) -> float:
        return self.left - 6

    @property
    def centre_x(self) -> float:
        return round((self.left + self.right) / 2, 1)

    @property
    def centre_y(self) -> float:
        return round((self.top + self.bottom) / 2, 1)

    @property
    def axis_title_y(self) -> float:
        return self.bottom + 33


def _positive(curve: Curve | None) -> list[tuple[float, float]]:
    return [(float(x), float(p)) for x, p in (curve or []) if float(x) > 0]


def _decades(curves: list[list[tuple[float, float]]], threshold: float | None) -> tuple[int, int]:
    losses = [x for curve in curves for x, _ in curve]
    if threshold:
        losses.append(threshold)
    if not losses:
        return 3, 6
    low = math.floor(math.log10(min(losses)))
    high = math.ceil(math.log10(max(losses)))
    return low, max(high, low + 1)


def loss_curve_chart(
    inherent: Curve | None,
    residual: Curve | None,
    threshold: float | None = None,
    currency: str = "",
) -> LossCurveChart:
    """Inherent and residual exceedance curves on shared axes, the threshold marked."""
    curves = {"inherent": _positive(inherent), "residual": _positive(residual)}
    low, high = _decades([c for c in curves.values() if c], threshold)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(loss: float) -> float:
        share = (math.log10(loss) - low) / (high - low)
        return round(LEFT + plot_w * min(max(share, 0.0), 1.0), 1)

    def y_of(probability: float) -> float:
        return round(TOP + plot_h * (1 - min(max(probability, 0.0), 1.0)), 1)

    drawn = [(name, points) for name, points in curves.items() if points]
    lines = [
        Line(
            name,
            name.capitalize(),
            " ".join(f"{x_of(x)},{y_of(p)}" for x, p in points),
            legend_y=TOP + 10 + 14 * index,
        )
        for index, (name, points) in enumerate(drawn)
    ]
    step = max(1, math.ceil((high - low) / 6))  # at most about six labelled decades
    x_ticks = [Tick(x_of(10.0**d), money(10.0**d)) for d in range(low, high + 1, step)]
    y_ticks = [Tick(y_of(p), percent(p)) for p in PROBABILITY_TICKS]
    shown = threshold if threshold and threshold > 0 else None
    return LossCurveChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=TOP + plot_h,
        lines=lines,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        threshold_x=x_of(shown) if shown else None,
        threshold_label=f"Materiality threshold {money(shown, currency)}" if shown else "",
        summary=_summary(curves, shown, currency),
        table=_table(curves, low, high, shown, currency),
    )


def _summary(
    curves: dict[str, list[tuple[float, float]]], threshold: float | None, cur: str
) -> str:
    if not any(curves.values()):
        return "No simulated loss to draw."
    text = "Probability that the annual loss exceeds each amount, on a logarithmic loss axis"
    if threshold is None:
        return text + "."
    parts = [
        f"{name} {percent(exceedance_at(points, threshold))}"
        for name, points in curves.items()
        if points
    ]
    return (
        f"{text}. Above the materiality threshold of {money(threshold, cur)}: {', '.join(parts)}."
    )


def _table(
    curves: dict[str, list[tuple[float, float]]],
    low: int,
    high: int,
    threshold: float | None,
    currency: str,
) -> list[tuple[str, str, str]]:
    losses = sorted({10.0**d for d in range(low, high + 1)} | ({threshold} if threshold else set()))

    def read(name: str, loss: float) -> str:
        return percent(exceedance_at(curves[name], loss)) if curves[name] else "—"

    return [(money(x, currency), read("inherent", x), read("residual", x)) for x in losses]
