"""Correlates of War loaders: capabilities, the state system, alliances, disputes and contiguity.

Every loader returns a tidy DataFrame with COW country codes (``ccode``), pandas nullable types
and NA for missing values (COW's −9 codes are replaced). Pass ``path=`` to read a file elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pandas as pd

from alliancelab.data.files import DataFileError
from alliancelab.data.read import read_checked, read_table, to_na

__all__ = [
    "load_alliances",
    "load_contiguity",
    "load_gml_mid",
    "load_igos",
    "load_majors",
    "load_mid",
    "load_nmc",
    "load_states",
    "load_system",
    "load_trade",
]

NMC_COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop")
_NMC_VERSION_STAMP = {6: {2021}, 7: {2024, 2025}}
INT: Any = "Int64"
FLOAT: Any = "Float64"


def load_nmc(version: Literal[6, 7] = 6, path: str | Path | None = None) -> pd.DataFrame:
    """COW National Material Capabilities: one row per state-year.

    Columns: ``ccode``, ``year``, ``milex`` (thousands of current British pounds 1816–1913,
    thousands of current US$ from 1914), ``milper`` (thousands), ``irst`` (thousand tons of iron
    and steel), ``pec`` (thousand coal-ton equivalents), ``tpop``, ``upop`` (thousands), ``cinc``.
    Reads the raw COW layout (with ``stateabb`` and ``version``; −9 = missing) or the
    peacesciencer build of v7 (no ``stateabb``/``version``; NA = missing).

    Singer, Bremer & Stuckey (1972), "Capability Distribution, Uncertainty, and Major Power War,
    1820–1965", in Russett (ed.), *Peace, War, and Numbers*; Greig & Enterline (2021), NMC v6.0.
    """
    if version not in (6, 7):
        raise DataFileError(f"NMC version must be 6 or 7; got {version!r}")
    key = "nmc6" if version == 6 else "nmc7"
    cols = ["ccode", "year", *NMC_COMPONENTS, "cinc"]
    from alliancelab.data.files import locate

    p = locate(key, path)
    header = list(pd.read_csv(p, nrows=0).columns)
    raw = "version" in header
    df = read_checked(
        key, p, ([*cols, "stateabb", "version"] if raw else cols), what=f"COW NMC v{version}", min_rows=10_000
    )
    if raw:
        stamps = set(pd.to_numeric(df["version"], errors="coerce").dropna().astype(int))
        if not stamps <= _NMC_VERSION_STAMP[version]:
            raise DataFileError(
                f"{p}: version column holds {sorted(stamps)}; "
                f"NMC v{version} files carry {sorted(_NMC_VERSION_STAMP[version])}"
            )
        df = to_na(df, [*NMC_COMPONENTS, "cinc"])
        df = df.drop(columns="version")
    df = df.astype({"ccode": INT, "year": INT, **dict.fromkeys([*NMC_COMPONENTS, "cinc"], FLOAT)})
    return df.reset_index(drop=True)


def load_states(path: str | Path | None = None) -> pd.DataFrame:
    """COW State System Membership v2016, one row per membership spell.

    Columns: ``ccode``, ``stateabb``, ``statenme``, ``styear``, ``endyear`` (and months/days).
    Correlates of War Project (2017), State System Membership List, v2016.
    """
    cols = ["stateabb", "ccode", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"]
    df = read_checked(
        "states", path, cols, {c: INT for c in cols if c not in ("stateabb", "statenme")}, 200, "COW states"
    )
    return df.astype({"stateabb": "string", "statenme": "string"})


def load_system(path: str | Path | None = None) -> pd.DataFrame:
    """COW system membership by year: ``ccode``, ``stateabb``, ``year`` (COW v2016)."""
    df = read_checked("system", path, ["stateabb", "ccode", "year"], {"ccode": INT, "year": INT}, 10_000, "COW system")
    return df.astype({"stateabb": "string"})


def load_majors(path: str | Path | None = None) -> pd.DataFrame:
    """COW major powers v2016: ``ccode``, ``stateabb``, ``styear``, ``endyear`` per spell."""
    cols = ["stateabb", "ccode", "styear", "endyear"]
    df = read_checked("majors", path, cols, {"ccode": INT, "styear": INT, "endyear": INT}, 10, "COW majors")
    return df.astype({"stateabb": "string"})


_ALLIANCE_TYPES = ["defense", "neutrality", "nonaggression", "entente"]
_DYAD_COLUMNS = [
    "version4id",
    "ccode1",
    "ccode2",
    "dyad_st_year",
    "dyad_end_year",
    "left_censor",
    "right_censor",
    *_ALLIANCE_TYPES,
]
_ALLIANCE_TABLES = {
    "member": (
        "alliance_member",
        [
            "version4id",
            "ccode",
            "ss_type",
            "mem_st_year",
            "mem_end_year",
            "all_st_year",
            "all_end_year",
            "left_censor",
            "right_censor",
            *_ALLIANCE_TYPES,
        ],
    ),
    "member_yearly": ("alliance_member_yearly", ["version4id", "ccode", "year", "ss_type", *_ALLIANCE_TYPES]),
    "dyad": ("alliance_dyad", [*_DYAD_COLUMNS, "asymmetric"]),
    "directed": ("alliance_directed", _DYAD_COLUMNS),
    "dyad_year": (
        "alliance_ddy",
        ["ccode1", "ccode2", "year", "cow_defense", "cow_neutral", "cow_nonagg", "cow_entente"],
    ),
}
_ALLIANCE_TABLES3 = {k: (key, cols, 1000) for k, (key, cols) in _ALLIANCE_TABLES.items()}


def load_alliances(
    table: Literal["member", "member_yearly", "dyad", "directed", "dyad_year"] = "member",
    path: str | Path | None = None,
) -> pd.DataFrame:
    """COW Formal Alliances v4.1: by member, member-year, dyad, directed dyad, or directed dyad-year.

    ``defense``, ``neutrality``, ``nonaggression``, ``entente`` are 0/1 obligations (a defense pact
    also counts as neutrality/non-aggression, as coded by COW). An end year that is missing means
    the alliance was in force at the end of the data (2012). ``ss_type`` is COW's Type I–III label.
    The ``dyad_year`` table is peacesciencer's directed dyad-year build (max over alliances).

    Gibler, D. M. (2009), *International Military Alliances, 1648–2008*. CQ Press.
    """
    return read_table(_ALLIANCE_TABLES3, table, path, "COW alliances", text=["ss_type"])


_MID_TABLES = {
    "A": (
        "mida",
        ["dispnum", "styear", "endyear", "outcome", "settle", "fatality", "hiact", "hostlev", "recip", "numa", "numb"],
        2000,
    ),
    "B": (
        "midb",
        [
            "dispnum",
            "ccode",
            "stabb",
            "stday",
            "stmon",
            "styear",
            "endday",
            "endmon",
            "endyear",
            "sidea",
            "revstate",
            "fatality",
            "hiact",
            "hostlev",
            "orig",
        ],
        5000,
    ),
    "I": ("midi", ["dispnum", "incidnum", "styear", "endyear", "duration", "fatality", "action", "hostlev"], 4000),
    "IP": (
        "midip",
        [
            "dispnum",
            "incidnum",
            "ccode",
            "stabb",
            "styear",
            "endyear",
            "insidea",
            "sidea",
            "fatality",
            "action",
            "hostlev",
        ],
        9000,
    ),
}


def load_mid(table: Literal["A", "B", "I", "IP"] = "A", path: str | Path | None = None) -> pd.DataFrame:
    """COW Militarized Interstate Disputes 5.0: disputes (A), participants (B), incidents (I, IP).

    ``hostlev``: 1 no militarized action … 5 war; ``hiact`` the highest action (0–23); −9 → NA.
    Palmer et al. (2022), "The MID5 Dataset, 2011–2014", *CMPS* 39(4): 470–482.
    """
    return read_table(_MID_TABLES, table, path, "COW MID 5.0", text=["stabb"], missing_codes=(-9,))


_GML_TABLES = {
    "dyad_year": (
        "gml_ddy",
        [
            "dispnum",
            "ccode1",
            "ccode2",
            "year",
            "midonset",
            "midongoing",
            "sidea1",
            "sidea2",
            "hostlev",
            "hiact",
            "fatality",
        ],
        10_000,
    ),
    "disputes": ("gml_mida", ["dispnum", "styear", "outcome", "settle", "fatality", "hiact", "hostlev", "recip"], 2000),
    "participants": ("gml_part", ["dispnum", "ccode", "styear", "endyear", "sidea", "hiact", "orig"], 5000),
}


def load_gml_mid(
    table: Literal["dyad_year", "disputes", "participants"] = "dyad_year", path: str | Path | None = None
) -> pd.DataFrame:
    """Gibler–Miller–Little MID data 2.2.1 (peacesciencer build): directed dispute-dyad-years etc.

    Gibler, Miller & Little (2016), "An Analysis of the Militarized Interstate Dispute (MID)
    Dataset, 1816–2001", *International Studies Quarterly* 60(4): 719–730.
    """
    return read_table(_GML_TABLES, table, path, "GML MID 2.2.1", missing_codes=(-9,))


def load_contiguity(path: str | Path | None = None) -> pd.DataFrame:
    """COW Direct Contiguity v3.2, directed spells: ``ccode1``, ``ccode2``, ``conttype``, ``styear``, ``endyear``.

    ``conttype``: 1 land or river border; 2, 3, 4, 5 separated by ≤ 12, 24, 150, 400 miles of water.
    Stinnett et al. (2002), "The Correlates of War Project Direct Contiguity Data, Version 3",
    *CMPS* 19(2): 58–66.
    """
    df = read_checked(
        "contdir", path, ["ccode1", "ccode2", "conttype", "stdate", "enddate"], None, 1000, "COW contiguity"
    )
    out = df[["ccode1", "ccode2", "conttype"]].astype(INT)
    for src, dst in (("stdate", "styear"), ("enddate", "endyear")):
        out[dst] = pd.to_datetime(df[src], errors="coerce").dt.year.astype(INT)
    if out[["styear", "endyear"]].isna().any().any():
        raise DataFileError("COW contiguity: unreadable stdate/enddate values (expected YYYY-MM-DD)")
    return out


def load_igos(path: str | Path | None = None) -> pd.DataFrame:
    """COW IGO v3.0 shared full memberships per non-directed dyad-year: ``ccode1`` < ``ccode2``,
    ``year``, ``dyadigos`` (the number of IGOs in which both states are full members).

    Pevehouse et al. (2020), "Tracking Organizations in the World: The Correlates of War IGO
    Version 3.0 Datasets", *JPR* 57(3); peacesciencer's dyad-year summary (Miller 2022).
    """
    cols = ["ccode1", "ccode2", "year", "dyadigos"]
    return read_checked("igo_ndy", path, cols, dict.fromkeys(cols, INT), 500_000, "COW IGO 3.0 dyad-years")


def load_trade(path: str | Path | None = None) -> pd.DataFrame:
    """COW Trade v4.0 national totals: ``ccode``, ``year``, ``imports``, ``exports`` (current US$ m).

    Barbieri, Keshk & Pollins (2009), "Trading Data", *CMPS* 26(5); COW Trade 4.0 (2016).
    """
    cols = ["ccode", "year", "imports", "exports"]
    dtypes = {"ccode": INT, "year": INT, "imports": FLOAT, "exports": FLOAT}
    return read_checked("trade_sy", path, cols, dtypes, 10_000, "COW national trade 4.0")
