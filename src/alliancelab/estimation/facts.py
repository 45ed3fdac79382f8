"""The facts a scenario needs for the estimated equations, measured as the estimates measure them.

The stage-1 model (:mod:`.onset`) reads, for each pair, contiguity, shared IGO memberships and
years since the pair's last dispute, and for each state its trade openness. A scenario carries
them as ``openness`` on each actor and a ``dyad`` entry per pair; this module measures them for
given COW states in a given year from the same pipeline as the estimation sample
(:func:`~.sample.conflict_dyad_years`), so the engine starts where the model was fitted. The
spending equation's yearly residual is each actor's ``volatility``, measured on SIPRI's shares
of GDP up to the year (:mod:`.volatility`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from alliancelab.estimation.sample import MID_LAST_YEAR, conflict_dyad_years

__all__ = ["HazardFacts", "hazard_facts"]


@dataclass(frozen=True)
class HazardFacts:
    """``openness`` by COW code, and per non-directed pair (c1 < c2): contiguity (by land or up
    to 24 miles of water), contiguity by sea (25–400 miles), shared IGOs (a count) and
    peace-years, all as of ``year``; ``notes`` say where a value is extrapolated."""

    year: int
    openness: dict[int, float]
    contiguous: dict[tuple[int, int], bool]
    igos: dict[tuple[int, int], int]
    peace_years: dict[tuple[int, int], int]
    sea_contiguous: dict[tuple[int, int], bool]
    notes: tuple[str, ...] = ()
    volatility: dict[int, tuple[float, str]] = field(default_factory=dict)  # σ_i and where it comes from
    measured: int | None = None  # the year the pair facts come from (MID 5.0's last, 2014, for later years)


def hazard_facts(codes: Iterable[int], year: int, persistence: float | None = None) -> HazardFacts:
    """Measure the hazard's scenario facts for the states ``codes`` in ``year`` (the predictors
    of year t − 1, as the onset model uses them for year t), and with the spending equation's
    ``persistence`` each state's ``volatility`` up to ``year``.

    MID 5.0 ends in 2014: for a later year the 2014 values are used and peace-years run on as if
    no dispute began after 2014 (said in ``notes``).
    """
    wanted = sorted({int(c) for c in codes})
    measured = min(year, MID_LAST_YEAR)
    notes: list[str] = []
    if measured < year:
        notes.append(
            f"MID 5.0 ends in {MID_LAST_YEAR}: facts of {measured}; peace-years count no dispute after {MID_LAST_YEAR}"
        )
    rows = conflict_dyad_years(measured, measured)
    rows = rows[rows["ccode1"].isin(wanted) & rows["ccode2"].isin(wanted)]
    extra = year - measured
    contiguous: dict[tuple[int, int], bool] = {}
    sea: dict[tuple[int, int], bool] = {}
    igos: dict[tuple[int, int], int] = {}
    peace: dict[tuple[int, int], int] = {}
    cols = [rows[c].to_numpy() for c in ("ccode1", "ccode2", "contiguous", "sea_contiguous", "igos", "peace_years")]
    for c1, c2, cont, by_sea, ig, py in zip(*cols, strict=True):
        key = (int(c1), int(c2))
        contiguous[key] = bool(cont == 1)
        sea[key] = bool(by_sea == 1)
        if np.isfinite(float(ig)):
            igos[key] = round(float(ig) * 10)
        peace[key] = int(py) + extra
    openness = _openness(wanted, measured - 1)
    volatility = {} if persistence is None else _volatility(wanted, year, persistence)
    return HazardFacts(year, openness, contiguous, igos, peace, sea, tuple(notes), volatility, measured)


def _volatility(codes: list[int], year: int, persistence: float) -> dict[int, tuple[float, str]]:
    """Each state's σ of the spending residual up to ``year`` (its own, else the pooled one)."""
    from alliancelab.estimation.volatility import spending_volatility

    vol = spending_volatility(codes, year, persistence)
    return {c: vol.of(c) for c in vol.measured(codes)}


def _openness(codes: list[int], year: int) -> dict[int, float]:
    """(imports + exports) / GDP in ``year``, as the sample measures it (deflated COW trade over
    Anders et al. GDP); states without a value are left out."""
    from alliancelab.estimation.sample import _state_table

    st = _state_table(range(year, year + 1))
    st = st[st["ccode"].isin(codes)].dropna(subset=["openness"])
    return {int(c): float(o) for c, o in zip(st["ccode"], st["openness"], strict=True)}
