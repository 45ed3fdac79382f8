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

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from alliancelab.data.files import replacing

__all__ = [
    "FORMATS",
    "TABLES",
    "stacked_runs",
    "tidy_runs",
    "tidy_table",
    "write_stacked",
    "write_tables",
    "write_tidy",
]

#: each table and the dimensions (after run and year) of the outputs it holds
TABLES: dict[str, tuple[str, ...]] = {"actor": ("actor",), "link": ("link",), "pair": ("actor", "other"), "region": ()}
FORMATS = ("csv", "parquet")


def _labels(values: np.ndarray) -> pd.Categorical:
    """A coordinate's labels as a categorical: one string per label, not one per row."""
    labels = [str(v) for v in values]
    return pd.Categorical(labels, categories=pd.unique(np.array(labels, dtype=object)))


def _repeated(labels: pd.Categorical, codes: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, dtype=labels.dtype)


def _table(ds: xr.Dataset, dims: tuple[str, ...]) -> pd.DataFrame | None:
    """One table's frame; the label columns are categoricals (a code per row, the text once),
    so a table of millions of rows takes its numbers' memory and little more."""
    names = [str(v) for v in ds.data_vars if ds[v].dims == ("run", "year", *dims)]
    if not names:
        return None
    runs, years = ds.run.values, ds.year.values
    n_runs, n_years = len(runs), len(years)
    columns: dict[str, Any] = {}
    index: tuple[Any, ...]
    if dims == ("actor", "other"):  # each unordered pair once: the outputs are symmetric
        ids = _labels(ds.actor.values)
        i, j = np.triu_indices(len(ids), k=1)
        cells = len(i)
        index = (slice(None), slice(None), i, j)
        keys = {
            "actor": _repeated(ids, np.tile(i, n_runs * n_years)),
            "other": _repeated(ids, np.tile(j, n_runs * n_years)),
        }
    elif dims:
        labels = _labels(ds[dims[0]].values)
        cells = len(labels)
        index = (slice(None),) * 3
        keys = {dims[0]: _repeated(labels, np.tile(np.arange(cells), n_runs * n_years))}
    else:
        cells, index, keys = 1, (slice(None),) * 2, {}
    columns["run"] = np.repeat(runs, n_years * cells)
    columns["year"] = np.tile(np.repeat(years, cells), n_runs)
    columns.update(keys)
    for name in names:
        columns[name] = ds[name].values[index].reshape(-1)
    frame = pd.DataFrame(columns, copy=False)
    if dims == ("actor",) and "actor_name" in ds.coords:  # pairs carry ids alone: names are in runs_actor
        state_names: Any = _coordinate(ds, "actor", "actor_name", frame["actor"])
        frame.insert(list(frame.columns).index("actor") + 1, "actor_name", state_names)
    if dims == ("link",):
        for coord in ("link_alliance", "link_defender", "link_defended"):
            if coord in ds.coords:
                frame[coord.removeprefix("link_")] = _coordinate(ds, "link", coord, frame["link"])
    return frame


def _coordinate(ds: xr.Dataset, dim: str, coord: str, key: pd.Series) -> pd.Categorical:
    """A label coordinate of ``dim`` (a state's name, a link's alliance) row by row."""
    labels = _labels(ds[coord].values)
    return _repeated(labels, labels.codes[key.cat.codes.to_numpy()])


def tidy_runs(ds: xr.Dataset, scenario: str | None = None) -> dict[str, pd.DataFrame]:
    """The per-run tables of a result (those whose outputs it kept), and each run's status;
    with ``scenario``, a first column that names it (tables of several scenarios stack)."""
    return {name: frame for name in (*TABLES, "status") if (frame := tidy_table(ds, name, scenario)) is not None}


def tidy_table(ds: xr.Dataset, name: str, scenario: str | None = None) -> pd.DataFrame | None:
    """One of :func:`tidy_runs`' tables (None where the result kept none of its outputs)."""
    frame: pd.DataFrame | None
    if name == "status":
        if "status" not in ds:
            return None
        frame = ds[[v for v in ("status", "fail_year") if v in ds]].reset_coords(drop=True).to_dataframe()
        frame = frame.reset_index()
    else:
        frame = _table(ds, TABLES[name])
    if frame is not None and scenario is not None:
        label: Any = pd.Categorical.from_codes(np.zeros(len(frame), np.int8), dtype=pd.CategoricalDtype([scenario]))
        frame.insert(0, "scenario", label)
    return frame


#: rows per piece when a table is written: a table of any size is written in pieces of this many
#: rows (about 50–120 MB of memory, whatever the number of runs)
PIECE_ROWS = 1_000_000


def write_tables(
    tables: Iterable[tuple[str, Iterable[pd.DataFrame]]], out: Path, formats: tuple[str, ...] = FORMATS
) -> list[Path]:
    """Write each ``(name, pieces)`` as ``runs_{name}.csv`` and ``runs_{name}.parquet``, the
    pieces one after another (Apache Arrow's writers: a float is written in the fewest digits
    that read back to the same float32). Each piece is made, written and let go before the next,
    so the memory is a piece's, not the table's."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    paths: list[Path] = []
    for name, pieces in tables:
        targets = {fmt: out / f"runs_{name}.{fmt}" for fmt in formats}
        with ExitStack() as stack:
            tmps = {fmt: stack.enter_context(replacing(path)) for fmt, path in targets.items()}
            writers: list[Any] = []
            schema = None
            for frame in pieces:
                table = _arrow(frame)
                del frame
                if schema is None:
                    schema = table.schema
                    for fmt, tmp in tmps.items():
                        opened = pcsv.CSVWriter(tmp, schema) if fmt == "csv" else pq.ParquetWriter(tmp, schema)
                        writers.append(stack.enter_context(opened))
                else:
                    table = table.cast(schema)
                for writer in writers:
                    writer.write_table(table)
                del table
        paths.extend(targets.values())
    return paths


def _pieces(ds: xr.Dataset, name: str, scenario: str | None = None) -> Iterator[pd.DataFrame]:
    """One table of a result, in pieces of about :data:`PIECE_ROWS` rows (whole runs each)."""
    dims = TABLES.get(name, ())
    cells = math.prod(ds.sizes[d] for d in dims)
    if dims == ("actor", "other"):
        cells = ds.sizes["actor"] * (ds.sizes["actor"] - 1) // 2
    per_run = 1 if name == "status" else max(1, cells * ds.sizes["year"])
    step = max(1, PIECE_ROWS // per_run)
    for r0 in range(0, ds.sizes["run"], step):
        frame = tidy_table(ds.isel(run=slice(r0, r0 + step)), name, scenario)
        if frame is not None:
            yield frame


def _tables(
    results: Mapping[str | None, xr.Dataset] | Mapping[str, xr.Dataset],
) -> Iterator[tuple[str, Iterator[pd.DataFrame]]]:
    """The tables that the results kept, each as its pieces (scenario after scenario)."""
    first = next(iter(results.values()))
    for table in (*TABLES, "status"):
        if tidy_table(first.isel(run=slice(0, 1)), table) is not None:
            yield table, (piece for name, ds in results.items() for piece in _pieces(ds, table, name))


def write_tidy(ds: xr.Dataset, out: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write :func:`tidy_runs` of one result into ``out``, a piece at a time."""
    one: dict[str | None, xr.Dataset] = {None: ds}
    return write_tables(_tables(one), out, formats)


def write_stacked(results: dict[str, xr.Dataset], out: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write :func:`stacked_runs` of several results into ``out``, a piece at a time."""
    named: dict[str | None, xr.Dataset] = {name: ds for name, ds in results.items()}
    return write_tables(_tables(named), out, formats)


def stacked_runs(results: dict[str, xr.Dataset]) -> dict[str, pd.DataFrame]:
    """The per-run tables of several scenarios, stacked with a ``scenario`` column (the same run
    number is the same seed in every scenario: the rows are paired)."""
    out = {}
    for table in (*TABLES, "status"):
        frames = [f for name, ds in results.items() if (f := tidy_table(ds, table, scenario=name)) is not None]
        if frames:
            out[table] = _concat(frames)
    return out


def _arrow(frame: pd.DataFrame) -> Any:
    """A frame as an Arrow table whose label columns are plain strings (as a reader of the CSV or
    Parquet file expects), with pandas' metadata for those columns saying so."""
    import pyarrow as pa

    labels = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for column in labels:
        k = table.schema.get_field_index(column)
        table = table.set_column(k, column, table.column(k).cast(pa.string()))
    meta = json.loads(table.schema.metadata[b"pandas"])
    for entry in meta["columns"]:
        if entry["name"] in labels:
            entry.update(pandas_type="unicode", numpy_type="object", metadata=None)
    return table.replace_schema_metadata({**table.schema.metadata, b"pandas": json.dumps(meta).encode()})


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack frames whose label columns are categoricals, keeping them categoricals (the union
    of their labels, in order of first appearance) rather than one string per row."""
    for column in frames[0].columns:
        if isinstance(frames[0][column].dtype, pd.CategoricalDtype):
            union = pd.unique(np.concatenate([np.asarray(f[column].cat.categories, dtype=object) for f in frames]))
            for f in frames:
                f[column] = f[column].cat.set_categories(union)
    return pd.concat(frames, ignore_index=True)
