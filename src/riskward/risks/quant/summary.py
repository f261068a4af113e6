"""What a board reads from a million simulated years: mean, percentiles, VaR, expected
shortfall, the loss exceedance curve and the chance of passing the materiality threshold.

Exact order statistics without a sort: a float64's bits, read as an integer, grow with its
value, so the top 17 bits (exponent and 6 mantissa bits) bucket the losses into 1.6%-wide
bins in one counting pass. Only the few buckets holding a wanted rank are sorted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
QUANTILES = (0.5, 0.9, 0.95, 0.99)
CURVE_POINTS = 48  # log-spaced points of the loss exceedance curve
CURVE_DECADES = 6  # the curve starts at most this many decades below the largest loss
_SHIFT = 46  # 64 - 1 sign - 11 exponent - 6 mantissa bits: buckets 1.6% wide


@dataclass(frozen=True)
class LossSummary:
    """Annual loss over the simulated years; `curve` holds (loss, P(annual loss > loss))."""

    mean: float
    p50: float
    p90: float
    p95: float
    p99: float
    var: float
    expected_shortfall: float
    p_exceed_threshold: float | None
    curve: tuple[tuple[float, float], ...]
    max: float
    iterations: int
    var_level: float = 0.95
    threshold: float | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["curve"] = [list(point) for point in self.curve]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LossSummary:
        values = dict(data)
        values["curve"] = tuple((float(v), float(p)) for v, p in values.get("curve", ()))
        return cls(**values)


def _key(value: float) -> int:
    return int(np.array([value], dtype=np.float64).view(np.int64)[0]) >> _SHIFT


def _bucket_floor(key: int) -> float:
    """The smallest float64 in bucket `key`."""
    return float(np.array([key << _SHIFT], dtype=np.int64).view(np.float64)[0])


def _lerp(a: float, b: float, t: float) -> float:
    """numpy's quantile interpolation, so results match np.quantile(..., method="linear")."""
    diff = b - a
    return b - diff * (1.0 - t) if t >= 0.5 else a + diff * t


class _Ranked:
    """Counts and sums per bucket, plus the sorted contents of the buckets asked for."""

    def __init__(self, losses: F64, zeros: int, ranks: list[int], values: list[float]) -> None:
        self.n = losses.size + zeros
        keys: I64 = losses.view(np.int64) >> _SHIFT
        self.counts = np.bincount(keys, minlength=1)
        self.sums = np.bincount(keys, weights=losses, minlength=1)
        self.counts[0] += zeros
        self.below = np.cumsum(self.counts)  # below[k]: losses in buckets <= k
        wanted = {int(b) for b in np.searchsorted(self.below, ranks, side="right")}
        wanted |= {_key(v) for v in values if v > 0}
        wanted = {b for b in wanted if 0 < b < self.counts.size}  # bucket 0 holds only zeros
        chosen = np.zeros(self.counts.size, dtype=bool)
        chosen[sorted(wanted)] = True
        self.chosen = chosen
        self.picked = np.sort(losses.take(np.flatnonzero(chosen[keys])))
        sizes = np.where(chosen, self.counts, 0)
        self.offset = np.cumsum(sizes) - sizes  # where each chosen bucket starts in `picked`

    def total(self) -> float:
        return float(self.sums.sum())

    def shortfall(self, var: float) -> float:
        """Mean of the losses at or above `var` (every year's, the loss-free too, if var is 0)."""
        if var <= 0:
            return self.total() / self.n
        bucket = _key(var)
        count = self.n - int(self.below[bucket])
        total = float(self.sums[bucket + 1 :].sum())
        if self.chosen[bucket]:  # an unchosen bucket here is empty: var lies between ranks
            inside = self._inside(bucket)
            tail = inside[np.searchsorted(inside, var, side="left") :]
            count, total = count + tail.size, total + float(tail.sum())
        return total / count

    def _inside(self, bucket: int) -> F64:
        start = int(self.offset[bucket])
        inside: F64 = self.picked[start : start + int(self.counts[bucket])]
        return inside

    def order_stat(self, rank: int) -> float:
        """The rank-th smallest loss (0-based)."""
        bucket = int(np.searchsorted(self.below, rank, side="right"))
        if bucket == 0:
            return 0.0
        start = int(self.below[bucket] - self.counts[bucket])
        return float(self.picked[int(self.offset[bucket]) + rank - start])

    def count_above(self, value: float) -> int:
        """How many losses exceed `value`, exactly."""
        bucket = _key(value) if value > 0 else 0
        if bucket >= self.counts.size:
            return 0
        above = self.n - int(self.below[bucket])
        if bucket == 0 or not self.chosen[bucket]:
            return above  # an unchosen bucket here is empty (see _Ranked's callers)
        inside = self._inside(bucket)
        return above + inside.size - int(np.searchsorted(inside, value, side="right"))

    def exceed_at_floor(self, bucket: int) -> float:
        """P(loss > the float just below bucket's floor) = P(loss >= floor), from counts."""
        return float(self.n - int(self.below[bucket - 1])) / self.n


def _quantile_ranks(n: int, level: float) -> tuple[int, int, float]:
    virtual = (n - 1) * level
    low = min(max(math.floor(virtual), 0), n - 1)
    return low, min(low + 1, n - 1), virtual - low


def summarize(
    losses: F64 | Sequence[F64],
    *,
    zeros: int = 0,
    var_level: float = 0.95,
    threshold: float | None = None,
) -> LossSummary:
    """Summary of annual losses (non-negative float64, one array or chunks of one), plus
    `zeros` more years of no loss."""
    array = losses if isinstance(losses, np.ndarray) else _joined(losses)
    n = int(array.size) + zeros
    levels = (*QUANTILES, var_level)
    ranks3 = [_quantile_ranks(n, q) for q in levels]
    ranks = [r for low, high, _ in ranks3 for r in (low, high)] + [n - 1]
    ranked = _Ranked(array, zeros, ranks, [threshold] if threshold is not None else [])
    values = [
        _lerp(ranked.order_stat(low), ranked.order_stat(high), gamma) for low, high, gamma in ranks3
    ]
    top = ranked.order_stat(n - 1)
    var = values[-1]
    p_exceed = None if threshold is None else ranked.count_above(threshold) / n
    marks = [*values, *([threshold] if threshold is not None else [])]
    return LossSummary(
        mean=ranked.total() / n,
        p50=values[0],
        p90=values[1],
        p95=values[2],
        p99=values[3],
        var=var,
        expected_shortfall=ranked.shortfall(var),
        p_exceed_threshold=p_exceed,
        curve=_curve(ranked, top, marks),
        max=top,
        iterations=n,
        var_level=var_level,
        threshold=threshold,
    )


def _joined(chunks: Sequence[F64]) -> F64:
    # One array beats many: a count per bucket of each chunk costs more than the copy.
    return np.concatenate(list(chunks)) if len(chunks) else np.zeros(0)


def _curve(ranked: _Ranked, top: float, marks: list[float]) -> tuple[tuple[float, float], ...]:
    """Exceedance on a log-spaced grid from the 1st percentile of the non-zero losses (at most
    CURVE_DECADES below the largest) to the largest, plus exact points at the marks given."""
    n = ranked.n
    points: dict[float, float] = {v: ranked.count_above(v) / n for v in marks}
    zeros = int(ranked.counts[0])
    if zeros < n and top > 0:
        start = int(np.searchsorted(ranked.below, zeros + (n - zeros) // 100, side="right"))
        low = max(_bucket_floor(start), top * 10.0**-CURVE_DECADES)
        grid = np.geomspace(low, top, CURVE_POINTS).view(np.int64) >> _SHIFT
        for key in np.unique(grid).tolist():
            if 0 < key < ranked.counts.size:
                # The float just below the bucket's floor: P(loss > it) is exactly a count.
                value = float(np.nextafter(_bucket_floor(key), 0.0))
                points[value] = ranked.exceed_at_floor(key)
        points[top] = 0.0
    return tuple(sorted(points.items()))
