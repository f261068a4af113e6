"""Inverse-CDF and CDF tables: the fast samplers behind PERT and triangular estimates.

Drawing from numpy's exact beta sampler costs ~100 ns a draw; a PERT draw here is one 16-bit
random index into a table of 65,536 quantiles (taken at the cells' midpoints), a few ns. The
table's distribution is within 1/131,072 of the exact one everywhere (Kolmogorov distance),
fifty times finer than the Monte Carlo noise of a million draws.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]

TABLE_BITS = 16
TABLE_SIZE = 1 << TABLE_BITS  # quantiles per table: one per 16-bit random index
GRID_CELLS = 1 << 13  # cells of the density grid integrated into the CDF
_NORMAL_Z = 9.0  # the normal CDF table covers [-9, 9]; beyond it is 0 or 1 in float64
_NORMAL_CELLS = 1 << 14


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


@lru_cache(maxsize=64)
def beta_cdf_grid(alpha: float, beta: float) -> F64:
    """CDF of Beta(alpha, beta) at x = j / GRID_CELLS, by Simpson's rule on each cell.

    The density is normalised numerically, so no beta function (and no scipy) is needed.
    PERT keeps alpha and beta >= 1, so the density is finite at both ends.
    """
    log_x, log_1mx = _log_grid()
    log_pdf = (alpha - 1.0) * log_x + (beta - 1.0) * log_1mx
    top = float(log_pdf.max())
    pdf = np.empty(log_pdf.size + 2)
    pdf[1:-1] = np.exp(log_pdf - top)
    pdf[0] = math.exp(-top) if alpha == 1.0 else 0.0  # x^0 at x = 0 is 1
    pdf[-1] = math.exp(-top) if beta == 1.0 else 0.0
    masses = (pdf[0:-2:2] + 4.0 * pdf[1:-1:2] + pdf[2::2]) / 6.0
    cdf = np.concatenate(([0.0], np.cumsum(masses)))
    cdf /= cdf[-1]
    cdf.setflags(write=False)
    return cdf


@lru_cache(maxsize=64)
def beta_quantiles(alpha: float, beta: float) -> F64:
    """Quantiles of Beta(alpha, beta) at `midpoints()`, inverting the CDF grid linearly."""
    cdf = beta_cdf_grid(alpha, beta)
    table: F64 = np.interp(midpoints(), cdf, _unit_grid())  # the CDF only ever rises: fine for interp
    table.setflags(write=False)
    return table


def triangular_quantiles(low: float, mode: float, high: float) -> F64:
    """Quantiles of the triangular distribution at `midpoints()` (closed form)."""
    u = midpoints()
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
