"""Compare scenarios on the same seeds: paired differences with their uncertainty."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import xarray as xr

__all__ = ["INDICATORS", "compare_scenarios", "comparison_table"]

Indicator = Callable[[xr.Dataset], xr.DataArray]


def _late(ds: xr.Dataset) -> slice:
    years = ds.year.values
    return slice(int(years[min(len(years) - 1, 4)]), int(years[-1]))


def _mean_over(var: str, actors: Sequence[str] | None = None, scale: float = 1.0) -> Indicator:
    def f(ds: xr.Dataset) -> xr.DataArray:
        v = ds[var].sel(year=_late(ds)).astype("float64")
        if actors is not None:
            v = v.sel(actor=[a for a in actors if a in ds.actor.values])
        dims = [d for d in v.dims if d != "run"]
        return v.mean(dims) * scale

    return f


def _order_share(code: int) -> Indicator:
    def f(ds: xr.Dataset) -> xr.DataArray:
        return (ds["order"].sel(year=_late(ds)) == code).mean("year").astype("float64")

    return f


def _escalation_share(ds: xr.Dataset) -> xr.DataArray:
    c = ds["crisis_count"].sel(year=_late(ds)).sum("year").astype("float64")
    e = ds["escalation"].sel(year=_late(ds)).sum(["year", "actor", "other"]).astype("float64") / 2
    out: xr.DataArray = (e / c.where(c > 0)).where(c > 0)
    return out


ALLIES = ("jpn", "kor", "aus", "phl", "tha", "twn")

#: Indicators (per run, averaged from the fifth year on) reported by ``compare``.
INDICATORS: dict[str, Indicator] = {
    "allied spending share (%)": _mean_over("share", ALLIES, 100),
    "Japan spending share (%)": _mean_over("share", ["jpn"], 100),
    "China spending share (%)": _mean_over("share", ["chn"], 100),
    "China perceived threat (US$ bn)": _mean_over("threat", ["chn"], 1e-9),
    "ROK perceived threat (US$ bn)": _mean_over("threat", ["kor"], 1e-9),
    "Japan abandonment fear": _mean_over("abandonment_fear", ["jpn"]),
    "arms-race index (%/yr)": _mean_over("arms_race_index", None, 100),
    "security-dilemma index": _mean_over("security_dilemma_index"),
    "crises per year": _mean_over("crisis_count"),
    "escalations per crisis": _escalation_share,
    "hub-and-spoke share of years": _order_share(0),
}


def compare_scenarios(results: dict[str, xr.Dataset]) -> dict[str, pd.DataFrame]:
    """Per-run indicator values for each scenario (same seeds, so runs are paired)."""
    out = {}
    for name, ds in results.items():
        cols = {}
        for label, f in INDICATORS.items():
            try:
                cols[label] = f(ds).values
            except KeyError:
                continue
        out[name] = pd.DataFrame(cols)
    return out


def comparison_table(results: dict[str, xr.Dataset]) -> pd.DataFrame:
    """Mean of each indicator per scenario, and for each scenario after the first the paired
    difference from the first: mean, standard error and the 5-95% range over runs."""
    per_run = compare_scenarios(results)
    names = list(per_run)
    base = per_run[names[0]]
    rows = []
    for label in base.columns:
        row: dict[str, object] = {"indicator": label}
        for name in names:
            row[name] = float(np.nanmean(per_run[name][label]))
        for name in names[1:]:
            d = (per_run[name][label] - base[label]).to_numpy(dtype=float)
            d = d[np.isfinite(d)]
            n = max(len(d), 1)
            row[f"{name} − {names[0]}"] = float(np.mean(d)) if len(d) else np.nan
            row[f"{name} s.e."] = float(np.std(d, ddof=1) / np.sqrt(n)) if len(d) > 1 else np.nan
            row[f"{name} 5%"] = float(np.quantile(d, 0.05)) if len(d) else np.nan
            row[f"{name} 95%"] = float(np.quantile(d, 0.95)) if len(d) else np.nan
        rows.append(row)
    return pd.DataFrame(rows).set_index("indicator")
