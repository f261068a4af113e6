"""Quantile and CDF tables, uniforms and normal quantiles: what the fast samplers stand on.

numpy's exact beta sampler costs ~100 ns a draw; a PERT (or triangular, or lognormal) draw here
is one 16-bit random index into a table of 65,536 quantiles taken at the cells' midpoints, a
few ns. The table's distribution is within about 1e-5 of the exact one everywhere (Kolmogorov
distance), a hundred times finer than the Monte Carlo noise of a million draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
A = TypeVar("A", bound=npt.NDArray[Any])

TABLE_BITS = 16
TABLE_SIZE = 1 << TABLE_BITS  # quantiles per table: one per 16-bit random index
GRID_CELLS = 1 << 13  # cells of the density grid integrated into the CDF
_WITHIN_BITS = 4  # a PERT table fills the gap between two knots with 2^4 entries
_KNOTS = TABLE_SIZE >> _WITHIN_BITS  # quantile knots (plus the last, at probability 1)
_ENDS = 256  # table entries at each end inverted exactly rather than filled in
_KNOT_U = np.linspace(0.0, 1.0, _KNOTS + 1)
_WITHIN32 = ((np.arange(1 << _WITHIN_BITS) + 0.5) / (1 << _WITHIN_BITS)).astype(np.float32)
_END_INDEX = np.r_[0:_ENDS, TABLE_SIZE - _ENDS : TABLE_SIZE]
_END_GAP = TABLE_SIZE - 2 * _ENDS  # an upper end entry's index minus its place in `ends`
_NORMAL_Z = 9.0  # the normal CDF table covers [-9, 9]; beyond it is 0 or 1 in float64
_NORMAL_CELLS = 1 << 14


def gather(values: A, index: npt.NDArray[Any]) -> A:
    """values[index] for indices in range by construction (table entries, positions found by
    nonzero). numpy's default take checks every index's bounds, which costs two to three
    times as much as mode="wrap"; on indices in range the two are the same."""
    return cast(A, values.take(index, mode="wrap"))


@lru_cache(maxsize=1)
def midpoints() -> F64:
    """The probabilities (i + 0.5) / TABLE_SIZE at which every table is taken."""
    u = (np.arange(TABLE_SIZE, dtype=np.float64) + 0.5) / TABLE_SIZE
    u.setflags(write=False)
    return u


@lru_cache(maxsize=1)
def _unit_grid() -> F64:
    grid = np.linspace(0.0, 1.0, GRID_CELLS + 1)
    grid.setflags(write=False)
    return grid


@lru_cache(maxsize=1)
def _log_grid() -> tuple[F64, F64]:
    """log(x) and log(1 - x) at the interior points of the density grid."""
    x = np.linspace(0.0, 1.0, 2 * GRID_CELLS + 1)[1:-1]
    return np.log(x), np.log1p(-x)


@lru_cache(maxsize=32)
def beta_cdf_grid(alpha: float, beta: float) -> F64:
    """CDF of Beta(alpha, beta) at x = j / GRID_CELLS, by Simpson's rule on each cell.

    The density is normalised numerically, so no beta function (and no scipy) is needed.
    PERT keeps alpha and beta >= 1, so the density is finite at both ends.
    """
    log_x, log_1mx = _log_grid()
    log_pdf = (alpha - 1.0) * log_x + (beta - 1.0) * log_1mx
    top = float(log_pdf.max())
    pdf = np.empty(log_pdf.size + 2)
    pdf[1:-1] = np.exp((log_pdf - top).astype(np.float32))  # float32: ample for a table
    pdf[0] = math.exp(-top) if alpha == 1.0 else 0.0  # x^0 at x = 0 is 1
    pdf[-1] = math.exp(-top) if beta == 1.0 else 0.0
    masses = (pdf[0:-2:2] + 4.0 * pdf[1:-1:2] + pdf[2::2]) / 6.0
    cdf = np.concatenate(([0.0], np.cumsum(masses)))
    cdf /= cdf[-1]
    cdf.setflags(write=False)
    return cdf


@dataclass(frozen=True)
class Knots:
    """A quantile table in brief: its values at 4,097 knots and its first and last _ENDS
    entries, 18 KB in place of the table's 256 KB, so many can be kept.

    Entry i of the table is knot i >> 4 plus the way to the next knot at the midpoint of its
    16th; `table` and `at` do the same float32 arithmetic, so they agree bit for bit.
    """

    values: F32  # the quantile at each knot probability (_KNOT_U)
    ends: F32  # entries 0.._ENDS-1 and TABLE_SIZE-_ENDS.., inverted exactly

    def table(self) -> F32:
        """All TABLE_SIZE entries."""
        base, step = self.values[:-1], self.values[1:] - self.values[:-1]
        filled = np.multiply(step[:, None], _WITHIN32[None, :])
        filled += base[:, None]
        out: F32 = filled.ravel()
        out[_END_INDEX] = self.ends
        return out

    def at(self, index: npt.NDArray[np.integer[Any]]) -> F32:
        """The entries at `index` alone, as `table()[index]`, without building the table."""
        knot = (index >> _WITHIN_BITS).astype(np.intp)
        base = gather(self.values, knot)
        out: F32 = gather(self.values, knot + 1) - base
        out *= gather(_WITHIN32, index & (_WITHIN32.size - 1))
        out += base
        edge = ((index < _ENDS) | (index >= TABLE_SIZE - _ENDS)).nonzero()[0]
        if edge.size:
            entry = gather(index, edge).astype(np.intp)
            out[edge] = gather(self.ends, np.where(entry < _ENDS, entry, entry - _END_GAP))
        return out


def beta_knots(alpha: float, beta: float, low: float = 0.0, span: float = 1.0) -> Knots:
    """The quantile table of low + span * Beta(alpha, beta), in brief: 4,097 knots inverted
    linearly from the CDF grid, and the first and last _ENDS entries, where the quantile
    function bends hardest, inverted one by one (one np.interp per entry would cost four
    times as much)."""
    cdf = beta_cdf_grid(alpha, beta)  # never falls, as np.interp needs
    knots = np.interp(_KNOT_U, cdf, _unit_grid())
    ends = np.interp(midpoints()[_END_INDEX], cdf, _unit_grid())
    return Knots((low + span * knots).astype(np.float32), (low + span * ends).astype(np.float32))


def triangular_quantiles(low: float, mode: float, high: float, u: F64 | None = None) -> F64:
    """Quantiles of the triangular distribution at `u` (closed form; `midpoints()` if None)."""
    u = midpoints() if u is None else u
    span = high - low
    split = (mode - low) / span
    left = low + np.sqrt(u * span * (mode - low))
    right = high - np.sqrt((1.0 - u) * span * (high - mode))
    table: F64 = np.where(u < split, left, right)
    return table


def lerp_cdf(cdf: F64, position: F32 | F64) -> F64:
    """A CDF tabulated at 0..len-1 evaluated at fractional grid positions (clipped to the grid)."""
    cells = cdf.size - 1
    pos = np.clip(np.asarray(position, dtype=np.float64), 0.0, float(cells))
    j = np.minimum(pos.astype(np.intp), cells - 1)
    frac = pos - j
    values: F64 = cdf[j] + frac * (cdf[j + 1] - cdf[j])
    return values


@lru_cache(maxsize=1)
def normal_cdf_grid() -> F64:
    """Standard normal CDF at z = -9 .. 9 in _NORMAL_CELLS cells (math.erf, once)."""
    z = np.linspace(-_NORMAL_Z, _NORMAL_Z, _NORMAL_CELLS + 1)
    cdf = np.array([0.5 * math.erfc(-v / math.sqrt(2.0)) for v in z])
    cdf.setflags(write=False)
    return cdf


def normal_cdf(z: F64) -> F64:
    """Standard normal CDF by linear interpolation in a fine table (error < 1e-8)."""
    position = (z + _NORMAL_Z) * (_NORMAL_CELLS / (2.0 * _NORMAL_Z))
    return lerp_cdf(normal_cdf_grid(), position)


# Uniforms and normal quantiles ----------------------------------------------------------------

TAIL_BITS = 8  # the top 2^-8 of a lognormal is drawn exactly instead of from its table
TAIL_START = TABLE_SIZE - (TABLE_SIZE >> TAIL_BITS)  # first table index of that tail
_SHIFT8 = np.int32(8)
_HALF24 = np.float32(1 << 23)
_UNIT24 = np.float32(2.0**-24)


def uniforms(gen: np.random.Generator, n: int, at: npt.NDArray[np.intp] | None = None) -> F32:
    """`n` uniforms in [0, 1) with 24 random bits, float32: half the cost of gen.random
    (only those at positions `at` are made, though all `n` are drawn).

    The top 24 bits of each 32-bit half of the raw output become an exact float32.
    """
    bits = gen.bit_generator.random_raw((n + 1) // 2).view(np.int32)[:n]
    if at is not None:
        bits = gather(bits, at)
    bits >>= _SHIFT8
    out = bits.astype(np.float32)
    out += _HALF24
    out *= _UNIT24
    return out


# Acklam's rational approximation of the normal quantile (relative error below 1.2e-9).
_A = (
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.3577518672690,
    -30.66479806614716,
    2.506628277459239,
)
_B = (
    -54.47609879822406,
    161.5858368580409,
    -155.6989798598866,
    66.80131188771972,
    -13.28068155288572,
)
_C = (
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
)
_D = (0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416)
_P_LOW = 0.02425


def _horner(coefficients: tuple[float, ...], x: F64) -> F64:
    out = np.full_like(x, coefficients[0])
    for c in coefficients[1:]:
        out = out * x + c
    return out


def upper_normal_quantile(tail: F64) -> F64:
    """z with P(Z > z) = tail, for tail <= 0.02425 (no cancellation near z = +inf)."""
    q = np.sqrt(-2.0 * np.log(tail))
    return -_horner(_C, q) / (_horner(_D, q) * q + 1.0)


def normal_quantile(p: F64) -> F64:
    """The standard normal quantile of each p in (0, 1)."""
    out = np.empty_like(p)
    low, high = p < _P_LOW, p > 1.0 - _P_LOW
    mid = ~(low | high)
    q = p[mid] - 0.5
    r = q * q
    out[mid] = _horner(_A, r) * q / (_horner(_B, r) * r + 1.0)
    out[low] = -upper_normal_quantile(p[low])
    out[high] = upper_normal_quantile(1.0 - p[high])
    return out


@lru_cache(maxsize=1)
def normal_quantiles32() -> F32:
    """Standard normal quantiles at `midpoints()`: every lognormal table is exp(mu + sigma z)."""
    z = normal_quantile(midpoints()).astype(np.float32)
    z.setflags(write=False)
    return z
