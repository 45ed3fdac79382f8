"""Writing one file safely: CSV tables a spreadsheet cannot run, figures and NetCDF results,
each written whole and never through a link (:func:`~alliancelab.data.files.replacing`).

The bottom of the report package: the figure modules save through it, and
:mod:`alliancelab.report.files` (the writers of each command's files) builds on them both.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pandas as pd

from alliancelab.data.files import replacing, write_text
from alliancelab.errors import DataFileError

__all__ = [
    "FORMULA_STARTS",
    "NETCDF_COPIES",
    "WRITERS_BYTES",
    "replacing",
    "safe_text_columns",
    "save_csv",
    "save_figure",
    "save_netcdf",
    "save_tables",
    "spreadsheet_safe",
    "write_text",
]


#: A text cell a spreadsheet would read as a formula begins with one of these (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made plain text by a leading
    apostrophe (OWASP's advice); numbers and other text are as they were.

    >>> spreadsheet_safe("=SUM(A1:A9)"), spreadsheet_safe("Japan"), spreadsheet_safe(-1.5)
    ("'=SUM(A1:A9)", 'Japan', -1.5)
    """
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def safe_text_columns(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with :func:`spreadsheet_safe` applied to its text columns and index."""
    out = table.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(spreadsheet_safe)
    if not pd.api.types.is_numeric_dtype(out.index):
        out.index = out.index.map(spreadsheet_safe)
    out.columns = pd.Index([spreadsheet_safe(c) if isinstance(c, str) else c for c in out.columns])
    return out


def save_csv(table: pd.DataFrame, path: Path, **options: Any) -> Path:
    """A table as CSV, written whole and never through a link (:func:`replacing`); a text cell
    that a spreadsheet would run as a formula is written as text (:func:`spreadsheet_safe`)."""
    with replacing(path) as tmp:
        safe_text_columns(table).to_csv(tmp, **options)
    return path


def save_tables(tables: dict[str, pd.DataFrame], out: Path, skip_empty: bool = False) -> list[Path]:
    """Each table as ``out / NAME`` (CSV, :func:`save_csv`, 6 significant digits, no index);
    ``skip_empty`` leaves out a table without rows. The paths written, in order."""
    return [
        save_csv(table, out / name, index=False, float_format="%.6g")
        for name, table in tables.items()
        if len(table) or not skip_empty
    ]


def save_figure(fig: Any, path: Path, **options: Any) -> Path:
    """A Matplotlib figure, written whole and never through a link (:func:`replacing`)."""
    with replacing(path) as tmp:
        fig.savefig(tmp, **options)
    return path


#: The memory :func:`save_netcdf` takes, in copies of the dataset's bytes (the compressed file is
#: made in memory, then copied once): measured 0.79–0.93 for the built-in scenario's results at
#: 4,000 and 16,000 runs (zlib level 4), so 0.9 is counted in a run's estimated peak.
NETCDF_COPIES = 0.9

#: The memory the writers' libraries take once loaded (h5py and h5netcdf, pyarrow, Matplotlib):
#: measured about 120 MB on Linux x86-64, counted in a run's estimated peak.
WRITERS_BYTES = 120 * 2**20


def save_netcdf(ds: Any, path: Path) -> Path:
    """A dataset as compressed NetCDF (h5netcdf), written whole and never through a link.

    The file is made in memory first and then written by Python: HDF5 writing to a full disk
    itself can crash the process, while Python's write raises ENOSPC, which becomes a clear
    error with the old file (if any) left as it was."""
    encoding = {name: {"zlib": True, "complevel": 4} for name in ds.data_vars}
    data = bytes(ds.to_netcdf(engine="h5netcdf", encoding=encoding))
    try:
        with replacing(path) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        why = "the disk is full" if full else (exc.strerror or str(exc))
        raise DataFileError(
            f"{path}: cannot write the results ({why}; {len(data):,} bytes needed); nothing was replaced"
        ) from None
    return path
