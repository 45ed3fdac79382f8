"""Readable summaries of an ensemble: spending bands, crisis-prone dyads, order by decade."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from alliancelab.measures.order import ORDER_TYPES

__all__ = ["crisis_prone_dyads", "order_by_decade", "spending_bands", "tidy_summary"]

QUANTILES = (0.1, 0.5, 0.9)


def spending_bands(ds: xr.Dataset, every: int = 5) -> pd.DataFrame:
    """Military share of GDP (%) per actor: the 10/50/90% bands every ``every`` years.

    Columns are a (year, quantile) MultiIndex; rows are actors.
    """
    years = ds.year.values[::every]
    if ds.year.values[-1] not in years:
        years = np.append(years, ds.year.values[-1])
    q = ds["share"].sel(year=years).quantile(list(QUANTILES), dim="run") * 100
    df = q.to_dataframe(name="share")["share"].unstack(["year", "quantile"])
    return df.loc[list(ds.actor.values)]


def crisis_prone_dyads(ds: xr.Dataset, top: int = 5) -> pd.DataFrame:
    """The pairs with the most crises per year (mean over runs), with escalation rates."""
    if "crisis" not in ds:
        return pd.DataFrame(columns=["pair", "crises_per_year", "escalation_share"])
    c = ds["crisis"].astype("float32").mean(["run", "year"]).values
    e = ds["escalation"].astype("float32").mean(["run", "year"]).values if "escalation" in ds else None
    ids = list(ds.actor.values)
    rows = []
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            if c[i, j] > 0:
                rows.append(
                    {
                        "pair": f"{ids[i]}-{ids[j]}",
                        "crises_per_year": float(c[i, j]),
                        "escalation_share": float(e[i, j] / c[i, j]) if e is not None else np.nan,
                    }
                )
    df = pd.DataFrame(rows, columns=["pair", "crises_per_year", "escalation_share"])
    return df.sort_values("crises_per_year", ascending=False).head(top).reset_index(drop=True)


def order_by_decade(ds: xr.Dataset) -> pd.DataFrame:
    """Share of run-years of each order type, by decade (rows) and type (columns)."""
    order = ds["order"].values
    years = ds.year.values
    decades = (years // 10) * 10
    out = {}
    for d in np.unique(decades):
        inside = years[decades == d]
        label = f"{d}s" if len(inside) == 10 else (f"{inside[0]}" if len(inside) == 1 else f"{inside[0]}-{inside[-1]}")
        sel = order[:, decades == d].ravel()
        out[label] = [float(np.mean(sel == k)) for k in range(len(ORDER_TYPES))]
    return pd.DataFrame(out, index=list(ORDER_TYPES)).T


_COLUMNS = ("variable", "entity", "year", "mean", "q10", "q50", "q90")


def _order_shares(order: xr.DataArray) -> pd.DataFrame:
    codes = order.values
    rows = [
        {"variable": "order_share", "entity": kind, "year": int(y), "mean": float(np.mean(codes[:, t] == k))}
        for t, y in enumerate(order.year.values)
        for k, kind in enumerate(ORDER_TYPES)
    ]
    return pd.DataFrame(rows, columns=list(_COLUMNS))


def tidy_summary(ds: xr.Dataset) -> pd.DataFrame:
    """Long table: variable, actor (or link, or '' for the region), year, mean, q10, q50, q90.

    The order type is a category: its rows (variable ``order_share``, entity the type) hold the
    share of runs in each type, with no quantiles.
    """
    frames = []
    for name, var in ds.data_vars.items():
        if name == "order" and "run" in var.dims:
            frames.append(_order_shares(var))
            continue
        if "run" not in var.dims or "year" not in var.dims or "other" in var.dims or var.size == 0:
            continue  # dyadic outputs are summarised elsewhere; a scenario without alliances has no links
        v = var.astype("float64")
        # NumPy's NaN-skipping quantile loops over every series in Python: only where needed
        # (failed runs kept with throw=False); without NaNs both give the same numbers
        q = v.quantile(list(QUANTILES), dim="run", skipna=bool(v.isnull().any()))
        stats = xr.concat(
            [v.mean("run"), *(q.sel(quantile=x).drop_vars("quantile") for x in QUANTILES)],
            dim=pd.Index(["mean", "q10", "q50", "q90"], name="stat"),
        )
        df = stats.to_dataframe(name="value")["value"].unstack("stat").reset_index()
        entity = next((d for d in ("actor", "link") if d in var.dims), None)
        df = df.assign(entity=df[str(entity)] if entity else "")
        df["variable"] = str(name)
        frames.append(df[list(_COLUMNS)])
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(_COLUMNS))
