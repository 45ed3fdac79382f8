"""U.S. military personnel abroad by host country-year, U.S. base sites, and U.S. defence pacts.

The deployment table is troopdata's 2024 rebuild from the Defense Manpower Data Center reports
(Kane 2004; Allen, Flynn & Martinez Machain 2022; ``../shared/data/us_troops/PROVENANCE.md``):
``troops_ad``, U.S. active-duty personnel in the host, 1950–2024. Three things are done to it,
each said where it is done:

- **2008.** The rebuild double-counts some 2008 values (troopdata's NEWS 1.0.3–1.0.4: South
  Korea 50,975 between 27,014 in 2007 and 26,645 in 2009). A host's 2008 count above 1.5 times
  both neighbours (and by more than 100 personnel) is replaced by the mean of 2007 and 2009 and
  flagged ``imputed_2008``.
- **Territories and non-state places** (troopdata's codes from 1000: Guam, Diego Garcia, the
  Azores, Hong Kong, …) are kept apart: :func:`load_us_troops` returns states (COW codes below
  1000, the United States itself left out) and :func:`us_territory_troops` the rest.
- **Absent host-years** are U.S. personnel of 0 in the state-year and dyad-year joins (troopdata
  lists a host only in years with personnel in its early decades).

Base sites (Vine 2015, to 2018) are a cross-section: :func:`us_bases` counts them by host.
A U.S. defence pact per host-year comes from ATOP 5.1's member file (Leeds et al. 2002), with
its depth: a provision for bases or troop placements (``base`` > 0) or an integrated military
command (``intcom`` = 1) in any of the pacts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancelab.data.files import DataFileError, locate
from alliancelab.data.read import read_checked

__all__ = [
    "TERRITORY_FROM",
    "USA",
    "add_us_troops",
    "load_us_troops",
    "us_bases",
    "us_defence_pacts",
    "us_territory_troops",
    "us_troops_state_years",
]

#: troopdata's codes for territories and non-state places start here (COW codes end below it)
TERRITORY_FROM = 1000
#: the COW code of the United States
USA = 2
#: a 2008 value above this multiple of both neighbours is treated as double-counted
DOUBLE_COUNT = 1.5

_COLUMNS = ["countryname", "ccode", "year", "troops_ad"]


def _read(path: str | Path | None) -> pd.DataFrame:
    df = read_checked("us_troops", path, _COLUMNS, None, 10_000, "troopdata country-years")
    df = df.dropna(subset=["ccode", "year"])
    out = pd.DataFrame(
        {
            "countryname": df["countryname"].astype(str).to_numpy(),
            "ccode": df["ccode"].astype("int64").to_numpy(),
            "year": df["year"].astype("int64").to_numpy(),
            "troops": pd.to_numeric(df["troops_ad"], errors="coerce").fillna(0.0).to_numpy(float),
        }
    )
    if (out["troops"] < 0).any():
        raise DataFileError("troopdata country-years: negative personnel counts; the file is damaged")
    return out.groupby(["countryname", "ccode", "year"])["troops"].sum().reset_index()


def _fix_2008(df: pd.DataFrame) -> pd.DataFrame:
    """The 2008 rule of the module's docstring, per host."""
    wide = df.pivot_table(index="ccode", columns="year", values="troops", aggfunc="sum")
    out = df.assign(imputed_2008=False)
    if not {2007, 2008, 2009} <= set(wide.columns):
        return out
    before, now, after = (wide[y].fillna(0.0) for y in (2007, 2008, 2009))
    doubled = (now > DOUBLE_COUNT * before) & (now > DOUBLE_COUNT * after) & (now - np.maximum(before, after) > 100)
    fixed = ((before + after) / 2)[doubled]
    rows = (out["year"] == 2008) & out["ccode"].isin(fixed.index)
    out.loc[rows, "troops"] = out.loc[rows, "ccode"].map(fixed).to_numpy()
    out.loc[rows, "imputed_2008"] = True
    return out


def load_us_troops(path: str | Path | None = None) -> pd.DataFrame:
    """U.S. active-duty personnel in each foreign state: ``ccode``, ``year``, ``troops``,
    ``imputed_2008`` (the 2008 rule). States only (COW codes below :data:`TERRITORY_FROM`), the
    United States left out; one row per host-year listed by troopdata."""
    df = _read(path)
    states = df[(df["ccode"] < TERRITORY_FROM) & (df["ccode"] != USA)]
    states = states.groupby(["ccode", "year"])["troops"].sum().reset_index()
    return _fix_2008(states).sort_values(["ccode", "year"]).reset_index(drop=True)


def us_territory_troops(path: str | Path | None = None) -> pd.DataFrame:
    """U.S. personnel in territories and non-state places (troopdata codes from 1000): ``place``,
    ``code``, ``year``, ``troops``. Kept apart from the states: they are no host's decision."""
    df = _read(path)
    places = df[df["ccode"] >= TERRITORY_FROM]
    return places.rename(columns={"countryname": "place", "ccode": "code"}).reset_index(drop=True)


def us_troops_state_years(states: pd.DataFrame, path: str | Path | None = None) -> pd.DataFrame:
    """``states`` (``ccode``, ``year``, …) with ``us_troops``: U.S. personnel in the state that
    year, 0 where troopdata lists none (and NA before 1950 and after 2024, which it does not
    cover)."""
    troops = load_us_troops(path)
    first, last = int(troops["year"].min()), int(troops["year"].max())
    out = states.merge(troops[["ccode", "year", "troops"]], on=["ccode", "year"], how="left")
    covered = out["year"].between(first, last)
    out["us_troops"] = out["troops"].where(~covered | out["troops"].notna(), 0.0).where(covered)
    return out.drop(columns="troops")


def add_us_troops(dyads: pd.DataFrame, path: str | Path | None = None) -> pd.DataFrame:
    """A dyad-year table (``ccode1``, ``ccode2``, ``year``) with ``us_troops1`` and ``us_troops2``,
    peacesciencer's style of join: each side's U.S. personnel that year."""
    out = dyads
    for k in (1, 2):
        side = us_troops_state_years(
            out[[f"ccode{k}", "year"]].drop_duplicates().rename(columns={f"ccode{k}": "ccode"}), path
        )
        side = side.rename(columns={"ccode": f"ccode{k}", "us_troops": f"us_troops{k}"})
        out = out.merge(side, on=[f"ccode{k}", "year"], how="left")
    return out


def us_bases(path: str | Path | None = None) -> pd.DataFrame:
    """U.S. base sites by host (Vine's data, a cross-section to 2018): ``ccode``, ``sites``,
    ``bases`` (full bases), ``lilypads`` (small forward sites), ``funded`` (funded sites)."""
    cols = ["countryname", "ccode", "basename", "base", "lilypad", "fundedsite"]
    file = locate("us_bases", path)
    try:  # the file is Latin-1 (accented place names), not UTF-8
        df = pd.read_csv(file, encoding="latin-1")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataFileError(f"{file} (U.S. base sites): not a readable CSV ({exc})") from None
    missing = [c for c in cols if c not in df.columns]
    if missing or len(df) < 300:
        raise DataFileError(f"{file} (U.S. base sites): expected columns {cols} and 300+ rows; missing {missing}")
    df = df.dropna(subset=["ccode"]).astype({"ccode": "int64"})
    for col in ("base", "lilypad", "fundedsite"):
        df[col] = pd.to_numeric(df[col], errors="coerce").fillna(0).astype("int64")
    out = df.groupby("ccode").agg(
        sites=("basename", "size"), bases=("base", "sum"), lilypads=("lilypad", "sum"), funded=("fundedsite", "sum")
    )
    return out.reset_index()


def us_defence_pacts(start: int = 1950, end: int = 2018, path: str | Path | None = None) -> pd.DataFrame:
    """Each state's U.S. defence pact by year from ATOP 5.1's members: ``ccode``, ``year``,
    ``us_pact`` (1: a pact in force in which the United States promises to defend its members,
    the state among them, whatever the state promises in return), ``us_pact_bases`` (one such
    pact provides for bases or troop placements), ``us_pact_command`` (one provides an
    integrated military command: ATOP 5.1 codes this for none of the U.S. pacts, so it is 0
    throughout). Years to 2018, ATOP's last; a member with no exit year is in to 2018."""
    cols = ["atopid", "member", "yrent", "yrexit", "defense", "base", "intcom"]
    m = read_checked("atop_member", path, cols, None, 2000, "ATOP 5.1 members")
    m = m.apply(pd.to_numeric, errors="coerce")
    m["yrexit"] = m["yrexit"].mask(m["yrexit"] == 0, 2018)
    m = m.dropna(subset=["atopid", "member", "yrent"])
    # the United States' own obligation decides: in asymmetric pacts (Japan 1951/1960) the host
    # promises less, or nothing, in return
    us = m[(m["member"] == USA) & (m["defense"] == 1)][["atopid", "yrent", "yrexit"]].rename(
        columns={"yrent": "us_in", "yrexit": "us_out"}
    )
    hosts = m[m["member"] != USA].merge(us, on="atopid")
    hosts["first"] = np.maximum(hosts["yrent"], hosts["us_in"]).astype(int)
    hosts["last"] = np.minimum(hosts["yrexit"].fillna(2018), hosts["us_out"].fillna(2018)).astype(int)
    hosts = hosts[hosts["first"] <= hosts["last"]]
    years = np.concatenate([np.arange(a, b + 1) for a, b in zip(hosts["first"], hosts["last"], strict=True)])
    reps = (hosts["last"] - hosts["first"] + 1).to_numpy()
    rows = pd.DataFrame(
        {
            "ccode": np.repeat(hosts["member"].to_numpy(int), reps),
            "year": years,
            "us_pact_bases": np.repeat((hosts["base"].fillna(0) > 0).to_numpy(int), reps),
            "us_pact_command": np.repeat((hosts["intcom"].fillna(0) == 1).to_numpy(int), reps),
        }
    )
    rows = rows[rows["year"].between(start, end)]
    out = rows.groupby(["ccode", "year"], as_index=False)[["us_pact_bases", "us_pact_command"]].max()
    out.insert(2, "us_pact", 1)
    return out.sort_values(["ccode", "year"]).reset_index(drop=True)
