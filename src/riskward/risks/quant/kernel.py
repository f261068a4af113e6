"""A scenario's random streams and draws: per-year rates, loss events, event magnitudes.

Every input has its own random stream (rates, event counts, event magnitudes, thinning, the
secondary loss probability, large-rate counts, one stream per control), so removing a control
leaves every other draw unchanged. Draws are made whole and turned into values only where
needed, so a replay can skip the values it does not use and still consume each stream exactly
as the first pass did.

Rates and event counts are drawn for every year. The year's other uncertain inputs (the
secondary loss probability, the controls' effects) matter only in years with an event, so they
are drawn for those years alone, in year order: about half the draws and lookups.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import cast

import numpy as np
import numpy.typing as npt

from riskward.risks.quant.estimates import Estimate, Raw, Sampler, sampler
from riskward.risks.quant.model import FORMS_OF_LOSS, Scenario
from riskward.risks.quant.tables import gather, uniforms

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
Idx = npt.NDArray[np.intp]
Factor = float | F32  # a per-year multiplier; a float when it is the same every year

BLOCK = 1 << 19  # years per block: fixed by the inputs, so threads never change a result
MIN_BLOCK = 1 << 10
EVENTS_PER_BLOCK = 1 << 20  # frequent losses get shorter blocks, so memory stays bounded
LARGE_RATE = 20.0  # above this, numpy's Poisson sampler beats inversion
_MAX_LEVEL = 400  # inversion never needs this many levels below LARGE_RATE; a guard only
_NEGLIGIBLE = np.float32(1e-10)  # P(N = k) below this ends a year's count (float32 rounding)
_RATE, _COUNT, _EVENT, _THIN, _CONTROL, _SECONDARY, _LARGE = range(7)
_NO_SLOTS = np.arange(0)
_STRIDE = 1 << 48  # draws reserved for each block in each stream; a block uses far fewer


def key_words(text: str) -> tuple[int, ...]:
    """Four 32-bit words from SHA-256 of `text`: a stable spawn key (Python's hash() is not)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))


def scenario_seed(seed: int, key: str) -> np.random.SeedSequence:
    """The seed sequence of scenario `key` in a study seeded with `seed`."""
    return np.random.SeedSequence(entropy=seed, spawn_key=key_words(key))


class Stream:
    """One role's generator. Each block starts at its own offset (block x _STRIDE draws), so a
    block's numbers never depend on what earlier blocks drew, or whether they drew at all."""

    def __init__(self, root: np.random.SeedSequence, *words: int) -> None:
        seq = np.random.SeedSequence(
            entropy=root.entropy, spawn_key=(*root.spawn_key, *words), pool_size=root.pool_size
        )
        self.bits = np.random.PCG64DXSM(seq)  # PCG64 with a stronger output; a little faster
        self.start = self.bits.state
        self.gen = np.random.Generator(self.bits)

    def seek(self, block: int) -> np.random.Generator:
        self.bits.state = self.start
        self.bits.advance(block * _STRIDE)
        return self.gen


@dataclass
class Streams:
    """The independent generators of one scenario, keyed by role (and control name)."""

    roles: dict[int, Stream]
    control_streams: dict[str, Stream]

    @classmethod
    def of(cls, root: np.random.SeedSequence, scenario: Scenario) -> Streams:
        roles = [_RATE, _COUNT, _EVENT, _THIN, _SECONDARY, _LARGE]
        controls = {c.name: Stream(root, _CONTROL, *key_words(c.name)) for c in scenario.controls}
        return cls({role: Stream(root, role) for role in roles}, controls)

    def seek(self, block: int) -> None:
        """Position every stream at the start of `block`."""
        for stream in (*self.roles.values(), *self.control_streams.values()):
            stream.seek(block)

    @property
    def rate(self) -> np.random.Generator:
        return self.roles[_RATE].gen

    @property
    def count(self) -> np.random.Generator:
        return self.roles[_COUNT].gen

    @property
    def event(self) -> np.random.Generator:
        return self.roles[_EVENT].gen

    @property
    def thin(self) -> np.random.Generator:
        return self.roles[_THIN].gen

    @property
    def secondary(self) -> np.random.Generator:
        return self.roles[_SECONDARY].gen

    @property
    def large(self) -> np.random.Generator:
        return self.roles[_LARGE].gen

    def control(self, name: str) -> np.random.Generator:
        return self.control_streams[name].gen


@dataclass(frozen=True)
class Control:
    """A control's effect, drawn directly as the factor it leaves: 1 - reduction."""

    name: str
    target: str
    factor: Sampler


def remainder(reduction: Estimate) -> Estimate:
    """The distribution of 1 - reduction (a PERT, triangular or uniform, mirrored)."""
    if reduction.kind == "constant" or reduction.high is None:
        return Estimate.constant(1.0 - reduction.low)
    mode = None if reduction.mode is None else 1.0 - reduction.mode
    return Estimate(
        reduction.kind, 1.0 - reduction.high, mode, 1.0 - reduction.low, reduction.shape
    )


def _samplers(forms: dict[str, Estimate] | None, total: Estimate | None) -> tuple[Sampler, ...]:
    if total is not None:
        return (sampler(total),)
    forms = forms or {}
    return tuple(sampler(forms[f]) for f in FORMS_OF_LOSS if f in forms)


@dataclass(frozen=True)
class Plan:
    """A validated scenario turned into samplers, built once per simulation."""

    lef: Sampler | None
    tef: Sampler | None
    vulnerability: Sampler | None
    threat_capability: Sampler | None
    resistance_strength: Sampler | None
    primary: tuple[Sampler, ...]
    secondary_probability: Sampler | None
    secondary: tuple[Sampler, ...]
    controls: tuple[Control, ...]

    @classmethod
    def of(cls, s: Scenario) -> Plan:
        def opt(est: Estimate | None) -> Sampler | None:
            return sampler(est) if est is not None else None

        return cls(
            opt(s.lef),
            opt(s.tef),
            opt(s.vulnerability),
            opt(s.threat_capability),
            opt(s.resistance_strength),
            _samplers(dict(s.primary_forms), s.primary),
            opt(s.secondary_probability),
            _samplers(dict(s.secondary_forms), s.secondary),
            tuple(Control(c.name, c.target, sampler(remainder(c.reduction))) for c in s.controls),
        )


def block_years(scenario: Scenario) -> int:
    """Years per block: BLOCK, halved while a block would hold more than EVENTS_PER_BLOCK
    events at twice the mean rate (a block's events stay close to its mean)."""
    years, rate = BLOCK, 2.0 * scenario.mean_rate
    while years > MIN_BLOCK and years * rate > EVENTS_PER_BLOCK:
        years //= 2
    return years


# Years ----------------------------------------------------------------------------------------


def as_array(value: Factor, n: int) -> F32:
    if isinstance(value, float):
        return np.full(n, value, dtype=np.float32)
    return value


def product(factors: Sequence[Factor]) -> Factor:
    """The product of factors; stays a float while every factor is one."""
    result: Factor = 1.0
    for f in factors:
        if isinstance(result, float) and isinstance(f, float):
            result = result * f
        elif isinstance(result, float):
            result = cast(F32, f * np.float32(result)) if result != 1.0 else f
        else:
            result = cast(F32, result * f)
    return result


def _survival(tcap: Sampler, strength: Factor) -> Factor:
    """P(TCap > RS): the year's resistance strength is one draw; threat capability varies from
    one threat event to the next, so the year's vulnerability is 1 - CDF_TCap(RS)."""
    cdf = tcap.cdf(np.atleast_1d(np.asarray(strength, dtype=np.float64)))
    survival = (1.0 - cdf).astype(np.float32)
    return float(survival[0]) if isinstance(strength, float) else survival


class Draws:
    """One block's random numbers for its years: rates and count uniforms for each year, the
    secondary probability and the controls for each year with an event. Each is drawn the
    first time it is needed: a replay skips what it does not use."""

    def __init__(self, plan: Plan, streams: Streams, n: int) -> None:
        self.plan, self.streams, self.n = plan, streams, n
        self.active = -1  # years with an event; set once they are counted (`_counted`)

    @cached_property
    def rate(self) -> list[tuple[Sampler, Raw | None]]:
        """[LEF] or [TEF, vulnerability or resistance strength], with their raw draws."""
        plan = self.plan
        if plan.lef is not None:
            samplers = [plan.lef]
        else:
            second = plan.vulnerability or plan.resistance_strength
            assert plan.tef is not None and second is not None  # validated
            samplers = [plan.tef, second]
        return [(s, s.raw(self.streams.rate, self.n)) for s in samplers]

    @cached_property
    def u(self) -> F32:
        """The uniform that sets each year's number of events."""
        return uniforms(self.streams.count, self.n)

    @cached_property
    def secondary(self) -> tuple[Sampler, Raw | None] | None:
        """The secondary loss probability of each year with an event."""
        p = self.plan.secondary_probability
        return (p, p.raw(self.streams.secondary, self._active())) if p is not None else None

    @cached_property
    def controls(self) -> list[Raw | None]:
        """Each control's factor in each year with an event."""
        plan, streams, active = self.plan, self.streams, self._active()
        return [c.factor.raw(streams.control(c.name), active) for c in plan.controls]

    def _active(self) -> int:
        assert self.active >= 0, "count the events before drawing per active year"
        return self.active

    def lam(self, at: Idx | None = None) -> Factor:
        """Inherent loss event frequency (LEF, or TEF x vulnerability) of each year or `at`."""
        values = [s.apply(raw, at) for s, raw in self.rate]
        tcap = self.plan.threat_capability if self.plan.vulnerability is None else None
        if tcap is not None and len(values) == 2:
            values[1] = _survival(tcap, values[1])
        return product(values)

    def p_secondary(self, events: Events, pick: Idx | None = None) -> Factor | None:
        """The secondary loss probability of each event (of each event at `pick`)."""
        if self.secondary is None:
            return None
        s, raw = self.secondary
        return events.of_year(s, raw, pick)

    def control_factors(self, events: Events, pick: Idx | None = None) -> list[Factor]:
        """Each control's factor for each event (each event at `pick`)."""
        return [
            events.of_year(c.factor, raw, pick)
            for c, raw in zip(self.plan.controls, self.controls, strict=True)
        ]


# Events ---------------------------------------------------------------------------------------


@dataclass
class Events:
    """A block's loss events, level by level: the first event of each year with one, then the
    second of each year with two, and so on, then those of the large rates (`levels` holds each
    level's years). For the later events `later` holds their slot in `active`, the distinct
    years with an event. Per-year sums are taken over the slots: years without events are zeros
    that need no storing. The first `first` events are the first of their years, in slot order
    (slot i is event i), so they need no slot."""

    levels: list[Idx]
    later: Idx  # the slot of each event after the first `first`
    active: Idx

    @property
    def first(self) -> int:
        return int(self.levels[0].size)

    @cached_property
    def size(self) -> int:
        """How many events."""
        return sum(int(level.size) for level in self.levels)

    @cached_property
    def years(self) -> Idx:
        """Each event's year. Only the tail pass and single-event years need them all, so the
        first pass never builds this array (8 bytes an event)."""
        return self.levels[0] if len(self.levels) == 1 else np.concatenate(self.levels)

    def per_year(self, weights: F32) -> F64:
        """Sum of the event weights in each active year, in float64."""
        size = self.active.size
        out: F64
        if self.later.size:
            out = cast(F64, np.bincount(self.later, weights=weights[self.first :], minlength=size))
        else:
            out = np.zeros(size)  # slots past `first`: large-rate years without events
        out[: self.first] += weights[: self.first]
        return out

    def slots(self, pick: Idx) -> Idx:
        """The slot (place in `active`) of each event at `pick`."""
        later = gather(self.later, np.maximum(pick - self.first, 0)) if self.later.size else pick
        slots: Idx = np.where(pick < self.first, pick, later)
        return slots

    def of_year(self, sampler: Sampler, raw: Raw | None, pick: Idx | None) -> Factor:
        """Values drawn once per active year (`raw`), for each event (each event at `pick`):
        an event takes its year's."""
        if pick is not None:
            return sampler.apply(raw, self.slots(pick))
        value = sampler.apply(raw)
        if isinstance(value, float):
            return value
        if not self.later.size:
            return value[: self.first]
        out = np.empty(self.size, dtype=np.float32)
        out[: self.first] = value[: self.first]
        out[self.first :] = gather(value, self.later)
        return out


@dataclass
class EventLog:
    """Which years had events, packed: bit i of level k says whether the i-th year of level
    k - 1 had more than k - 1 events. (n + events) bits a block, so a study keeps it cheaply."""

    levels: list[npt.NDArray[np.uint8]] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    big_years: Idx = field(default_factory=lambda: np.arange(0))  # rates above LARGE_RATE

    def add(self, mask: npt.NDArray[np.bool_]) -> None:
        self.levels.append(np.packbits(mask))
        self.sizes.append(int(mask.size))

    def replay(self, draws: Draws) -> Events:
        """The events `count_events` found, in the same order (numpy's Poisson counts for
        large rates are drawn again, from their own stream)."""
        packed = iter(zip(self.levels, self.sizes, strict=True))
        active = years = _unpacked(*next(packed))
        slots: Idx | None = None
        levels: list[tuple[Idx, Idx]] = []
        for level, size in packed:
            chosen = _unpacked(level, size)
            years, slots = gather(years, chosen), chosen if slots is None else gather(slots, chosen)
            levels.append((years, slots))
        return _assemble(active, levels, draws, self.big_years)


def _unpacked(packed: npt.NDArray[np.uint8], size: int) -> Idx:
    return np.unpackbits(packed, count=size).view(np.bool_).nonzero()[0]


def _large_rate_events(draws: Draws, big_years: Idx) -> tuple[Idx, Idx]:
    """Events of the years whose rate is above LARGE_RATE, counted by numpy's Poisson sampler
    (from their own stream): each event's year, and its year's place in `big_years`."""
    lam = as_array(draws.lam(big_years), big_years.size).astype(np.float64)
    counts = draws.streams.large.poisson(lam)
    return np.repeat(big_years, counts), np.repeat(np.arange(big_years.size), counts)


def _assemble(first: Idx, levels: list[tuple[Idx, Idx]], draws: Draws, big_years: Idx) -> Events:
    """Events from the first of each year, the later levels' (years, slots), and the events
    of the large rates."""
    active = first
    if big_years.size:
        years, place = _large_rate_events(draws, big_years)
        levels = [*levels, (years, place + first.size)]
        active = np.concatenate([first, big_years])
    if not levels:
        return _counted(draws, Events([first], _NO_SLOTS, active))
    later = np.concatenate([s for _, s in levels]) if len(levels) > 1 else levels[0][1]
    return _counted(draws, Events([first, *(y for y, _ in levels)], later, active))


def _counted(draws: Draws, events: Events) -> Events:
    """`events`, once `draws` knows how many years have one (its per-active-year draws)."""
    draws.active = events.active.size
    return events


def count_events(draws: Draws, compound: bool) -> tuple[Events, EventLog]:
    """The loss events: Poisson counts, or at most one a year (Bernoulli(min(LEF, 1)))."""
    lam = as_array(draws.lam(), draws.n)
    log = EventLog()
    if not compound:
        mask = draws.u < np.minimum(lam, np.float32(1.0))
        log.add(mask)
        years = mask.nonzero()[0]
        return _counted(draws, Events([years], _NO_SLOTS, years)), log
    return poisson_events(lam, draws, log), log


def poisson_events(lam: F32, draws: Draws, log: EventLog) -> Events:
    """Loss events, N ~ Poisson(lam) a year, by inversion with the year's uniform.

    A year has at least k + 1 events iff u >= P(N <= k); the years still in play shrink fast,
    so the cost is about one pass per event. Rates above LARGE_RATE use numpy's sampler.
    """
    p0 = np.exp(-lam)
    rest_all = draws.u - p0  # u - P(N <= k): the year has another event while >= 0
    first = rest_all >= 0
    if lam.max() > LARGE_RATE:
        big = lam > LARGE_RATE
        first &= ~big
        log.big_years = big.nonzero()[0]
    log.add(first)
    active = first.nonzero()[0]
    # The second event is decided on the whole arrays (cheap passes) and read at the active
    # years, rather than carrying three arrays there first: fewer gathers, the same numbers.
    p_all = p0  # P(N = 1) in p0's place, as the loop computes it (its x 1/1 is exact)
    p_all *= lam
    rest_all -= p_all
    more = gather((rest_all >= 0) & (p_all > _NEGLIGIBLE), active)
    sel = more.nonzero()[0]
    levels: list[tuple[Idx, Idx]] = []
    if sel.size:
        log.add(more)
        years = gather(active, sel)
        levels.append((years, sel))
        carried = (gather(lam, years), gather(p_all, years), gather(rest_all, years))
        levels += _later_events(years, sel, *carried, log)
    return _assemble(active, levels, draws, log.big_years)


def _later_events(
    years: Idx, slots: Idx, lam_a: F32, p_a: F32, rest: F32, log: EventLog
) -> list[tuple[Idx, Idx]]:
    """The third and later events: (years, slots) a level, for the years with a second."""
    levels: list[tuple[Idx, Idx]] = []
    for k in range(2, _MAX_LEVEL):
        p_a *= lam_a
        p_a *= np.float32(1.0 / k)
        rest -= p_a
        # Past the mode a vanishing term means the rest of the tail is lost to rounding.
        more = (rest >= 0) & (p_a > _NEGLIGIBLE)
        sel = more.nonzero()[0]
        if not sel.size:
            break
        log.add(more)
        years, slots = gather(years, sel), gather(slots, sel)
        lam_a, p_a, rest = gather(lam_a, sel), gather(p_a, sel), gather(rest, sel)
        levels.append((years, slots))
    return levels


# Magnitudes -----------------------------------------------------------------------------------


def _summed(raws: list[tuple[Sampler, Raw | None]], at: Idx | None, n: int) -> F32:
    """The sum of the samplers' draws (one form of loss each), as a float32 array."""
    total: F32 | None = None
    constant = 0.0
    for s, raw in raws:
        value = s.apply(raw, at)
        if isinstance(value, float):
            constant += value
        elif total is None:
            total = value
        else:
            total += value
    if total is None:
        return np.full(n, constant, dtype=np.float32)
    if constant:
        total += np.float32(constant)
    return total


def magnitudes(plan: Plan, streams: Streams, draws: Draws, events: Events, pick: Idx | None) -> F32:
    """Loss of each event (of each event at `pick`): primary, plus secondary when it happens.

    Every event draws its secondary loss whether or not it has one, so a replay can read the
    events it needs without deciding the others'.
    """
    gen = streams.event
    n = events.size
    size = n if pick is None else pick.size
    primary = [(s, s.raw(gen, n)) for s in plan.primary]
    mag = _summed(primary, pick, size)
    if plan.secondary_probability is None:
        return mag
    u = uniforms(gen, n, pick)
    secondary = [(s, s.raw(gen, n)) for s in plan.secondary]
    chance = draws.p_secondary(events, pick)
    assert chance is not None  # the plan has a secondary probability
    hits = (u < chance).nonzero()[0]
    loss = _summed(secondary, hits if pick is None else gather(pick, hits), hits.size)
    np.add.at(mag, hits, loss)  # distinct events: numpy 2's fast path, as mag[hits] += loss
    return mag
