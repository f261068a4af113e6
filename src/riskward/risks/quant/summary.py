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

from riskward.risks.quant.tables import gather

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


def _lerp(a: float, b: float, t: float) -> float:
    """numpy's quantile interpolation, so results match np.quantile(..., method="linear")."""
    diff = b - a
    return b - diff * (1.0 - t) if t >= 0.5 else a + diff * t


class _Ranked:
    """Counts per bucket, plus the sorted contents of the buckets asked for.

    Bucket 0 holds the zeros; bucket b > 0 holds the float64s whose top bits read
    `lowest + b`, where `lowest + 1` is the smallest loss's, so the arrays span only the
    buckets between the smallest and the largest loss (a few thousand, not 2^17).
    """

    def __init__(self, losses: F64, zeros: int, ranks: list[int], values: list[float]) -> None:
        self.n, self.losses = losses.size + zeros, losses
        keys: I64 = losses.view(np.int64) >> _SHIFT
        # A zero's key is 0: one less, read unsigned, is the largest, so it never wins the min
        # (and all zeros leave the largest: 2^64 - 1, as no positive loss reads).
        below_smallest = int((keys.view(np.uint64) - np.uint64(1)).min()) if keys.size else 0
        self.lowest = below_smallest if below_smallest < 1 << 62 else 0
        if self.lowest:
            keys -= self.lowest
            np.maximum(keys, 0, out=keys)  # the zeros again
        self.counts = np.bincount(keys, minlength=1)
        self.counts[0] += zeros
        self.below = np.cumsum(self.counts)  # below[k]: losses in buckets <= k
        wanted = {int(b) for b in np.searchsorted(self.below, ranks, side="right")}
        wanted |= {self.bucket(v) for v in values}
        wanted = {b for b in wanted if 0 < b < self.counts.size}  # bucket 0 holds only zeros
        chosen = np.zeros(self.counts.size, dtype=bool)
        chosen[sorted(wanted)] = True
        self.chosen = chosen
        self.picked = np.sort(gather(losses, gather(chosen, keys).nonzero()[0]))
        sizes = self.counts * chosen
        self.offset = np.cumsum(sizes) - sizes  # where each chosen bucket starts in `picked`

    def bucket(self, value: float) -> int:
        """The bucket `value` falls in (0 for anything below the smallest loss)."""
        if value <= 0:
            return 0
        key = int(np.array([value], dtype=np.float64).view(np.int64)[0]) >> _SHIFT
        return max(key - self.lowest, 0)

    def buckets(self, values: F64) -> I64:
        """`bucket` of each of `values` (all positive)."""
        keys: I64 = (values.view(np.int64) >> _SHIFT) - self.lowest
        return np.maximum(keys, 0)

    def floors(self, buckets: I64) -> F64:
        """The smallest float64 of each of `buckets` (all > 0)."""
        floors: F64 = ((buckets + self.lowest) << _SHIFT).view(np.float64)
        return floors

    def total(self) -> float:
        return float(self.losses.sum())

    def shortfall(self, var: float) -> float:
        """Mean of the losses at or above `var` (every year's, the loss-free too, if var is 0).

        Summed directly: a sum per bucket would cost a weighted count of every loss (twice
        this), for the one figure that needs it. A product with the mask, not np.where or
        sum(where=), which cost two and nine times as much."""
        if var <= 0:
            return self.total() / self.n
        at_or_above = self.losses >= var
        count = int(np.count_nonzero(at_or_above))
        return float((self.losses * at_or_above).sum()) / count

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
        bucket = self.bucket(value)
        if bucket >= self.counts.size:
            return 0
        above = self.n - int(self.below[bucket])
        if bucket == 0 or not self.chosen[bucket]:
            return above  # an unchosen bucket here is empty (see _Ranked's callers)
        inside = self._inside(bucket)
        return above + inside.size - int(np.searchsorted(inside, value, side="right"))


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
        low = max(float(ranked.floors(np.array([start]))[0]), top * 10.0**-CURVE_DECADES)
        keys = np.unique(ranked.buckets(np.geomspace(low, top, CURVE_POINTS)))
        keys = keys[(keys > 0) & (keys < ranked.counts.size)]
        # The float just below each bucket's floor: P(loss > it) is exactly a count.
        values = np.nextafter(ranked.floors(keys), 0.0)
        exceed = (n - ranked.below.take(keys - 1)) / n
        points.update(zip(values.tolist(), exceed.tolist(), strict=True))
        points[top] = 0.0
    return tuple(sorted(points.items()))
