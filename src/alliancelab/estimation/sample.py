"""The stage-1 estimation sample: non-directed dyad-years for crisis onset, built from the
registry's files (the stage-2 state-year panel is in :mod:`alliancelab.estimation.spending`).

Every covariate of a dyad-year t is measured in year t − 1 (Nordhaus, Oneal & Russett 2012
predict t + 1 from t), so nothing a dispute causes — an alliance signed in answer to it, a
trade collapse — can leak into its own prediction. Peace-years count only earlier disputes.

Predictors and their engine counterparts (``docs/estimation.md`` has the full table):

=================  ==========================================================  =====================
column             data (year t − 1)                                           engine state
=================  ==========================================================  =====================
contiguous         COW direct contiguity types 1–3 (land, ≤ 12, ≤ 24 miles)    pair attribute
sea_contiguous     COW direct contiguity types 4–5 (≤ 150, ≤ 400 miles of sea)   pair attribute
ln_distance        log great-circle km between capitals                        capitals' lat/lon
preponderance      larger GDP / sum of both (Anders et al. 2020 real GDP)      GDP
major              either side a COW major power                               ``major_power``
democracy_low      lower V-Dem polyarchy (0–1)                                 ``democracy``
democracy_high     higher V-Dem polyarchy                                      ``democracy``
trade_low          lower national trade openness, (imports + exports) / GDP    ``trade`` (proxy)
igos               shared full IGO memberships, in tens                         institutions
allied             any ATOP 5.1 obligation in force                            alliance ties
rivalry            TSS strategic rivalry in force                              rivalry / hostility
peace_years        years since the dyad's last dispute year (+ BKT splines)    years since a crisis
=================  ==========================================================  =====================

Trade is a proxy: dyadic trade is not among the data, so the weak link's national openness
stands in for dyadic dependence (Oneal & Russett use bilateral trade / GDP). Openness deflates
COW's current-dollar trade with the U.S. price level implied by SIPRI's U.S. series (current ÷
constant 2022 dollars) and divides by the 2011-dollar PPP GDP estimates of Anders, Fariss &
Markowitz (2020), so its level is only roughly comparable across states.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliancelab.data.cow import load_igos, load_trade
from alliancelab.data.dyads import add_alliances, add_contiguity, add_majors, add_rivalries, dyad_years, state_years
from alliancelab.data.files import DataFileError
from alliancelab.data.geography import capital_distance
from alliancelab.data.mids import mid_dyad_years, peace_years
from alliancelab.data.sources import load_democracy, load_gdp_estimates, load_sipri

__all__ = [
    "PREDICTORS",
    "conflict_dyad_years",
    "dyad_covariates",
    "us_price_level",
]

#: The stage-1 predictors (without the peace-year splines), in table order.
PREDICTORS: tuple[str, ...] = (
    "contiguous",
    "sea_contiguous",
    "ln_distance",
    "preponderance",
    "major",
    "democracy_low",
    "democracy_high",
    "trade_low",
    "igos",
    "allied",
    "rivalry",
    "peace_years",
)
#: The last year MID 5.0 covers.
MID_LAST_YEAR = 2014


def us_price_level() -> pd.Series:
    """U.S. price level by year, 2011 = 1: SIPRI's U.S. current ÷ constant-2022 dollar spending."""
    s = load_sipri()
    us = s[s["ccode"] == 2].dropna(subset=["milex_current_usd_m", "milex_const2022_usd_m"])
    level = (us["milex_current_usd_m"] / us["milex_const2022_usd_m"]).astype(float)
    level.index = us["year"].astype(int).to_numpy()
    if 2011 not in level.index:
        raise DataFileError("SIPRI: no U.S. series for 2011, needed as the price base")
    return level / level.loc[2011]


def _state_table(years: range) -> pd.DataFrame:
    """State-year covariates: real GDP, polyarchy, trade openness, major-power status."""
    sy = state_years(years.start, years.stop - 1)[["ccode", "year"]].astype("int64")
    gdp = load_gdp_estimates()[["ccode", "year", "gdp"]].dropna()
    gdp = gdp.astype({"ccode": "int64", "year": "int64", "gdp": float})
    dem = load_democracy()[["ccode", "year", "v2x_polyarchy"]].dropna()
    dem = dem.astype({"ccode": "int64", "year": "int64", "v2x_polyarchy": float}).drop_duplicates(["ccode", "year"])
    trade = load_trade().dropna().astype({"ccode": "int64", "year": "int64", "imports": float, "exports": float})
    price = us_price_level()
    trade["trade_real"] = (trade["imports"] + trade["exports"]) * 1e6 / trade["year"].map(price)
    out = sy.merge(gdp, on=["ccode", "year"], how="left").merge(dem, on=["ccode", "year"], how="left")
    out = out.merge(trade[["ccode", "year", "trade_real"]], on=["ccode", "year"], how="left")
    out["openness"] = out["trade_real"] / out["gdp"]
    out = add_majors(out).astype({"major": "int64"})
    return out.drop(columns="trade_real")


def _pair_flags(pairs: pd.DataFrame) -> pd.DataFrame:
    """Contiguity, ATOP ties, rivalry and IGOs for non-directed dyad-years (``ccode1`` < ``ccode2``),
    through the dyad-year joins of :mod:`alliancelab.data.dyads`."""
    key = ["ccode1", "ccode2", "year"]
    out = add_rivalries(add_alliances(add_contiguity(pairs[key]), source="atop"))
    obligations = [c for c in out.columns if c.startswith("atop_")]
    out["contiguous"] = out["conttype"].between(1, 3).astype("int64")
    out["sea_contiguous"] = out["conttype"].between(4, 5).astype("int64")
    out["allied"] = (out[obligations].max(axis=1) == 1).astype("int64")
    out["rivalry"] = out["rivalry"].astype("int64")
    out = out.merge(load_igos().astype("int64"), on=key, how="left")
    out["igos"] = out["dyadigos"].astype(float) / 10.0
    return out[[*key, "contiguous", "sea_contiguous", "allied", "rivalry", "igos"]]


def dyad_covariates(pairs: pd.DataFrame) -> pd.DataFrame:
    """The stage-1 covariates (without peace-years) of non-directed dyad-years, measured in the
    row's own year: ``pairs`` holds ``ccode1`` < ``ccode2`` and ``year``."""
    if not (pairs["ccode1"] < pairs["ccode2"]).all():
        raise DataFileError("dyad covariates need non-directed dyads (ccode1 < ccode2 on every row)")
    years = range(int(pairs["year"].min()), int(pairs["year"].max()) + 1)
    st = _state_table(years)
    out = _pair_flags(pairs)
    for side in ("1", "2"):
        out = out.merge(
            st.rename(columns={"ccode": f"ccode{side}", **{c: f"{c}{side}" for c in st.columns[2:]}}),
            on=[f"ccode{side}", "year"],
            how="left",
        )
    # capitals closer than 10 km (none among system members) would send the log to −inf
    out["ln_distance"] = np.log(np.maximum(capital_distance(out).to_numpy(float), 10.0))
    g1, g2 = out["gdp1"].to_numpy(float), out["gdp2"].to_numpy(float)
    out["preponderance"] = np.maximum(g1, g2) / (g1 + g2)
    out["major"] = np.maximum(out["major1"].fillna(0), out["major2"].fillna(0)).astype("int64")
    d1, d2 = out["v2x_polyarchy1"].to_numpy(float), out["v2x_polyarchy2"].to_numpy(float)
    out["democracy_low"], out["democracy_high"] = np.fmin(d1, d2), np.fmax(d1, d2)
    out.loc[np.isnan(d1) | np.isnan(d2), ["democracy_low", "democracy_high"]] = np.nan
    o1, o2 = out["openness1"].to_numpy(float), out["openness2"].to_numpy(float)
    out["trade_low"] = np.where(np.isnan(o1) | np.isnan(o2), np.nan, np.fmin(o1, o2))
    keep = ["ccode1", "ccode2", "year", *[p for p in PREDICTORS if p != "peace_years"], "gdp1", "gdp2"]
    return out[keep]


def conflict_dyad_years(start: int = 1950, end: int = MID_LAST_YEAR) -> pd.DataFrame:
    """Non-directed dyad-years of every pair of COW system members, ``start``–``end``, ready for
    the onset model: ``onset``, ``fatal_onset``, ``ongoing`` (this year), ``continuing`` (1 where
    the dyad was already in a dispute that went on from the year before and began no new one —
    onset models drop these rows), the :data:`PREDICTORS` measured in t − 1, and ``complete``
    (no predictor missing).
    """
    if end > MID_LAST_YEAR:
        raise DataFileError(f"MID 5.0 ends in {MID_LAST_YEAR}; got end year {end}")
    if start < 1817 or end < start:
        raise DataFileError(f"give 1817 <= start <= end <= {MID_LAST_YEAR}; got {start}-{end}")
    dy = dyad_years(start, end, directed=False)[["ccode1", "ccode2", "year"]].astype("int64")
    history = mid_dyad_years(1816, end)
    events = history[history["year"] >= start - 1]
    out = dy.merge(events, on=["ccode1", "ccode2", "year"], how="left")
    for c in ("onset", "fatal_onset", "ongoing", "disputes"):
        out[c] = out[c].fillna(0).astype("int64")
    prev = events[["ccode1", "ccode2", "year"]].assign(year=events["year"] + 1, was=1)
    out = out.merge(prev, on=["ccode1", "ccode2", "year"], how="left")
    out["continuing"] = ((out["was"].fillna(0) == 1) & (out["ongoing"] == 1) & (out["onset"] == 0)).astype("int64")
    out = out.drop(columns="was")
    out["peace_years"] = peace_years(out, events=history).to_numpy()
    lagged = dyad_covariates(out[["ccode1", "ccode2", "year"]].assign(year=out["year"] - 1))
    lagged = lagged.assign(year=lagged["year"] + 1).drop(columns=["gdp1", "gdp2"])
    out = out.merge(lagged, on=["ccode1", "ccode2", "year"], how="left")
    out["complete"] = out[list(PREDICTORS)].notna().all(axis=1)
    return out
