"""State-years and dyad-years, and the joins researchers add to them (like peacesciencer's
``create_dyadyears`` and ``add_*`` family, in Python).

Membership comes from the COW State System (v2016). Every ``add_*`` takes a table with
``ccode1``, ``ccode2``, ``year`` (or ``ccode``, ``year``) and returns it with new columns, rows
unchanged; 0/1 indicators are 0 where the source records nothing, measured values are NA where
the source has no value. State-year tables take the per-state joins (capabilities, major powers,
democracy, GDP); the pair joins (alliances, contiguity, MIDs, rivalries) need dyad-years.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import pandas as pd

from alliancelab.data.cow import load_alliances, load_contiguity, load_gml_mid, load_majors, load_nmc, load_system
from alliancelab.data.files import DataFileError
from alliancelab.data.sources import load_atop, load_democracy, load_maddison, load_rivalries

__all__ = [
    "COW_REGIONS",
    "REGIONS",
    "add_alliances",
    "add_capabilities",
    "add_contiguity",
    "add_democracy",
    "add_gdp",
    "add_majors",
    "add_mids",
    "add_rivalries",
    "dyad_years",
    "politically_relevant",
    "region_members",
    "region_names",
    "state_years",
]

#: Named regions as COW codes. ``asia-pacific`` is the built-in scenario's fifteen states.
REGIONS: dict[str, tuple[int, ...]] = {
    "asia-pacific": (2, 365, 710, 713, 731, 732, 740, 750, 800, 816, 820, 830, 840, 850, 900),
    "northeast-asia": (2, 365, 710, 712, 713, 731, 732, 740),
    "southeast-asia": (775, 800, 811, 812, 816, 817, 820, 830, 835, 840, 850, 860),
    "south-asia": (700, 750, 760, 770, 771, 780, 781),
    "oceania": (900, 910, 920, 935, 940, 946, 947, 950, 955, 970, 983, 986, 987, 990),
}


#: COW's regions, by the blocks of its country codes: every system member whose code lies in the
#: block, in any year (Correlates of War Project, State System Membership codebook).
COW_REGIONS: dict[str, tuple[int, int]] = {
    "americas": (2, 199),
    "europe": (200, 399),
    "africa": (400, 626),
    "middle-east": (630, 698),
    "asia": (700, 899),
    "oceania-all": (900, 999),
}


def region_names() -> dict[str, str]:
    """Every region a command takes: name → what it holds."""
    named = {k: f"{len(v)} states: " + ", ".join(map(str, v)) for k, v in REGIONS.items()}
    blocks = {k: f"COW codes {lo}-{hi} (the system members of the year)" for k, (lo, hi) in COW_REGIONS.items()}
    return named | blocks


def region_members(region: str) -> set[int]:
    """The COW codes a region may hold (a COW block holds every code of its range)."""
    found = _states(None, region)
    assert found is not None
    return found


def _states(states: Iterable[int] | None, region: str | None) -> set[int] | None:
    if region is not None and states is not None:
        raise DataFileError("give either states or region, not both")
    if region is not None:
        if region in COW_REGIONS:
            lo, hi = COW_REGIONS[region]
            return set(range(lo, hi + 1))
        if region not in REGIONS:
            from alliancelab.errors import suggest

            raise DataFileError(f"unknown region {region!r}; " + suggest(region, region_names()))
        return set(REGIONS[region])
    return None if states is None else {int(s) for s in states}


def state_years(start: int, end: int, states: Iterable[int] | None = None, region: str | None = None) -> pd.DataFrame:
    """COW system members by year, ``start``–``end`` inclusive: columns ``ccode``, ``year``.

    The COW list ends in 2016; later years repeat the 2016 membership.
    """
    if end < start:
        raise DataFileError(f"end year {end} is before start year {start}")
    sys = load_system()[["ccode", "year"]]
    last = int(sys["year"].max())
    if end > last:
        tail = sys[sys["year"] == last]
        extra = pd.concat([tail.assign(year=y) for y in range(last + 1, end + 1)], ignore_index=True)
        sys = pd.concat([sys, extra.astype(sys.dtypes.to_dict())], ignore_index=True)
    out = sys[(sys["year"] >= start) & (sys["year"] <= end)]
    keep = _states(states, region)
    if keep is not None:
        out = out[out["ccode"].isin(keep)]
    return out.sort_values(["ccode", "year"]).reset_index(drop=True)


def dyad_years(
    start: int,
    end: int,
    directed: bool = True,
    states: Iterable[int] | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Every pair of system members in each year: ``ccode1``, ``ccode2``, ``year``.

    Directed: both orderings (i, j) and (j, i); undirected: ccode1 < ccode2.
    """
    sy = state_years(start, end, states, region)
    left = sy.rename(columns={"ccode": "ccode1"})
    right = sy.rename(columns={"ccode": "ccode2"})
    out = left.merge(right, on="year")
    mask = out["ccode1"] != out["ccode2"] if directed else out["ccode1"] < out["ccode2"]
    out = out[mask][["ccode1", "ccode2", "year"]]
    return out.sort_values(["year", "ccode1", "ccode2"]).reset_index(drop=True)


def _is_state_year(tbl: pd.DataFrame) -> bool:
    """A state-year table (``ccode``, ``year``) rather than a dyad-year one (``ccode1``, ``ccode2``, ``year``)."""
    if {"ccode1", "ccode2", "year"} <= set(tbl.columns):
        return False
    if {"ccode", "year"} <= set(tbl.columns):
        return True
    raise DataFileError(
        "expected a state-year table (columns ccode, year) or a dyad-year table (ccode1, ccode2, year); "
        f"found columns {list(tbl.columns)}"
    )


def _dyadic(dy: pd.DataFrame, what: str) -> None:
    if _is_state_year(dy):
        raise DataFileError(f"{what} is a property of a pair: it needs a dyad-year table (ccode1, ccode2, year)")


def _join(dy: pd.DataFrame, table: pd.DataFrame, on: list[str], fill: dict[str, int] | None = None) -> pd.DataFrame:
    out = dy.merge(table, on=on, how="left", validate="many_to_one")
    for col, value in (fill or {}).items():
        out[col] = out[col].fillna(value).astype("Int64")
    return out


def _per_side(dy: pd.DataFrame, table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Join a state-year table: to a state-year table as it is, to a dyad-year table on both
    sides (``col1`` for ccode1 and ``col2`` for ccode2)."""
    t = table[["ccode", "year", *columns]].drop_duplicates(["ccode", "year"])
    if _is_state_year(dy):
        return dy.merge(t, on=["ccode", "year"], how="left", validate="many_to_one")
    out = dy
    for side in ("1", "2"):
        renamed = t.rename(columns={"ccode": f"ccode{side}", **{c: f"{c}{side}" for c in columns}})
        out = out.merge(renamed, on=[f"ccode{side}", "year"], how="left", validate="many_to_one")
    return out


def add_capabilities(dy: pd.DataFrame, version: Literal[6, 7] = 6) -> pd.DataFrame:
    """COW NMC capabilities.

    State-years: the six components and ``cinc`` (``milex`` thousands of current US$, ``milper``
    thousands, ``irst`` thousands of tons, ``pec`` thousands of coal-ton equivalents, ``tpop`` and
    ``upop`` thousands). Dyad-years: CINC of each side, ``cinc_prop1`` = cinc1/(cinc1 + cinc2) (the
    capability proportion, Bennett & Stam 2000) and ``cinc_ratio`` = stronger/weaker (NA when the
    weaker has 0)."""
    nmc = load_nmc(version)
    if _is_state_year(dy):
        return _per_side(dy, nmc, ["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"])
    out = _per_side(dy, nmc, ["cinc"])
    total = out["cinc1"] + out["cinc2"]
    out["cinc_prop1"] = (out["cinc1"] / total).where(total > 0)
    hi = out[["cinc1", "cinc2"]].max(axis=1)
    lo = out[["cinc1", "cinc2"]].min(axis=1)
    out["cinc_ratio"] = (hi / lo).where(lo > 0)
    return out


def add_alliances(dy: pd.DataFrame, source: Literal["cow", "atop"] = "cow") -> pd.DataFrame:
    """Alliance ties of the dyad in the year, 0/1 by type: COW v4.1 (``cow_defense``, ``cow_neutral``,
    ``cow_nonagg``, ``cow_entente``) or ATOP 5.1 (``atop_defense``, ``atop_offense``, ``atop_neutral``,
    ``atop_nonagg``, ``atop_consul``). COW alliance data end in 2012, ATOP in 2018: later years are NA."""
    _dyadic(dy, "an alliance tie")
    if source == "cow":
        table, last = load_alliances("dyad_year"), 2012
    elif source == "atop":
        table, last = load_atop("dyad_year"), 2018
    else:
        raise DataFileError(f"alliance source must be 'cow' or 'atop'; got {source!r}")
    cols = [c for c in table.columns if c not in ("ccode1", "ccode2", "year")]
    table = table.groupby(["ccode1", "ccode2", "year"], as_index=False)[cols].max()
    out = _join(dy, table, ["ccode1", "ccode2", "year"], dict.fromkeys(cols, 0))
    out.loc[out["year"] > last, cols] = pd.NA
    return out


def add_contiguity(dy: pd.DataFrame) -> pd.DataFrame:
    """``conttype``: 0 not contiguous, 1 land border, 2–5 separated by ≤ 12/24/150/400 miles of water
    (COW Direct Contiguity v3.2; the closest type in force in the year)."""
    _dyadic(dy, "contiguity")
    spells = load_contiguity()
    pairs = dy[["ccode1", "ccode2", "year"]].drop_duplicates()
    m = pairs.merge(spells, on=["ccode1", "ccode2"], how="inner")
    m = m[(m["year"] >= m["styear"]) & (m["year"] <= m["endyear"])]
    best = pd.DataFrame(m.groupby(["ccode1", "ccode2", "year"], as_index=False)["conttype"].min())
    return _join(dy, best, ["ccode1", "ccode2", "year"], {"conttype": 0})


def add_majors(dy: pd.DataFrame) -> pd.DataFrame:
    """``major`` (state-years) or ``major1``, ``major2`` (dyad-years): 1 if the state is a COW major
    power in the year (v2016)."""
    majors = load_majors()
    years = dy["year"].drop_duplicates()
    spells = majors[["ccode", "styear", "endyear"]].to_numpy(int)
    rows = [(int(c), int(y)) for c, lo, hi in spells for y in years.to_numpy(int) if lo <= y <= hi]
    table = pd.DataFrame(rows, columns=["ccode", "year"]).drop_duplicates().assign(major=1)
    table = table.astype({"ccode": "Int64", "year": "Int64"})
    out = _per_side(dy, table, ["major"])
    cols = ["major"] if _is_state_year(dy) else ["major1", "major2"]
    out[cols] = out[cols].fillna(0).astype("Int64")
    return out


def add_mids(dy: pd.DataFrame) -> pd.DataFrame:
    """``midonset`` and ``midongoing`` (0/1) from the Gibler–Miller–Little directed dispute-dyad-years
    (v2.2.1, to 2010), and ``hostlev`` (highest hostility level, NA without a dispute). Years after
    2010 are NA."""
    _dyadic(dy, "a militarized dispute")
    g = load_gml_mid("dyad_year")
    table = g.groupby(["ccode1", "ccode2", "year"], as_index=False).agg(
        midonset=("midonset", "max"), midongoing=("midongoing", "max"), hostlev=("hostlev", "max")
    )
    out = _join(dy, table, ["ccode1", "ccode2", "year"], {"midonset": 0, "midongoing": 0})
    out.loc[out["year"] > 2010, ["midonset", "midongoing"]] = pd.NA
    return out


def add_democracy(dy: pd.DataFrame) -> pd.DataFrame:
    """V-Dem polyarchy and Polity2: ``v2x_polyarchy``, ``polity2`` (state-years) or of each side,
    ``v2x_polyarchy1/2``, ``polity2_1/2`` (dyad-years)."""
    d = load_democracy()
    if _is_state_year(dy):
        return _per_side(dy, d, ["v2x_polyarchy", "polity2"])
    return _per_side(dy, d.rename(columns={"polity2": "polity2_"}), ["v2x_polyarchy", "polity2_"])


def add_gdp(dy: pd.DataFrame) -> pd.DataFrame:
    """Real GDP, 2011 US$ (Maddison 2020): ``gdp`` (state-years) or ``gdp1``, ``gdp2`` (dyad-years)."""
    m = maddison_by_cow()
    return _per_side(dy, m, ["gdp"])


def maddison_by_cow() -> pd.DataFrame:
    """Maddison 2020 rows with a COW code, one per state-year (a duplicate is an error, not a choice)."""
    m = load_maddison().dropna(subset=["ccode", "gdp"])
    dup = m[m.duplicated(["ccode", "year"], keep=False)]
    if len(dup):
        raise DataFileError(
            "Maddison: several series map to one COW state-year: "
            + ", ".join(f"{r.country} ({r.ccode}, {r.year})" for r in dup.head(6).itertuples())
        )
    return m


def add_rivalries(dy: pd.DataFrame) -> pd.DataFrame:
    """``rivalry``: 1 if the dyad is a strategic rivalry in force in the year (Thompson, Sakuwa & Suhas 2021)."""
    _dyadic(dy, "a rivalry")
    r = load_rivalries()
    both = pd.concat([r, r.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})], ignore_index=True)
    pairs = dy[["ccode1", "ccode2", "year"]].drop_duplicates()
    m = pairs.merge(both[["ccode1", "ccode2", "start", "end"]], on=["ccode1", "ccode2"])
    m = m[(m["year"] >= m["start"]) & (m["year"] <= m["end"])][["ccode1", "ccode2", "year"]].drop_duplicates()
    return _join(dy, m.assign(rivalry=1), ["ccode1", "ccode2", "year"], {"rivalry": 0})


def politically_relevant(dy: pd.DataFrame, max_conttype: int = 1) -> pd.DataFrame:
    """Keep politically relevant dyads: contiguous (``conttype`` ≤ ``max_conttype``; 1 = land) or
    with a COW major power on either side (Maoz & Russett 1993; Lemke & Reed 2001). Adds the
    contiguity and major-power columns if missing."""
    out = dy if "conttype" in dy else add_contiguity(dy)
    out = out if "major1" in out else add_majors(out)
    keep = out["conttype"].between(1, max_conttype) | (out["major1"] == 1) | (out["major2"] == 1)
    return out[keep.to_numpy(bool)].reset_index(drop=True)
