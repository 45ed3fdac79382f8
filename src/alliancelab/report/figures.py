"""Figures: spending-share bands per actor, regional indices, and order type over time."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import xarray as xr

from alliancelab.measures.order import ORDER_TYPES
from alliancelab.report.files import save_figure
from alliancelab.report.observed import observed_shares

__all__ = ["write_figures"]


def _shock_years(ds: xr.Dataset) -> list[int]:
    """The years the scenario's shocks take effect within the run (from its manifest)."""
    try:
        shocks = json.loads(ds.attrs["manifest"])["resolved_scenario"].get("shock", [])
    except (KeyError, ValueError, TypeError):
        return []
    years = {int(s["year"]) for s in shocks if isinstance(s, dict) and "year" in s}
    return sorted(y for y in years if int(ds.year.values[0]) < y <= int(ds.year.values[-1]))


def write_figures(ds: xr.Dataset, out: Path) -> list[Path]:
    """Write PNG figures of a simulation into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    years = ds.year.values
    title = ds.attrs.get("scenario", "")
    if "share" in ds:
        actors = list(ds.actor.values)
        cols = 5
        rows = int(np.ceil(len(actors) / cols))
        fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.4 * rows), sharex=True, squeeze=False)
        q = ds["share"].quantile([0.1, 0.5, 0.9], dim="run") * 100
        observed = observed_shares(ds)
        shocks = _shock_years(ds)
        for k, (ax, a) in enumerate(zip(axes.ravel(), actors, strict=False)):
            lo, mid, hi = (q.sel(actor=a, quantile=k).values for k in (0.1, 0.5, 0.9))
            ax.fill_between(years, lo, hi, alpha=0.3, color="C0", label="10-90% of runs")
            ax.plot(years, mid, color="C0", label="median")
            if observed is not None and a in observed.index:
                seen = observed.loc[a].dropna()
                ax.plot(seen.index, seen.values, "k.", markersize=3, label="observed (SIPRI)")
            name = str(ds["actor_name"].sel(actor=a).values) if "actor_name" in ds.coords else str(a)
            ax.set_title(f"{name} ({a})", fontsize=9)
            ax.axhline(float(mid[0]), color="grey", lw=0.8, ls=":", label="start-year share")
            for year in shocks:
                ax.axvline(year, color="C3", lw=0.8, ls="--", alpha=0.6)
            # from zero: a band of 0.1 point must not look like one of 10 points
            top = max(
                float(np.nanmax(hi)),
                float(observed.loc[a].max()) if observed is not None and a in observed.index else 0.0,
            )
            ax.set_ylim(0, 1.15 * top if top > 0 else 1)
            if k % cols == 0:
                ax.set_ylabel("% of GDP", fontsize=8)
            ax.tick_params(labelsize=7)
        for ax in axes.ravel()[len(actors) :]:
            ax.axis("off")
        axes.ravel()[0].legend(fontsize=6, loc="best")
        what = "; dots: observed, SIPRI" if observed is not None else ""
        marks = "; dashed red: shock years" if shocks else ""
        fig.suptitle(
            f"{title}: military spending, % of GDP (band: 10-90% of runs, line: median; dotted: start{what}{marks})"
        )
        fig.tight_layout()
        paths.append(out / "spending_share.png")
        save_figure(fig, paths[-1], dpi=110)
        plt.close(fig)
    region = [v for v in ("arms_race_index", "security_dilemma_index", "crisis_count", "centralization") if v in ds]
    if region:
        fig, axes = plt.subplots(1, len(region), figsize=(4 * len(region), 3), squeeze=False)
        for ax, v in zip(axes[0], region, strict=True):
            q = ds[v].astype("float64").quantile([0.1, 0.5, 0.9], dim="run")
            ax.fill_between(years, q.sel(quantile=0.1), q.sel(quantile=0.9), alpha=0.3)
            ax.plot(years, ds[v].astype("float64").mean("run"), label="mean")
            ax.set_title(v.replace("_", " "), fontsize=10)
        fig.suptitle(f"{title}: regional indices")
        fig.tight_layout()
        paths.append(out / "regional_indices.png")
        save_figure(fig, paths[-1], dpi=110)
        plt.close(fig)
    if "order" in ds:
        fig, ax = plt.subplots(figsize=(7, 3.2))
        order = ds["order"].values
        fractions = np.stack([(order == k).mean(axis=0) for k in range(len(ORDER_TYPES))])
        ax.stackplot(years, fractions, labels=ORDER_TYPES, alpha=0.85)
        ax.set_ylim(0, 1)
        ax.set_ylabel("share of runs")
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1, 0.5))
        ax.set_title(f"{title}: regional order type")
        fig.tight_layout()
        paths.append(out / "order_type.png")
        save_figure(fig, paths[-1], dpi=110)
        plt.close(fig)
    return paths
