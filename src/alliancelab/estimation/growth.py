"""How far a state's GDP strays from its projected path: measured on Maddison's series.

A scenario projects each state's GDP at one growth rate (``scenario from-data``: the mean of the
five years before the start). The engine draws what the projection cannot know (docs/models/
order.md, "Economy"): each run a lasting deviation δ_i ~ N(0, τ) from each state's projected rate,
and each year a shock σ ε_it. The error of the log GDP projected h years ahead then has variance

    v(h) = σ² h + τ² h²,

so v(h) / h = σ² + τ² h is a straight line in h. This module measures it on history: for every
state and origin year t0 with the five years before it, the error e(h) = ln Y(t0 + h) − ln Y(t0)
− h ḡ(t0), ḡ the mean growth of t0 − 5 … t0, for every t0 + h up to ``last_year`` (nothing later
is read); v(h) as the squared scaled median absolute deviation of the errors at h (robust to
the few collapses that would otherwise set the width of every band: the 10–90 % band is a
statement about the middle of the distribution); σ² and τ² by least squares of v(h)/h on h.

For a random walk with drift and i.i.d. growth shocks of s.d. s the projection's only lasting
error is that of the five-year mean, so σ = s and τ = s / √5 (tested).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliancelab.errors import EstimationError

__all__ = ["BASE_YEARS", "FIRST_ORIGIN", "HORIZON", "GrowthUncertainty", "growth_uncertainty", "projection_errors"]

#: Years whose mean growth the projection extends (as ``scenario from-data`` does).
BASE_YEARS = 5
#: The longest horizon measured (the backtests' longest test period is 18 years).
HORIZON = 18
#: The first origin year: before 1950 Maddison's series are sparse and often interpolated (too
#: smooth), and the world wars dominate the errors.
FIRST_ORIGIN = 1950


@dataclass(frozen=True)
class GrowthUncertainty:
    """σ (yearly shock) and τ (a run's lasting deviation of the growth rate), what they rest on."""

    yearly: float  # σ
    trend: float  # τ
    spread: pd.Series  # √v(h) by horizon h: the robust s.d. of the projection's log error
    errors: int  # state-origin-horizon errors measured
    last_year: int


def projection_errors(
    gdp: pd.DataFrame, last_year: int, horizon: int = HORIZON, first_origin: int = FIRST_ORIGIN
) -> pd.DataFrame:
    """``ccode``, ``origin``, ``h``, ``error``: the log error of projecting each state's GDP
    (``gdp``: ``ccode``, ``year``, ``gdp``) from every origin from ``first_origin`` on at its
    previous five years' mean growth, for every origin + h ≤ ``last_year``."""
    levels: pd.DataFrame = gdp.pivot_table(index="year", columns="ccode", values="gdp")
    years = range(int(levels.index.min()), int(levels.index.max()) + 1)
    wide: pd.DataFrame = levels.apply(np.log).reindex(years)
    rows = []
    for code in wide.columns:
        ln = wide[code]
        first = max(int(wide.index.min()) + BASE_YEARS, first_origin)
        for origin in range(first, min(last_year, int(wide.index.max()))):
            base = ln.loc[origin - BASE_YEARS : origin]
            if base.isna().any():
                continue
            mean = (base.iloc[-1] - base.iloc[0]) / BASE_YEARS
            ahead = ln.loc[origin + 1 : min(origin + horizon, last_year)]
            h = ahead.index.to_numpy() - origin
            err = ahead.to_numpy() - base.iloc[-1] - h * mean
            ok = np.isfinite(err)
            rows.append(pd.DataFrame({"ccode": code, "origin": origin, "h": h[ok], "error": err[ok]}))
    if not rows:
        return pd.DataFrame(columns=["ccode", "origin", "h", "error"])
    return pd.concat(rows, ignore_index=True)


def growth_uncertainty(
    codes: Iterable[int],
    last_year: int,
    gdp: pd.DataFrame | None = None,
    horizon: int = HORIZON,
    first_origin: int = FIRST_ORIGIN,
) -> GrowthUncertainty:
    """σ and τ for the states ``codes`` from Maddison's GDP up to ``last_year`` (``gdp``:
    ``ccode``, ``year``, ``gdp`` replaces it, for tests)."""
    if gdp is None:
        from alliancelab.data.dyads import maddison_by_cow

        gdp = maddison_by_cow()[["ccode", "year", "gdp"]]
    wanted = {int(c) for c in codes}
    rows = gdp[gdp["ccode"].isin(wanted) & (gdp["year"] <= last_year) & (gdp["gdp"] > 0)]
    errors = projection_errors(rows, last_year, horizon, first_origin)
    if errors.empty or errors["h"].nunique() < 2:
        raise EstimationError(
            f"too little GDP history up to {last_year} to measure projection errors: each origin needs "
            f"{BASE_YEARS} years of Maddison's GDP before it, from {first_origin} on"
        )

    def robust_var(e: pd.Series) -> float:
        return float((1.4826 * np.median(np.abs(e - np.median(e)))) ** 2)

    var = errors.groupby("h")["error"].agg(robust_var)
    h = var.index.to_numpy(float)
    slope, intercept = np.polyfit(h, var.to_numpy() / h, 1)
    return GrowthUncertainty(
        yearly=float(np.sqrt(max(intercept, 0.0))),
        trend=float(np.sqrt(max(slope, 0.0))),
        spread=var.pow(0.5),
        errors=len(errors),
        last_year=last_year,
    )
