"""Write a bargaining forecast: round table, events, the dataset, a summary and a figure."""

from __future__ import annotations

import json
from pathlib import Path

import xarray as xr

from alliancelab.engine.manifest import package_version
from alliancelab.models.bargaining import events_table, outcome_summary, round_table
from alliancelab.report.saving import save_csv, save_netcdf, write_text
from alliancelab.report.style import BAND, OBSERVED, START, colours, finish, grid, styled

__all__ = ["plot_forecast", "write_forecast"]


@styled
def plot_forecast(ds: xr.Dataset, path: Path) -> Path:
    """Positions by round (copy 0) with the weighted median and mean, each actor named at its
    line's end; beside it the perturbed forecasts."""
    perturbed = ds.sizes["copy"] > 1
    fig, axes = grid(2 if perturbed else 1, 2, panel=(4.6, 3.4), left=0.6, bottom=0.5)
    if perturbed:
        fig.subplots_adjust(wspace=0.55)
    ax = axes[0, 0]
    one = ds.sel(copy=0)
    rounds = ds["round"].values
    actors = list(ds["actor"].values)
    for actor, (colour, dash) in zip(actors, colours(len(actors)), strict=True):
        path_ = one["position"].sel(actor=actor).values
        ax.plot(rounds, path_, lw=1, ls=dash, color=colour, label=str(actor))
    ax.plot(rounds, one["median"], color=OBSERVED, lw=2.2, ls="--", label="weighted median")
    ax.plot(rounds, one["mean"], color=START, lw=2, ls=":", label="weighted mean")
    ax.set_xlabel("round")
    ax.set_ylabel(f"position ({ds.attrs['low']:g} = {ds.attrs['low_means'] or 'low'})")
    ax.set_ylim(ds.attrs["low"], ds.attrs["high"])
    ax.set_title(f"{ds.attrs['title'] or ds.attrs['issue']}")
    ax.legend(ncol=1, loc="center left", bbox_to_anchor=(1.01, 0.5))  # beside, never over lines
    if perturbed:
        f = ds["forecast"].sel(copy=slice(1, None)).values
        bx = axes[0, 1]
        bx.hist(f, bins=30, range=(ds.attrs["low"], ds.attrs["high"]), color=BAND, alpha=0.8)
        bx.axvline(float(ds["forecast"].sel(copy=0)), color=OBSERVED, ls="--", label="as given")
        bx.set_xlabel("forecast outcome (weighted median after the last round)")
        bx.set_ylabel("perturbed copies")
        bx.set_title(f"{f.size} perturbed copies")
        bx.legend()
    rules = f"expected-utility forecast, rules: {ds.attrs['probability']} / {ds.attrs['offer_choice']}"
    return finish(fig, path, rules)


def write_forecast(ds: xr.Dataset, out: Path, figures: bool = True) -> dict[str, Path]:
    """Write ``rounds.csv``, ``events.csv``, ``forecast.nc``, ``forecast.json`` and ``positions.png``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "rounds": out / "rounds.csv",
        "events": out / "events.csv",
        "dataset": out / "forecast.nc",
        "summary": out / "forecast.json",
    }
    save_csv(round_table(ds), paths["rounds"], float_format="%.6g")
    save_csv(events_table(ds), paths["events"], index=False, float_format="%.6g")
    save_netcdf(ds, paths["dataset"])
    summary = {
        "alliancelab": package_version(),
        **ds.attrs,
        **outcome_summary(ds).to_dict(),
        "citations": ["bueno-de-mesquita", "expected-utility"],
    }
    write_text(paths["summary"], json.dumps(summary, indent=1, sort_keys=True, default=str))
    if figures:
        paths["figure"] = plot_forecast(ds, out / "positions.png")
    return paths
