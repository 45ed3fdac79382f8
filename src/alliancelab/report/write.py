"""Write a simulation's files: NetCDF dataset, tidy CSV summary, figures and the manifest."""

from __future__ import annotations

import json
from pathlib import Path

import xarray as xr

from alliancelab.engine.manifest import read_manifest
from alliancelab.report.export import FORMATS, write_tidy
from alliancelab.report.figures import write_figures
from alliancelab.report.saving import save_csv, save_netcdf, write_text
from alliancelab.report.summary import tidy_summary

__all__ = ["write_results"]


def write_results(
    ds: xr.Dataset, out: Path, figures: bool = True, tables: tuple[str, ...] = FORMATS
) -> dict[str, Path]:
    """Write ``results.nc``, ``summary.csv``, ``manifest.json``, PNG figures and the per-run
    tables (:mod:`alliancelab.report.export`, in the ``tables`` formats) into ``out``.

    The manifest (also in the NetCDF attributes and the CSV's companion) records the
    alliancelab version, the resolved scenario and its hash, seed, parameters, options and data
    versions, so the figures can be reproduced from these files alone.
    """
    out.mkdir(parents=True, exist_ok=True)
    paths = {"dataset": out / "results.nc", "summary": out / "summary.csv", "manifest": out / "manifest.json"}
    save_netcdf(ds, paths["dataset"])
    save_csv(tidy_summary(ds), paths["summary"], index=False, float_format="%.6g")
    write_text(paths["manifest"], json.dumps(read_manifest(ds), indent=1, sort_keys=True))
    for p in write_tidy(ds, out, tables):
        paths[p.name] = p
    if figures:
        for p in write_figures(ds, out):
            paths[p.stem] = p
    return paths
