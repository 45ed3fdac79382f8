"""The spending equation's yearly residual, measured on SIPRI's shares of GDP before the start.

The engine's estimated arms decision (:func:`alliancelab.models.order.step.estimated_arms`) moves a
state's log share of GDP by

    ln s_t − ln s_{t−1} = (1 − ρ)(ln a_i − ln s_{t−1}) + (drivers_t − drivers_0) + σ_i ε_it,

with ρ the estimated persistence, a_i the state's anchor and ε_it ~ N(0, 1) drawn each year and
run. σ_i is measured on the state's own SIPRI series over the ``window`` years up to the start
year (nothing later is read) as the standard deviation of

    e_it = Δ ln s_it − (1 − ρ)(m_i − ln s_i,t−1),

m_i the state's mean log share over the window: what is left of each year's change once the pull
toward the state's level is taken out. The drivers (threat, allies' and rivals' spending,
escalated crises) are not taken out, so σ_i also holds what they moved; in the estimated engine
they move shares by a few per cent over decades, a small part of the yearly change. States with
fewer than :data:`MIN_CHANGES` consecutive-year changes in the window get the standard deviation
of all the given states' changes in the window (:attr:`Volatility.pooled`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["MIN_CHANGES", "WINDOW", "Volatility", "share_changes", "spending_volatility"]

#: Years of SIPRI's series up to the start year that σ_i is measured on. An assumption, and one
#: that matters: for 2001, 10 or 20 years instead of 15 keep σ_i within a third for 10 of the 14
#: states with a series, but move the U.S. from 0.071 to 0.028 (1992–2001, after the drawdown) or
#: 0.093 (1982–2001), and South Korea, Australia and India by a factor of 1.7–1.9; the pooled σ
#: is 0.10–0.12.
WINDOW = 15
#: Fewer consecutive-year changes than this in the window and a state gets the pooled σ: an s.d.
#: of n changes has a relative sampling error of about 1/√(2(n − 1)), 32 % at 6 (an assumption).
MIN_CHANGES = 6


@dataclass(frozen=True)
class Volatility:
    """σ_i by COW code for the states with their own series, the pooled σ, and what each rests on."""

    years: tuple[int, int]  # the window, first and last year
    persistence: float  # the ρ used to take the pull toward the level out
    by_state: dict[int, float]
    changes: dict[int, int]  # yearly changes each σ_i rests on
    pooled: float  # over every state's changes in the window (NaN if none)
    pooled_changes: int

    def measured(self, codes: Iterable[int]) -> list[int]:
        """The states of ``codes`` with a σ: their own, or the pooled one where there is one."""
        return [int(c) for c in codes if int(c) in self.by_state or np.isfinite(self.pooled)]

    def of(self, ccode: int) -> tuple[float, str]:
        """σ for a state and where it comes from (its own series, or the pooled value)."""
        lo, hi = self.years
        if ccode in self.by_state:
            n = self.changes[ccode]
            return self.by_state[ccode], f"SIPRI share of GDP {lo}-{hi}, sd of {n} yearly changes"
        return self.pooled, f"pooled over the states' SIPRI shares {lo}-{hi} ({self.pooled_changes} changes)"


def share_changes(shares: pd.DataFrame, persistence: float) -> pd.DataFrame:
    """``ccode``, ``year``, ``change``: e_it for every year whose previous year is in ``shares``
    (``ccode``, ``year``, ``share`` > 0), with each state's mean log share over the rows given."""
    df = shares[["ccode", "year", "share"]].dropna()
    df = df[df["share"] > 0].drop_duplicates(["ccode", "year"]).sort_values(["ccode", "year"])
    ln = np.log(df["share"].to_numpy(float))
    df = df.assign(ln=ln)
    level = df.groupby("ccode")["ln"].transform("mean")
    prev = df.groupby("ccode")["ln"].shift()
    follows = df.groupby("ccode")["year"].shift() == df["year"] - 1
    change = (df["ln"] - prev) - (1.0 - persistence) * (level - prev)
    out = df.assign(change=change.where(follows))[["ccode", "year", "change"]].dropna()
    return out.reset_index(drop=True)


def spending_volatility(
    codes: Iterable[int],
    year: int,
    persistence: float,
    shares: pd.DataFrame | None = None,
    window: int = WINDOW,
) -> Volatility:
    """σ_i for ``codes`` from SIPRI's shares of GDP in ``year − window + 1 … year``.

    ``shares`` (``ccode``, ``year``, ``share`` as a fraction) replaces SIPRI's series (tests).
    """
    if not 0.0 <= persistence < 1.0:
        raise ValueError(f"persistence must lie in [0, 1); got {persistence}")
    wanted = sorted({int(c) for c in codes})
    if shares is None:
        from alliancelab.data.sources import load_sipri

        sipri = load_sipri().dropna(subset=["ccode"])
        shares = sipri.rename(columns={"milex_share_of_gdp": "share"})[["ccode", "year", "share"]]
    first = year - window + 1
    rows = shares[shares["ccode"].isin(wanted) & shares["year"].between(first, year)]
    changes = share_changes(rows.astype({"ccode": "int64", "year": "int64"}), persistence)
    counts = changes.groupby("ccode")["change"].size()
    sd = changes.groupby("ccode")["change"].std(ddof=1)
    own = {int(c): float(sd[c]) for c in counts.index if counts[c] >= MIN_CHANGES}
    pooled = float(changes["change"].std(ddof=1)) if len(changes) > 1 else float("nan")
    return Volatility(
        years=(first, year),
        persistence=float(persistence),
        by_state=own,
        changes={c: int(counts[c]) for c in own},
        pooled=pooled,
        pooled_changes=len(changes),
    )
