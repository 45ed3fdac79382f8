"""Per-run results as tidy tables, for R, Stata or a spreadsheet: one row per run, year and state,
alliance link or pair, and one per run and year for the region.

Each table is written as CSV and as Parquet (the same rows): ``runs_actor``, ``runs_link``,
``runs_pair``, ``runs_region`` and ``runs_status`` (each run's status code and failure year).
The pair table holds each unordered pair once (``actor`` before ``other`` in the scenario's
order), since every pair output is symmetric. Columns are the outputs' names (units:
``alliancelab.models.order.outputs`` and docs/models/order.md); a state's name and a link's
alliance, defender and defended state are columns too, so no lookup is needed. In R:
``arrow::read_parquet("runs_actor.parquet")`` or ``read.csv("runs_actor.csv")``; in Stata:
``import delimited runs_actor.csv``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from alliancelab.data.files import replacing

__all__ = ["FORMATS", "TABLES", "stacked_runs", "tidy_runs", "write_tables", "write_tidy"]

#: each table and the dimensions (after run and year) of the outputs it holds
TABLES: dict[str, tuple[str, ...]] = {"actor": ("actor",), "link": ("link",), "pair": ("actor", "other"), "region": ()}
FORMATS = ("csv", "parquet")


def _table(ds: xr.Dataset, dims: tuple[str, ...]) -> pd.DataFrame | None:
    names = [str(v) for v in ds.data_vars if ds[v].dims == ("run", "year", *dims)]
    if not names:
        return None
    part = ds[names]
    if dims == ("actor", "other"):  # each unordered pair once: the outputs are symmetric
        ids = np.array([str(a) for a in ds.actor.values])
        i, j = np.triu_indices(len(ids), k=1)
        runs, years = ds.run.values, ds.year.values
        frame = pd.DataFrame(
            {
                "run": np.repeat(runs, len(years) * len(i)),
                "year": np.tile(np.repeat(years, len(i)), len(runs)),
                "actor": np.tile(ids[i], len(runs) * len(years)),
                "other": np.tile(ids[j], len(runs) * len(years)),
            }
        )
        for name in names:
            frame[name] = part[name].values[:, :, i, j].reshape(-1)
    else:
        frame = part.reset_coords(drop=True).to_dataframe().reset_index()
    if dims == ("actor",) and "actor_name" in ds.coords:  # pairs carry ids alone: names are in runs_actor
        names_of = dict(zip(map(str, ds.actor.values), map(str, ds["actor_name"].values), strict=True))
        frame.insert(list(frame.columns).index("actor") + 1, "actor_name", frame["actor"].map(names_of))

    if dims == ("link",):
        for coord in ("link_alliance", "link_defender", "link_defended"):
            if coord in ds.coords:
                frame[coord.removeprefix("link_")] = frame["link"].map(
                    dict(zip(map(str, ds.link.values), map(str, ds[coord].values), strict=True))
                )
    keys = ["run", "year", *(["actor", "other"] if dims == ("actor", "other") else dims)]
    rest = [c for c in frame.columns if c not in keys]
    return frame[keys + rest]


def tidy_runs(ds: xr.Dataset, scenario: str | None = None) -> dict[str, pd.DataFrame]:
    """The per-run tables of a result (those whose outputs it kept), and each run's status;
    with ``scenario``, a first column that names it (tables of several scenarios stack)."""
    out = {name: t for name, dims in TABLES.items() if (t := _table(ds, dims)) is not None}
    if "status" in ds:
        status = ds[[v for v in ("status", "fail_year") if v in ds]].reset_coords(drop=True).to_dataframe()
        out["status"] = status.reset_index()
    if scenario is not None:
        for frame in out.values():
            frame.insert(0, "scenario", scenario)
    return out


def write_tables(tables: dict[str, pd.DataFrame], out: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write each table as ``runs_{name}.csv`` and ``runs_{name}.parquet`` (Apache Arrow's
    writers: a float is written in the fewest digits that read back to the same float32)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    paths = []
    for name, frame in tables.items():
        table = pa.Table.from_pandas(frame, preserve_index=False)
        for fmt in formats:
            path = out / f"runs_{name}.{fmt}"
            with replacing(path) as tmp:
                if fmt == "csv":
                    pcsv.write_csv(table, tmp)
                else:
                    pq.write_table(table, tmp)
            paths.append(path)
    return paths


def write_tidy(ds: xr.Dataset, out: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write :func:`tidy_runs` of one result into ``out``."""
    return write_tables(tidy_runs(ds), out, formats)


def stacked_runs(results: dict[str, xr.Dataset]) -> dict[str, pd.DataFrame]:
    """The per-run tables of several scenarios, stacked with a ``scenario`` column (the same run
    number is the same seed in every scenario: the rows are paired)."""
    parts: dict[str, list[pd.DataFrame]] = {}
    for name, ds in results.items():
        for table, frame in tidy_runs(ds, scenario=name).items():
            parts.setdefault(table, []).append(frame)
    return {table: pd.concat(frames, ignore_index=True) for table, frames in parts.items()}
