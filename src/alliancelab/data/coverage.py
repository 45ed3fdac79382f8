"""Each data file's years: the first and last year it holds, read from the file itself.

A file's years come from its ``year`` column, or from a spell's start and end columns
(:data:`SPELLS`, the first pair it has); a file without either (capitals, base sites) has none.
``alliancelab data coverage`` prints the table; where a source ends is where a scenario built
for a later year has to carry its facts forward or look elsewhere (docs/data.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliancelab.data.files import DataFileError, file_status
from alliancelab.data.registry import DATASETS, FILES

__all__ = ["SPELLS", "carry_forward_error", "coverage", "file_years", "in_force", "set_change", "value_change"]

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


def value_change(
    frame: pd.DataFrame, value: str, end: int, lag: int, relative: bool, threshold: float
) -> dict[str, float]:
    """How wrong carrying a state's value forward ``lag`` years is, measured where the record
    goes on: each state's ``value`` in ``end - lag`` beside its value in ``end`` (states with
    both). ``relative``: the difference is |log(carried / recorded)| (money); else the absolute
    difference (an index). Returns n, the share whose difference exceeds ``threshold``
    (``changed``), and the difference's median and 90th percentile."""
    a = frame[frame["year"] == end - lag].dropna(subset=[value]).drop_duplicates("ccode").set_index("ccode")[value]
    b = frame[frame["year"] == end].dropna(subset=[value]).drop_duplicates("ccode").set_index("ccode")[value]
    both = a.index.intersection(b.index)
    x, y = a.loc[both].astype(float), b.loc[both].astype(float)
    if relative:
        keep = (x > 0) & (y > 0)
        diff = pd.Series(np.abs(np.log(x[keep].to_numpy()) - np.log(y[keep].to_numpy())))
    else:
        diff = (x - y).abs()
    if diff.empty:
        return {"n": 0, "changed": float("nan"), "median": float("nan"), "p90": float("nan")}
    return {
        "n": len(diff),
        "changed": float((diff > threshold).mean()),
        "median": float(diff.median()),
        "p90": float(diff.quantile(0.9)),
    }


def set_change(members: set[tuple[int, ...]], later: set[tuple[int, ...]]) -> dict[str, float]:
    """How wrong carrying a set of memberships (a state's major-power status, a rivalry, an
    alliance member) forward is: the share of the union that differs (ended or begun since)."""
    union = members | later
    if not union:
        return {"n": 0, "changed": float("nan")}
    return {"n": len(union), "changed": len(members ^ later) / len(union)}


def in_force(frame: pd.DataFrame, start: str, end: str, year: int) -> pd.Series:
    """Which spells of ``frame`` hold in ``year``: begun by it and not ended before it (a missing
    or non-positive end, as COW and ATOP code an ongoing spell, is no end)."""
    ends = frame[end].fillna(9999).mask(frame[end] <= 0, 9999)
    return (frame[start] <= year) & (ends >= year)


def _spells_in(frame: pd.DataFrame, start: str, end: str, year: int, key: list[str]) -> set[tuple[int, ...]]:
    now = frame[in_force(frame, start, end, year)]
    return {tuple(int(v) for v in row) for row in now[key].to_numpy()}


def carry_forward_error(lags: tuple[int, ...] = (5, 10)) -> pd.DataFrame:
    """The rule ``scenario from-data`` applies past a source's end — carry its last observation
    — tried as if each source had ended ``lag`` years before its real last year, against what it
    then recorded: one row per source, fact and lag (docs/data.md).

    Money and GDP: |log(carried / recorded)|, "changed" above 0.1 (about 10 %); V-Dem: the
    absolute difference of polyarchy (0-1), "changed" above 0.05; memberships (majors,
    rivalries, alliances): the share of entries that changed.
    """
    from alliancelab.data import load_atop, load_democracy, load_majors, load_nmc, load_rivalries, load_sipri
    from alliancelab.data.dyads import maddison_by_cow

    sipri = load_sipri().dropna(subset=["ccode"])
    sipri = sipri[sipri["milex_share_of_gdp"] > 0].copy()
    sipri["gdp"] = sipri["milex_current_usd_m"] / sipri["milex_share_of_gdp"]
    dem = load_democracy()
    values = (
        ("SIPRI", "share of GDP (|log ratio|)", sipri, "milex_share_of_gdp", True, 0.1),
        ("SIPRI", "milex, current US$ (|log ratio|)", sipri, "milex_current_usd_m", True, 0.1),
        ("COW NMC 7", "milex (|log ratio|)", load_nmc(7), "milex", True, 0.1),
        ("Maddison 2020", "real GDP (|log ratio|)", maddison_by_cow(), "gdp", True, 0.1),
        ("V-Dem v10", "polyarchy (absolute difference)", dem, "v2x_polyarchy", False, 0.05),
    )
    rows = []
    for source, fact, frame, column, relative, threshold in values:
        last = int(frame.dropna(subset=[column])["year"].max())
        for lag in lags:
            got = value_change(frame, column, last, lag, relative, threshold)
            rows.append({"source": source, "fact": fact, "last": last, "lag": lag, **got})
    majors = load_majors()
    riv = load_rivalries()
    atop = load_atop("member")
    spells = (
        ("COW majors", "major-power status (share changed)", majors, "styear", "endyear", ["ccode"]),
        ("TSS rivalries", "rivalries ongoing (share changed)", riv, "start", "end", ["ccode1", "ccode2"]),
        ("ATOP 5.1", "alliance memberships (share changed)", atop, "yrent", "yrexit", ["atopid", "ccode"]),
    )
    for source, fact, frame, start, end, key in spells:
        last = int(pd.concat([frame[start], frame[end]]).max())
        for lag in lags:
            got = set_change(_spells_in(frame, start, end, last - lag, key), _spells_in(frame, start, end, last, key))
            rows.append({"source": source, "fact": fact, "last": last, "lag": lag, **got})
    return pd.DataFrame(rows)
