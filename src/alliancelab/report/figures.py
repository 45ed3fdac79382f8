"""Figures: spending-share and perceived-threat bands per state, regional measures, and the order type over time."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from alliancelab.measures.order import ORDER_TYPES
from alliancelab.report.observed import observed_shares
from alliancelab.report.style import (
    OKABE_ITO,
    START,
    band,
    finish,
    grid,
    mark_shocks,
    observed,
    shock_years,
    styled,
)

__all__ = [
    "REGION_MEASURES",
    "order_figure",
    "region_figure",
    "spending_figure",
    "threat_figure",
    "write_figures",
]


def _name(ds: xr.Dataset, actor: str) -> str:
    return str(ds["actor_name"].sel(actor=actor).values) if "actor_name" in ds.coords else str(actor)


def _state_bands(
    ds: xr.Dataset, variable: str, scale: float, unit: str, what: str, record: pd.DataFrame | None, path: Path
) -> Path:
    """One panel per state: the runs' band and median of ``variable`` × ``scale`` (in ``unit``),
    the start-year value, the observed ``record`` (actor × year, same unit) where given, and the
    shock years. Every axis starts at zero, so a band of 0.1 point never looks like one of 10."""
    years = ds.year.values
    actors = list(ds.actor.values)
    cols = 5
    fig, axes = grid(len(actors), cols, title_lines=2, sharex=True, years=True)
    q = ds[variable].quantile([0.1, 0.5, 0.9], dim="run").transpose("quantile", "year", "actor").values * scale
    shocks = shock_years(ds)
    for k, (ax, a) in enumerate(zip(axes.ravel(), actors, strict=False)):
        lo, mid, hi = q[0, :, k], q[1, :, k], q[2, :, k]
        band(ax, years, lo, mid, hi)
        seen = record.loc[a].dropna() if record is not None and a in record.index else None
        if seen is not None:
            observed(ax, seen.index, seen.values, "SIPRI")
        ax.axhline(float(mid[0]), color=START, lw=0.8, ls=":", label="start-year value")
        mark_shocks(ax, shocks)
        ax.set_title(_name(ds, a))
        top = max(float(np.nanmax(hi)), float(seen.max()) if seen is not None and len(seen) else 0.0)
        ax.set_ylim(0, 1.15 * top if top > 0 else 1)
        if k % cols == 0:
            ax.set_ylabel(unit)
    axes.ravel()[0].legend(loc="lower left")
    dots = "; dots: observed, SIPRI" if record is not None else ""
    marks = "; dashed: shock years" if shocks else ""
    title = ds.attrs.get("scenario", "")
    return finish(fig, path, f"{title}: {what}\n(band: 10-90% of runs, line: median; dotted: start{dots}{marks})")


@styled
def spending_figure(ds: xr.Dataset, path: Path) -> Path:
    """Each state's military spending share, with SIPRI's record where the run reaches into it."""
    return _state_bands(ds, "share", 100.0, "% of GDP", "military spending, % of GDP", observed_shares(ds), path)


#: "Perceived threat" in words, where a reader meets its number.
THREAT_IN_WORDS = (
    "Perceived threat (US$ bn) is the military capital of the states a state is hostile to, weighed by the "
    "hostility and discounted by distance (Walt's balance of threat), as that state sees it: a sum over several "
    "states' capital stocks, so it can exceed any one state's yearly spending many times over"
)


@styled
def threat_figure(ds: xr.Dataset, path: Path) -> Path:
    """Each state's perceived threat (the balance of threat: hostile capability weighed by
    distance, hostility and misperception, less the restraint of anchored allies)."""
    what = (
        "perceived threat, US$ bn: the military capital of the states each is hostile to, weighed by hostility "
        "and discounted by distance (balance of threat)"
    )
    return _state_bands(ds, "threat", 1e-9, "US$ bn", what, None, path)


#: The region measures drawn by ``run``, with the unit of each y-axis.
REGION_MEASURES = {
    "arms_race_index": "index, per year",
    "security_dilemma_index": "index (0-1)",
    "crisis_count": "crises begun per year",
    "centralization": "Freeman centralization (0-1)",
}


@styled
def region_figure(ds: xr.Dataset, path: Path) -> Path:
    """The region measures: the runs' band and median, with the shock years."""
    years = ds.year.values
    region = [v for v in REGION_MEASURES if v in ds]
    fig, axes = grid(len(region), 4, panel=(3.2, 2.3), left=0.6, years=True)
    for ax, v in zip(axes[0], region, strict=False):
        q = ds[v].astype("float64").quantile([0.1, 0.5, 0.9], dim="run").transpose("quantile", "year").values
        band(ax, years, q[0], q[1], q[2])
        mark_shocks(ax, shock_years(ds))
        ax.set_title(v.replace("_", " "))
        ax.set_ylabel(REGION_MEASURES[v])
        ax.set_ylim(bottom=0)
    axes[0, 0].legend(loc="best")
    return finish(fig, path, f"{ds.attrs.get('scenario', '')}: regional measures")


@styled
def order_figure(ds: xr.Dataset, path: Path) -> Path:
    """The share of runs in each regional order type, year by year."""
    years = ds.year.values
    fig, axes = grid(1, 1, panel=(6.0, 2.6), left=0.6, bottom=0.45, years=True)
    ax = axes[0, 0]
    fig.subplots_adjust(right=0.72)
    order = ds["order"].values
    fractions = np.stack([(order == k).mean(axis=0) for k in range(len(ORDER_TYPES))])
    ax.stackplot(years, fractions, labels=ORDER_TYPES, colors=OKABE_ITO[: len(ORDER_TYPES)], alpha=0.85)
    mark_shocks(ax, shock_years(ds))
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of runs")
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5))
    return finish(fig, path, f"{ds.attrs.get('scenario', '')}: regional order type")


def write_figures(ds: xr.Dataset, out: Path) -> list[Path]:
    """Write PNG figures of a simulation into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    if "share" in ds:
        paths.append(spending_figure(ds, out / "spending_share.png"))
    if "threat" in ds:
        paths.append(threat_figure(ds, out / "threat.png"))
    if any(v in ds for v in REGION_MEASURES):
        paths.append(region_figure(ds, out / "regional_indices.png"))
    if "order" in ds:
        paths.append(order_figure(ds, out / "order_type.png"))
    return paths
