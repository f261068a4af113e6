"""Server-side SVG charts: geometry computed here, drawn by templates (one path for web and PDF).

No JavaScript and no chart library: a bar chart is a handful of rectangles, and computing them
in Python keeps the markup testable and the page readable without scripts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT = 360, 170
TOP, BOTTOM, LEFT, RIGHT = 12, 34, 34, 8
MARKER = 6  # height of the stub drawn for a quarter without training, so the gap is seen


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    y: float
    width: float
    height: float
    value: str  # what the bar says in words, also its accessible name
    state: str  # trained / gap / open / future: the CSS class that colours it

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    grid: list[tuple[float, str]]  # (y, label) of the horizontal guide lines
    summary: str  # one sentence for screen readers

    @property
    def label_y(self) -> float:
        return self.baseline + 16

    @property
    def value_y(self) -> float:
        return self.baseline + 29


def _describe(quarter: Any) -> str:
    if quarter.state == "trained":
        rate = quarter.completion_rate
        sessions = len(quarter.sessions)
        done = f"{rate:.0%} completed" if rate is not None else "completion not recorded"
        return f"{sessions} session{'s' if sessions != 1 else ''}, {done}"
    return {"gap": "no training", "open": "none yet", "future": "not started"}[quarter.state]


def training_chart(quarters: Sequence[Any]) -> BarChart:
    """Completion rate per quarter; a quarter that ended without training shows as a red stub."""
    plot = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(quarters), 1)
    bars = []
    for index, quarter in enumerate(quarters):
        rate = quarter.completion_rate if quarter.state == "trained" else None
        height = plot * rate if rate is not None else (MARKER if quarter.state == "gap" else 0)
        if quarter.state == "trained" and rate is None:
            height = MARKER  # a session without numbers still counts as trained
        bars.append(
            Bar(
                label=quarter.label.split()[0],
                x=round(LEFT + index * slot + slot * 0.2, 1),
                y=round(TOP + plot - height, 1),
                width=round(slot * 0.6, 1),
                height=round(height, 1),
                value=_describe(quarter),
                state=quarter.state,
            )
        )
    grid = [(round(TOP + plot * (1 - share), 1), f"{share:.0%}") for share in (0, 0.5, 1)]
    summary = "; ".join(f"{q.label}: {bar.value}" for q, bar in zip(quarters, bars, strict=True))
    return BarChart(WIDTH, HEIGHT, TOP + plot, bars, grid, summary)
