"""One block of simulated years: inherent losses, residual losses and each control's worth.

Inherent, residual and "residual without control X" come from the same events (common random
numbers): an inherent event survives the frequency controls when its uniform falls under its
year's frequency factor, so a weaker set of controls keeps a superset of the events, and the
magnitude controls scale what survives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from riskward.risks.quant.kernel import (
    Draws,
    EventLog,
    Events,
    Factor,
    Idx,
    Plan,
    Streams,
    count_events,
    magnitudes,
    product,
)
from riskward.risks.quant.tables import gather, uniforms

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Want:
    """What a pass computes (each block's streams start afresh, so skipping work never shifts
    a later draw)."""

    inherent: bool = True
    residual: bool = True
    values: bool = True  # sums of the residual without each control


@dataclass
class Block:
    """One block's losses in its `active` years (those with an event; the others lost nothing)
    and the sums the study needs from it."""

    active: Idx
    inherent: F64 | None = None
    residual: F64 | None = None
    events: int = 0
    residual_events: int = 0
    without: dict[str, float] = field(default_factory=dict)  # residual sum without a control
    log: EventLog | None = None


def simulate_block(
    plan: Plan, streams: Streams, index: int, n: int, compound: bool, want: Want
) -> Block:
    """Simulate block `index` of `n` years: rates, events, magnitudes, inherent and residual."""
    streams.seek(index)
    draws = Draws(plan, streams, n)
    events, log = count_events(draws, compound)
    mag = magnitudes(plan, streams, draws, events, None)
    block = Block(events.active, events=events.size, log=log)
    if want.inherent:
        block.inherent = events.per_year(mag)
    if want.residual or want.values:
        residual = _Residual(plan, draws, events, None, mag, compound, streams)
        residual.fill(block, events, want)
    return block


def tail_sum(
    plan: Plan, streams: Streams, index: int, compound: bool, log: EventLog, tail: Mask
) -> float:
    """The residual loss summed over the years marked in `tail`, replaying `log`'s events.

    The streams start where `simulate_block`'s did and draw the same numbers, but the counts
    come from the log and only the marked years' events are turned into losses.
    """
    streams.seek(index)
    draws = Draws(plan, streams, tail.size)
    events = log.replay(draws)
    pick = gather(tail, events.years).nonzero()[0]
    mag = magnitudes(plan, streams, draws, events, pick)
    return _Residual(plan, draws, events, pick, mag, compound, streams).total()


class _Residual:
    """Residual losses of the events at `pick` (all events when None)."""

    def __init__(
        self,
        plan: Plan,
        draws: Draws,
        events: Events,
        pick: Idx | None,
        mag: F32,
        compound: bool,
        streams: Streams,
    ) -> None:
        self.mag, self.names = mag, [c.name for c in plan.controls]
        factors = draws.control_factors(events, pick)
        targets = [c.target for c in plan.controls]
        self.freq = {i: f for i, f in enumerate(factors) if targets[i] != "magnitude"}
        self.mags = {i: f for i, f in enumerate(factors) if targets[i] == "magnitude"}
        self.lam: Factor | None = None
        self.probe: F32 | None = None
        if compound and self.freq:
            self.probe = uniforms(streams.thin, events.size, pick)
        elif self.freq:  # at most one event a year: the year's count uniform decides
            years = events.years if pick is None else gather(events.years, pick)
            self.probe, self.lam = gather(draws.u, years), draws.lam(years)

    def kept(self, skip: int | None = None) -> Mask | None:
        """Which events survive the frequency controls (all but `skip`); None means all."""
        factors = [f for i, f in self.freq.items() if i != skip]
        if not factors or self.probe is None:
            return None
        limit = product(factors)
        if self.lam is not None:  # one event at most: the year's P(event) is min(LEF x f, 1)
            limit = np.minimum(self.lam * limit, np.float32(1.0))
        result: Mask = self.probe < limit
        return result

    def scaled(self, skip: int | None = None) -> F32:
        """Each event's magnitude after the magnitude controls (all but `skip`)."""
        scale = product([f for i, f in self.mags.items() if i != skip])
        return self.mag if isinstance(scale, float) and scale == 1.0 else self.mag * scale

    def total(self) -> float:
        return _kept_sum(self.scaled(), self.kept())

    def fill(self, block: Block, events: Events, want: Want) -> None:
        kept, scaled = self.kept(), self.scaled()
        weights = scaled if kept is None else scaled * kept
        block.residual = events.per_year(weights)
        block.residual_events = int(self.mag.size if kept is None else np.count_nonzero(kept))
        if not want.values:
            return
        for i, name in enumerate(self.names):
            # Without a frequency control more events survive, scaled as in the residual;
            # without a magnitude control the same events survive, scaled less.
            if i in self.freq:
                block.without[name] = _kept_sum(scaled, self.kept(i))
            else:
                block.without[name] = _kept_sum(self.scaled(i), kept)


def _kept_sum(values: F32, kept: Mask | None) -> float:
    # A product with the mask, not sum(where=): numpy's masked reduction is ten times slower.
    chosen = values if kept is None else values * kept
    return float(chosen.sum(dtype=np.float64))
