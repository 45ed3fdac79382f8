"""Each data file's years: the first and last year it holds, read from the file itself.

A file's years come from its ``year`` column, or from a spell's start and end columns
(:data:`SPELLS`, the first pair it has); a file without either (capitals, base sites) has none.
``alliancelab data coverage`` prints the table; where a source ends is where a scenario built
for a later year has to carry its facts forward or look elsewhere (docs/data.md).
"""

from __future__ import annotations

import pandas as pd

from alliancelab.data.files import DataFileError, file_status
from alliancelab.data.registry import DATASETS, FILES

__all__ = ["SPELLS", "coverage", "file_years"]

#: start and end columns of spell-coded files, tried in order
SPELLS: tuple[tuple[str, str], ...] = (
    ("styear", "endyear"),
    ("begyr", "endyr"),
    ("yrent", "yrexit"),
    ("start", "end"),
    ("StartYear", "EndYear"),
    ("all_st_year", "all_end_year"),
    ("dyad_st_year", "dyad_end_year"),
)


def file_years(key: str) -> tuple[int, int] | None:
    """The first and last year data file ``key`` holds (None: no year columns, or not a CSV);
    raises :class:`DataFileError` where the file is not here."""
    state, path = file_status(key)
    if path is None:
        raise DataFileError(f"{FILES[key].relpath} is not here ({state}); `alliancelab data get` brings it")
    if path.suffix.lower() != ".csv":
        return None
    try:
        header = list(pd.read_csv(path, nrows=0, encoding_errors="replace").columns)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: not a readable CSV ({exc})") from None
    wanted = ["year"] if "year" in header else next(([a, b] for a, b in SPELLS if a in header and b in header), [])
    if not wanted:
        return None
    frame = pd.read_csv(path, usecols=wanted, encoding_errors="replace").apply(pd.to_numeric, errors="coerce")
    frame = frame.mask(frame <= 0)  # 0 and -9 mean "none" or "missing" in COW's and ATOP's files
    first, last = frame[wanted[0]].min(), frame[wanted[-1]].max()
    if pd.isna(first) or pd.isna(last):
        return None
    return int(first), int(last)


def coverage() -> pd.DataFrame:
    """One row per data file: ``dataset``, ``file``, ``first``, ``last`` (NA where it has no
    years) and ``state`` (present, fetchable, …; files not here have no years)."""
    rows = []
    for d in DATASETS.values():
        for key in d.files:
            status, path = file_status(key)
            state: str = status
            years = None
            if path is not None:
                try:
                    years = file_years(key)
                except DataFileError:
                    state = "unreadable"
            rows.append(
                {
                    "dataset": d.name,
                    "file": FILES[key].name,
                    "first": years[0] if years else pd.NA,
                    "last": years[1] if years else pd.NA,
                    "state": state,
                }
            )
    return pd.DataFrame(rows).astype({"first": "Int64", "last": "Int64"})
