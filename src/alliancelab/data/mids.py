"""Dyadic militarized-dispute onsets built from the MID 5.0 participant records (MIDB).

The construction follows peacesciencer's ``cow_mid_dirdisps`` (Miller 2022) and EUGene: two
states form a dispute dyad when they took part in the same dispute on opposite sides
(``sidea`` differs) at the same time. Dates with an unknown day (−9) take the first day of the
month for a start and the last day for an end. A dyad's years in a dispute run from the first to
the last year of the overlap of the two participations; its **onset** is the first of them.

Per non-directed dyad-year (``ccode1`` < ``ccode2``):

- ``onset``: the dyad began at least one dispute that year; ``fatal_onset``: at least one of them
  was fatal for the dyad — either state's MIDB fatality level ≥ 1 (one or more battle deaths;
  unknown fatality, −9, counts as not fatal);
- ``ongoing``: the dyad was in a dispute in the year (onset years included); ``fatal_ongoing``:
  in a dispute that was fatal for the dyad;
- ``disputes``: how many disputes began.

Years since the dyad's last dispute year (``peace_years``, Beck, Katz & Tucker 1998: the year
after a dispute counts 0) come from :func:`peace_years`. Like any EUGene-style build, joiners on
opposite sides of a multilateral dispute count as a dyad even if they never clashed directly.

Palmer et al. (2022), "The MID5 Dataset, 2011–2014", *CMPS* 39(4): 470–482.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancelab.data.cow import load_mid, load_system
from alliancelab.data.files import DataFileError

__all__ = ["dispute_dyads", "load_mid_dyads_reference", "mid_dyad_years", "peace_years"]


def _dates(year: pd.Series, month: pd.Series, day: pd.Series, end: bool) -> pd.Series:
    """Calendar dates; an unknown day is the month's first (start) or last (end) day."""
    y = year.astype("int64").to_numpy()
    m = month.fillna(12 if end else 1).astype("int64").clip(1, 12).to_numpy()
    d = day.fillna(-9).astype("int64").to_numpy()
    first = pd.to_datetime({"year": y, "month": m, "day": np.ones_like(y)})
    last = first + pd.offsets.MonthEnd(0)
    known = (d >= 1) & (d <= last.dt.day.to_numpy())
    fallback = last if end else first
    exact = first + pd.to_timedelta(np.where(known, d - 1, 0), unit="D")
    return pd.Series(np.where(known, exact, fallback), index=year.index)


def dispute_dyads(path: str | Path | None = None) -> pd.DataFrame:
    """One row per dispute and non-directed dyad: ``dispnum``, ``ccode1`` < ``ccode2``, ``styear``,
    ``endyear`` (the overlap of the two participations), ``fatal`` (0/1), ``hostlev`` (the higher
    of the two states' hostility levels) and ``orig`` (1 if both were originators).

    ``path``: a MIDB 5.0 participant file elsewhere (default: the registry's ``midb``).
    """
    b = load_mid("B", path)
    start = _dates(b["styear"], b["stmon"], b["stday"], end=False)
    stop = _dates(b["endyear"], b["endmon"], b["endday"], end=True)
    p = pd.DataFrame(
        {
            "dispnum": b["dispnum"].astype("int64"),
            "ccode": b["ccode"].astype("int64"),
            "side": b["sidea"].astype("int64"),
            "start": start,
            "stop": stop,
            "fatal": (b["fatality"].fillna(0).astype("int64") >= 1).astype("int64"),
            "hostlev": b["hostlev"].fillna(0).astype("int64"),
            "orig": b["orig"].fillna(0).astype("int64"),
        }
    )
    a = p[p["side"] == 1]
    o = p[p["side"] == 0]
    pairs = a.merge(o, on="dispnum", suffixes=("_a", "_b"))
    lo = pairs[["start_a", "start_b"]].max(axis=1)
    hi = pairs[["stop_a", "stop_b"]].min(axis=1)
    pairs = pairs[(lo <= hi) & (pairs["ccode_a"] != pairs["ccode_b"])].assign(lo=lo, hi=hi)
    c1 = pairs[["ccode_a", "ccode_b"]].min(axis=1)
    c2 = pairs[["ccode_a", "ccode_b"]].max(axis=1)
    out = pd.DataFrame(
        {
            "dispnum": pairs["dispnum"],
            "ccode1": c1,
            "ccode2": c2,
            "styear": pairs["lo"].dt.year,
            "endyear": pairs["hi"].dt.year,
            "fatal": pairs[["fatal_a", "fatal_b"]].max(axis=1),
            "hostlev": pairs[["hostlev_a", "hostlev_b"]].max(axis=1),
            "orig": pairs[["orig_a", "orig_b"]].min(axis=1),
        }
    )
    # a state with several participation spells in one dispute: one row per dispute dyad
    out = out.groupby(["dispnum", "ccode1", "ccode2"], as_index=False).agg(
        styear=("styear", "min"),
        endyear=("endyear", "max"),
        fatal=("fatal", "max"),
        hostlev=("hostlev", "max"),
        orig=("orig", "max"),
    )
    return out.astype("int64").sort_values(["styear", "dispnum", "ccode1", "ccode2"]).reset_index(drop=True)


def mid_dyad_years(start: int = 1816, end: int = 2014) -> pd.DataFrame:
    """Dispute dyad-years ``ccode1`` < ``ccode2``, ``year`` with ``onset``, ``fatal_onset``,
    ``ongoing``, ``fatal_ongoing``, ``disputes`` — only the dyad-years with a dispute (join to dyad-years and fill 0).

    MID 5.0 ends in 2014; later years have no record (NA after a join, not 0).
    """
    if end < start:
        raise DataFileError(f"end year {end} is before start year {start}")
    dd = dispute_dyads()
    years = np.concatenate([np.arange(s, e + 1) for s, e in zip(dd["styear"], dd["endyear"], strict=True)])
    reps = (dd["endyear"] - dd["styear"] + 1).to_numpy()
    long = dd.loc[dd.index.repeat(reps)].assign(year=years)
    long["onset"] = (long["year"] == long["styear"]).astype("int64")
    long["fatal_onset"] = long["onset"] * long["fatal"]
    out = long.groupby(["ccode1", "ccode2", "year"], as_index=False).agg(
        onset=("onset", "max"),
        fatal_onset=("fatal_onset", "max"),
        fatal_ongoing=("fatal", "max"),
        disputes=("onset", "sum"),
    )
    out["ongoing"] = 1
    out = out[(out["year"] >= start) & (out["year"] <= end)]
    return out.astype("int64").reset_index(drop=True)


def peace_years(dy: pd.DataFrame, events: pd.DataFrame | None = None) -> pd.Series:
    """Years since the dyad was last in a dispute, for each row of ``dy`` (``ccode1`` < ``ccode2``, ``year``).

    Beck, Katz & Tucker (1998): the count restarts after every dispute year (the year after a
    dispute is 0). Only disputes before the row's year count. A dyad with no earlier dispute
    counts from the first year both states were in the COW system (left-censored at 1816).
    ``events`` defaults to :func:`mid_dyad_years` (every dispute year, onset or ongoing).
    """
    ev = (mid_dyad_years() if events is None else events)[["ccode1", "ccode2", "year"]]
    ev = ev.rename(columns={"year": "last"}).astype("int64")
    rows = dy[["ccode1", "ccode2", "year"]].astype("int64").reset_index(names="_row")
    # merge_asof: the latest dispute year strictly before the row's year, per dyad
    left = rows.assign(key=rows["year"] - 1).sort_values("key")
    right = ev.assign(key=ev["last"]).sort_values("key")
    m = pd.merge_asof(left, right, on="key", by=["ccode1", "ccode2"], direction="backward")
    first = load_system()[["ccode", "year"]].astype("int64").groupby("ccode")["year"].min()
    entry = np.maximum(m["ccode1"].map(first).fillna(1816).to_numpy(), m["ccode2"].map(first).fillna(1816).to_numpy())
    since = m["last"].fillna(pd.Series(entry - 1, index=m.index))
    out = (m["year"] - since - 1).clip(lower=0).astype("int64")
    return pd.Series(out.to_numpy(), index=m["_row"].to_numpy(), name="peace_years").sort_index().set_axis(dy.index)


def load_mid_dyads_reference(path: str | Path | None = None) -> pd.DataFrame:
    """peacesciencer's MID 5.0 directed dispute-dyad-years (``dispnum``, ``ccode1``, ``ccode2``,
    ``year``, ``disponset``, ``dispongoing``, ...): an independent build to check
    :func:`dispute_dyads` against, never an input to estimation."""
    from alliancelab.data.read import read_checked

    cols = ["dispnum", "ccode1", "ccode2", "year", "dispongoing", "disponset", "sidea1", "sidea2"]
    return read_checked("mid_dirdisps", path, cols, dict.fromkeys(cols, "Int64"), 10_000, "peacesciencer MID 5.0 dyads")
