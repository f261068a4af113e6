"""Calibrated estimates: the uncertain inputs of an Open FAIR analysis and their samplers.

An estimate is what an analyst states: PERT (min, most likely, max, shape lambda), lognormal
from a 90% interval (5th and 95th percentiles), triangular, uniform, or a constant.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from riskward.lib.errors import InvalidInput
from riskward.risks.quant import tables

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
Idx = npt.NDArray[np.intp]
Raw = Any  # uint16 table indices, float32 uniforms, or a TailedRaw (lognormal)
KINDS = ("pert", "lognormal", "triangular", "uniform", "constant")
Z95 = 1.6448536269514722  # the standard normal's 95th percentile
_KEYS = ("kind", "low", "mode", "high", "shape")
_FLOAT32_MAX = float(np.finfo(np.float32).max)
SPARSE_DRAWS = tables.TABLE_SIZE // 4  # fewer draws than this skip building a table
MAX_VALUE = 1e18  # any input (losses are drawn in float32, whose range ends near 3.4e38)


class QuantInputError(InvalidInput, ValueError):
    """An input of the quantification is unusable; `field` names it (e.g. "tef.high")."""


@dataclass(frozen=True)
class Estimate:
    """One uncertain quantity. `low`/`high` are min/max, or the 5th/95th percentiles (lognormal).

    A constant keeps its value in `low`; a PERT's `shape` is lambda (4 is the standard PERT).
    """

    kind: str
    low: float
    mode: float | None = None
    high: float | None = None
    shape: float = 4.0

    @classmethod
    def pert(cls, low: float, mode: float, high: float, shape: float = 4.0) -> Estimate:
        return cls("pert", low, mode, high, shape)

    @classmethod
    def lognormal(cls, low: float, high: float) -> Estimate:
        """From a 90% interval: `low` and `high` are the 5th and 95th percentiles."""
        return cls("lognormal", low, None, high)

    @classmethod
    def triangular(cls, low: float, mode: float, high: float) -> Estimate:
        return cls("triangular", low, mode, high)

    @classmethod
    def uniform(cls, low: float, high: float) -> Estimate:
        return cls("uniform", low, None, high)

    @classmethod
    def constant(cls, value: float) -> Estimate:
        return cls("constant", value)

    # Validation -------------------------------------------------------------------------------

    def validate(self, field: str, *, probability: bool = False, positive: bool = False) -> None:
        """Raise QuantInputError naming `field.<part>` if this estimate cannot be used.

        Every quantity in the model is non-negative; `probability` also caps it at 1 and
        `positive` (magnitudes) requires more than zero.
        """
        if self.kind not in KINDS:
            raise QuantInputError(
                f"{field}.kind: unknown kind {self.kind!r}; use one of {', '.join(KINDS)}",
                f"{field}.kind",
            )
        for part in _parts(self.kind):
            value = getattr(self, part)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise QuantInputError(f"{field}.{part}: give a number", f"{field}.{part}")
            if not math.isfinite(value):
                raise QuantInputError(f"{field}.{part}: must be a finite number", f"{field}.{part}")
            if abs(value) > MAX_VALUE:
                raise QuantInputError(
                    f"{field}.{part}: too large (at most {MAX_VALUE:g})", f"{field}.{part}"
                )
        _check_order(self, field)
        _check_range(self, field, probability=probability, positive=positive)

    # Moments and sampling ---------------------------------------------------------------------

    @property
    def top(self) -> float:
        """The maximum (the 95th percentile of a lognormal); a constant's is its value."""
        return self.high if self.high is not None else self.low

    @property
    def peak(self) -> float:
        """The most likely value of a PERT or triangular; the minimum when none is given."""
        return self.mode if self.mode is not None else self.low

    @property
    def mean(self) -> float:
        """The analytic mean of the distribution."""
        low, high = self.low, self.top
        if self.kind == "pert":
            return (low + self.shape * self.peak + high) / (self.shape + 2.0)
        if self.kind == "lognormal":
            mu, sigma = self.log_params
            return math.exp(mu + sigma * sigma / 2.0)
        if self.kind == "triangular":
            return (low + self.peak + high) / 3.0
        if self.kind == "uniform":
            return (low + high) / 2.0
        return low

    @property
    def log_params(self) -> tuple[float, float]:
        """(mu, sigma) of the underlying normal of a lognormal estimate."""
        mu = (math.log(self.low) + math.log(self.top)) / 2.0
        return mu, (math.log(self.top) - math.log(self.low)) / (2.0 * Z95)

    @property
    def is_constant(self) -> bool:
        """True when every draw is the same number (a constant, or min equal to max)."""
        if self.kind == "constant":
            return True
        return self.kind != "lognormal" and self.high == self.low

    def sample(
        self, rng: np.random.Generator, n: int, dtype: npt.DTypeLike = np.float64
    ) -> npt.NDArray[Any]:
        """`n` draws, with the fast table samplers the simulation uses."""
        drawn = sampler(self).draw(rng, n)
        if isinstance(drawn, float):
            return np.full(n, drawn, dtype=dtype)
        return drawn.astype(dtype, copy=False)

    def cdf(self, x: F32 | F64) -> F64:
        """P(X <= x) at each x."""
        return sampler(self).cdf(np.asarray(x, dtype=np.float64))

    # Storage ----------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict holding only the parts this kind uses."""
        data: dict[str, Any] = {"kind": self.kind}
        for part in _parts(self.kind):
            data[part] = getattr(self, part)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], field: str = "estimate") -> Estimate:
        """Read `to_dict` output back; unknown keys and missing parts name their field."""
        if not isinstance(data, Mapping):
            raise QuantInputError(f"{field}: give an estimate as an object", field)
        for key in data:
            if key not in _KEYS:
                raise QuantInputError(f"{field}.{key}: unknown key", f"{field}.{key}")
        kind = data.get("kind")
        if kind not in KINDS:
            raise QuantInputError(f"{field}.kind: use one of {', '.join(KINDS)}", f"{field}.kind")
        for part in _parts(str(kind)):
            if data.get(part) is None:
                raise QuantInputError(f"{field}.{part}: required for {kind}", f"{field}.{part}")
        values = {key: data[key] for key in _KEYS if data.get(key) is not None}
        return cls(**values)


def _parts(kind: str) -> tuple[str, ...]:
    if kind == "pert":
        return ("low", "mode", "high", "shape")
    if kind == "triangular":
        return ("low", "mode", "high")
    if kind in ("lognormal", "uniform"):
        return ("low", "high")
    return ("low",)


def _check_order(est: Estimate, field: str) -> None:
    low, mode, high = est.low, est.mode, est.high
    if est.kind == "lognormal" and low <= 0:
        raise QuantInputError(
            f"{field}.low: the 5th percentile of a lognormal must be above zero", f"{field}.low"
        )
    if est.kind == "lognormal" and high is not None and high <= low:
        raise QuantInputError(
            f"{field}.high: the 95th percentile must be above the 5th ({low:g})", f"{field}.high"
        )
    if mode is not None and est.kind in ("pert", "triangular") and mode < low:
        raise QuantInputError(
            f"{field}.mode: the most likely value must be at least the minimum ({low:g})",
            f"{field}.mode",
        )
    if high is not None and est.kind != "lognormal":
        floor = mode if mode is not None and est.kind in ("pert", "triangular") else low
        if high < floor:
            raise QuantInputError(
                f"{field}.high: the maximum must be at least {floor:g}", f"{field}.high"
            )
    if est.kind == "pert" and est.shape < 0:
        raise QuantInputError(f"{field}.shape: lambda cannot be negative", f"{field}.shape")


def _check_range(est: Estimate, field: str, *, probability: bool, positive: bool) -> None:
    if est.low < 0:
        raise QuantInputError(f"{field}.low: cannot be negative", f"{field}.low")
    top = est.low if est.kind == "constant" else est.high
    top_field = f"{field}.low" if est.kind == "constant" else f"{field}.high"
    if probability and est.kind == "lognormal":
        raise QuantInputError(
            f"{field}.kind: a probability cannot be lognormal (it has no maximum); "
            "use pert, triangular, uniform or constant",
            f"{field}.kind",
        )
    if probability and top is not None and top > 1:
        raise QuantInputError(f"{top_field}: a probability cannot exceed 1", top_field)
    if positive and top is not None and top <= 0:
        raise QuantInputError(f"{top_field}: a loss magnitude must be above zero", top_field)


# Samplers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TailedRaw:
    """A lognormal's raw draws: table indices, plus the exact normal deviates of the draws that
    fell in the top 2^-8 of probability (at `tail_at`), where a table would be too coarse."""

    index: npt.NDArray[np.uint16]
    tail_at: Idx
    tail_z: F64


class Sampler:
    """Draws from one estimate; a constant comes back as a float so that no array is made.

    PERT, triangular and lognormal draws are a 16-bit index into a table of quantiles (a
    lognormal's top 2^-8 is drawn exactly: its mean lives there); uniforms are scaled.
    """

    def __init__(self, est: Estimate) -> None:
        self.est = est
        self.kind = "constant" if est.is_constant else est.kind
        self.low = float(est.low)
        self.high = float(est.top)
        self._table: F32 | None = None

    @property
    def tabled(self) -> bool:
        return self.kind in ("pert", "triangular", "lognormal")

    @property
    def table(self) -> F32:
        """The quantile table, built the first time a draw is turned into a value."""
        if self._table is None:
            self._table = _quantiles(self.est)
        return self._table

    def draw(self, rng: np.random.Generator, n: int) -> F32 | float:
        """`n` draws as float32 (a float for a constant: callers broadcast it)."""
        return self.apply(self.raw(rng, n))

    def raw(self, rng: np.random.Generator, n: int) -> Raw | None:
        """The random numbers behind `n` draws (table indices or uniforms).

        Drawing them apart from `apply` lets a caller draw a whole block's worth (keeping its
        stream aligned) and turn into values only the draws it needs.
        """
        if self.kind == "constant":
            return None
        if self.kind == "uniform":
            return tables.uniforms(rng, n)
        index = rng.bit_generator.random_raw((n + 3) // 4).view(np.uint16)[:n]
        if self.kind != "lognormal":
            return index
        tail_at = (index >= tables.TAIL_START).nonzero()[0]
        beyond = (1.0 - rng.random(tail_at.size)) * 2.0**-tables.TAIL_BITS  # P(Z > z), > 0
        return TailedRaw(index, tail_at, tables.upper_normal_quantile(beyond))

    def apply(self, raw: Raw | None, at: Idx | None = None) -> F32 | float:
        """Draws from `raw` (only at positions `at` when given)."""
        if raw is None:
            return self.low
        if isinstance(raw, TailedRaw):
            return self._lognormal(raw, at)
        picked = raw if at is None else tables.gather(raw, at)
        if self.kind == "uniform":
            out: F32 = picked * np.float32(self.high - self.low)
            out += np.float32(self.low)
            return out
        return self._lookup(picked)

    def _lookup(self, index: npt.NDArray[np.uint16]) -> F32:
        """Table entries at `index`; a few are computed alone rather than build the table."""
        if self._table is None and index.size < SPARSE_DRAWS:
            return _quantiles(self.est, index)
        values: F32 = tables.gather(self.table, index.astype(np.intp))
        return values

    def _lognormal(self, raw: TailedRaw, at: Idx | None) -> F32:
        index = raw.index if at is None else tables.gather(raw.index, at)
        out = self._lookup(index)
        if at is None:
            where, z = raw.tail_at, raw.tail_z
        else:
            where = (index >= tables.TAIL_START).nonzero()[0]
            z = raw.tail_z[np.searchsorted(raw.tail_at, at[where])]
        if where.size:
            mu, sigma = self.est.log_params
            out[where] = np.minimum(np.exp(mu + sigma * z), _FLOAT32_MAX)
        return out

    def cdf(self, x: F64) -> F64:
        """P(X <= x) for each x."""
        if self.kind == "constant":
            return (x >= self.low).astype(np.float64)
        span = self.high - self.low
        if self.kind == "uniform":
            return np.clip((x - self.low) / span, 0.0, 1.0)
        if self.kind == "triangular":
            return _triangular_cdf(self.est, x)
        if self.kind == "pert":
            alpha, beta = pert_alpha_beta(self.est)
            grid = tables.beta_cdf_grid(alpha, beta)
            return tables.lerp_cdf(grid, (x - self.low) * (tables.GRID_CELLS / span))
        mu, sigma = self.est.log_params
        with np.errstate(divide="ignore"):
            z = (np.log(np.maximum(x, 0.0)) - mu) / sigma
        return tables.normal_cdf(z)


def pert_alpha_beta(est: Estimate) -> tuple[float, float]:
    """The beta parameters of a PERT: 1 + lambda * (mode - min) / (max - min), and its mirror."""
    span = est.top - est.low
    alpha = 1.0 + est.shape * (est.peak - est.low) / span
    beta = 1.0 + est.shape * (est.top - est.peak) / span
    return round(alpha, 12), round(beta, 12)


def _quantiles(est: Estimate, index: npt.NDArray[np.uint16] | None = None) -> F32:
    """The estimate's table in float32, or only its entries at `index`: the same numbers."""
    if est.kind == "pert":
        knots = _pert_knots(est)
        return knots.table() if index is None else knots.at(index)
    if est.kind == "triangular":
        u = None if index is None else tables.gather(tables.midpoints(), index)
        return tables.triangular_quantiles(est.low, est.peak, est.top, u).astype(np.float32)
    mu, sigma = est.log_params
    z = tables.normal_quantiles32()
    exponent = (z if index is None else tables.gather(z, index)) * np.float32(sigma)
    exponent += np.float32(mu)
    with np.errstate(over="ignore"):  # beyond float32: capped below
        values: F32 = np.minimum(np.exp(exponent, out=exponent), np.float32(_FLOAT32_MAX))
    return values


@lru_cache(maxsize=1024)
def _pert_knots(est: Estimate) -> tables.Knots:
    """A PERT's table in brief (18 KB): cached far longer than whole tables, so a replay of a
    few draws after the table has gone needs no new inversion of the CDF."""
    alpha, beta = pert_alpha_beta(est)
    return tables.beta_knots(alpha, beta, est.low, est.top - est.low)


def _triangular_cdf(est: Estimate, x: F64) -> F64:
    low, mode, high = est.low, est.peak, est.top
    span = high - low
    xc = np.clip(x, low, high)
    with np.errstate(divide="ignore", invalid="ignore"):
        left = (xc - low) ** 2 / (span * (mode - low))
        right = 1.0 - (high - xc) ** 2 / (span * (high - mode))
    return np.where(xc < mode, left, np.where(xc >= high, 1.0, right))


@lru_cache(maxsize=64)
def sampler(est: Estimate) -> Sampler:
    """The (cached) sampler of an estimate; its table is built once."""
    return Sampler(est)
