"""Loaders for ATOP, SIPRI, democracy, GDP, strategic rivalries and arms races.

Each returns a tidy DataFrame with COW codes where the source has them or they can be matched
(SIPRI names and Maddison ISO3/names through :mod:`alliancelab.data.codes`; unmatched names are
kept with NA codes and listed in ``df.attrs["unmatched"]``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from alliancelab.data.codes import to_cow
from alliancelab.data.files import DataFileError, locate
from alliancelab.data.read import read_checked, to_na

__all__ = [
    "iso3_by_cow",
    "load_arms_races",
    "load_atop",
    "load_democracy",
    "load_gdp_estimates",
    "load_maddison",
    "load_polity5",
    "load_rivalries",
    "load_sipri",
]

INT: Any = "Int64"
FLOAT: Any = "Float64"
_OBLIGATIONS = ["defense", "offense", "neutral", "nonagg", "consul"]
_ATOP_TABLES = {
    "alliance": (
        "atop_alliance",
        ["atopid", "cowid", "begyr", "endyr", "ineffect", "bilat", *_OBLIGATIONS, "asymm", "version"],
        700,
    ),
    "member": (
        "atop_member",
        ["atopid", "member", "yrent", "yrexit", "ineffect", "bilat", *_OBLIGATIONS, "version"],
        2000,
    ),
    "state_year": ("atop_sy", ["state", "year", "atopally", *_OBLIGATIONS, "number", "version"], 10_000),
    "dyad_year": (
        "atop_ddy",
        ["ccode1", "ccode2", "year", "atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"],
        100_000,
    ),
}


def load_atop(
    table: Literal["alliance", "member", "state_year", "dyad_year"] = "alliance", path: str | Path | None = None
) -> pd.DataFrame:
    """ATOP 5.1: alliances, members, state-years, or directed dyad-years (peacesciencer build).

    Obligations are 0/1: ``defense``, ``offense``, ``neutral``, ``nonagg``, ``consul``. ``yrexit``
    0 means the member had not left by the end of the data (2018); it becomes NA. ``member`` and
    ``state`` are COW codes.

    Leeds, Ritter, Mitchell & Long (2002), "Alliance Treaty Obligations and Provisions, 1815–1944",
    *International Interactions* 28(3): 237–260.
    """
    if table not in _ATOP_TABLES:
        raise DataFileError(f"ATOP table must be one of {sorted(_ATOP_TABLES)}; got {table!r}")
    key, cols, rows = _ATOP_TABLES[table]
    df = read_checked(key, path, cols, None, rows, f"ATOP 5.1 {table}")
    if "version" in df:
        v = set(np.round(pd.to_numeric(df["version"], errors="coerce").dropna().unique(), 2))
        if v != {5.1}:
            raise DataFileError(f"{locate(key, path)}: version column holds {sorted(v)}; ATOP 5.1 files carry 5.1")
        df = df.drop(columns="version")
    df = df.astype(dict.fromkeys(df.columns, INT))
    for col in ("yrexit", "endyr"):
        if col in df:
            df[col] = df[col].mask(df[col] == 0)
    return df.rename(columns={"member": "ccode", "state": "ccode"})


_SIPRI_COLUMNS = [
    "country",
    "region",
    "subregion",
    "year",
    "milex_const2022_usd_m",
    "milex_current_usd_m",
    "milex_share_of_gdp",
    "milex_per_capita_current_usd",
    "milex_share_of_govt_spending",
]
_SIPRI_SHEETS = {
    "Constant (2022) US$": "milex_const2022_usd_m",
    "Current US$": "milex_current_usd_m",
    "Share of GDP": "milex_share_of_gdp",
}


def _sipri_xlsx(p: Path) -> pd.DataFrame:
    import warnings

    frames = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl: "no default style"
        try:
            book = pd.read_excel(p, sheet_name=list(_SIPRI_SHEETS), header=None)
        except ValueError as exc:
            raise DataFileError(
                f"{p}: not the SIPRI milex workbook ({exc}); expected sheets {list(_SIPRI_SHEETS)}"
            ) from None
    for sheet, col in _SIPRI_SHEETS.items():
        raw = book[sheet]
        head = raw.index[raw.iloc[:, 0].astype(str).str.strip().eq("Country")]
        if len(head) == 0:
            raise DataFileError(f"{p}, sheet {sheet!r}: no header row starting with 'Country'")
        h = head[0]
        header = [str(int(v)) if isinstance(v, float) and v == v else str(v) for v in raw.iloc[h]]
        body = raw.iloc[h + 1 :].set_axis(header, axis=1)
        years = [c for c in header if c.isdigit()]
        body = body[body[years].notna().any(axis=1)]  # region headings have no values
        long = body.melt(id_vars=["Country"], value_vars=years, var_name="year", value_name=col)
        long[col] = pd.to_numeric(long[col].replace({"...": np.nan, "xxx": np.nan, ". .": np.nan}), errors="coerce")
        frames.append(long.rename(columns={"Country": "country"}).set_index(["country", "year"]))
    out = pd.concat(frames, axis=1).reset_index()
    out["year"] = out["year"].astype(int)
    return out


def load_sipri(path: str | Path | None = None, form: Literal["long", "xlsx"] = "long") -> pd.DataFrame:
    """SIPRI Military Expenditure Database (2024 release), one row per country-year, with COW codes.

    Columns: ``country`` (SIPRI's name), ``ccode``, ``year``, ``milex_const2022_usd_m`` (US$ m at
    constant 2022 prices), ``milex_current_usd_m`` (US$ m), ``milex_share_of_gdp`` (a fraction:
    0.0336 = 3.36 %), and from the long CSV also per capita and share of government spending.
    ``form="xlsx"`` reads the official workbook (three sheets) instead of the tidy CSV.

    SIPRI (2024), SIPRI Military Expenditure Database, https://www.sipri.org/databases/milex.
    """
    if form == "xlsx":
        df = _sipri_xlsx(locate("sipri_xlsx", path))
    elif form == "long":
        df = read_checked("sipri_long", path, _SIPRI_COLUMNS, None, 10_000, "SIPRI milex long")
    else:
        raise DataFileError(f"SIPRI form must be 'long' or 'xlsx'; got {form!r}")
    codes, unmatched = to_cow(df["country"], df["year"])
    df.insert(1, "ccode", codes)
    df["year"] = df["year"].astype(INT)
    for col in df.columns:
        if col.startswith("milex"):
            df[col] = df[col].astype(FLOAT)
    for col in ("country", "region", "subregion"):
        if col in df:
            df[col] = df[col].astype("string")
    df.attrs["unmatched"] = unmatched
    return df


def load_polity5(path: str | Path | None = None) -> pd.DataFrame:
    """Polity5 (p5v2018): ``ccode`` (Polity's, close to COW), ``year``, ``democ``, ``autoc``, ``polity``, ``polity2``.

    The special codes −66 (interruption), −77 (interregnum) and −88 (transition) become NA in
    ``democ``, ``autoc`` and ``polity``; ``polity2`` is Polity's own imputed series.
    Marshall & Gurr (2020), Polity5 Users' Manual, Center for Systemic Peace.
    """
    cols = ["ccode", "scode", "country", "year", "democ", "autoc", "polity", "polity2"]
    df = read_checked("polity5", path, cols, None, 15_000, "Polity5")
    df = to_na(df, ["democ", "autoc", "polity"], (-66, -77, -88))
    df = df.astype({"ccode": INT, "year": INT, "democ": INT, "autoc": INT, "polity": INT, "polity2": INT})
    return df.astype({"scode": "string", "country": "string"})


def load_democracy(path: str | Path | None = None) -> pd.DataFrame:
    """Democracy by COW state-year: V-Dem v10 ``v2x_polyarchy`` (0–1), ``polity2``, Marquez ``xm_qudsest``.

    Coppedge et al. (2020), V-Dem Dataset v10; harmonised to COW codes by peacesciencer (Miller 2022).
    """
    cols = ["ccode", "year", "v2x_polyarchy", "polity2", "xm_qudsest"]
    df = read_checked("democracy", path, cols, None, 10_000, "democracy (peacesciencer ccode_democracy)")
    return df.astype({"ccode": INT, "year": INT, "v2x_polyarchy": FLOAT, "polity2": FLOAT, "xm_qudsest": FLOAT})


def load_maddison(path: str | Path | None = None, form: Literal["csv", "xlsx"] | None = None) -> pd.DataFrame:
    """Maddison Project Database 2020: ``iso3``, ``country``, ``ccode``, ``year``, ``gdppc``, ``pop``, ``gdp``.

    ``gdppc`` real GDP per capita in 2011 US$; ``pop`` thousands; ``gdp`` = gdppc × pop × 1000,
    in 2011 US$. Reads the CSV conversion or, with ``form="xlsx"`` (or a ``path`` ending in
    ``.xlsx``), the official ``mpd2020.xlsx`` (sheet "Full data").
    Bolt & van Zanden (2020), "Maddison style estimates of the evolution of the world economy. A new
    2020 update", Maddison Project Working Paper WP-15.
    """
    cols = ["countrycode", "country", "year", "gdppc", "pop"]
    if form is None:
        form = "xlsx" if path is not None and str(path).endswith(".xlsx") else "csv"
    if form == "xlsx":
        file = locate("maddison_xlsx", path)
        try:
            df = pd.read_excel(file, sheet_name="Full data")
        except ValueError as exc:  # no such sheet
            raise DataFileError(f"{file} (Maddison 2020 workbook): {exc}; expected a sheet 'Full data'") from None
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise DataFileError(f"{file}: sheet 'Full data' lacks columns {missing}; found {list(df.columns)}")
        df = df[cols]
    elif form == "csv":
        df = read_checked("maddison", path, cols, None, 20_000, "Maddison 2020")
    else:
        raise DataFileError(f"Maddison form must be 'csv' or 'xlsx'; got {form!r}")
    df = df.rename(columns={"countrycode": "iso3"}).astype({"year": INT, "gdppc": FLOAT, "pop": FLOAT})
    codes, unmatched = to_cow(df["country"], df["year"])
    df.insert(2, "ccode", codes)
    df["gdp"] = df["gdppc"] * df["pop"] * 1000.0
    df = df.astype({"iso3": "string", "country": "string"})
    df.attrs["unmatched"] = unmatched
    return df


def load_rivalries(path: str | Path | None = None) -> pd.DataFrame:
    """Strategic rivalries 1494–2020: ``tssr_id``, ``rivalry``, ``ccode1``, ``ccode2``, ``start``, ``end``, types.

    Ongoing rivalries end at 2020. Thompson, Sakuwa & Suhas (2021), *Analyzing Strategic Rivalries
    in World Politics*, Springer.
    """
    cols = [
        "tssr_id",
        "rivalry",
        "ccode1",
        "ccode2",
        "start",
        "end",
        "positional",
        "spatial",
        "ideological",
        "interventionary",
        "principal",
    ]
    df = read_checked("rivalries", path, cols, None, 200, "TSS strategic rivalries")
    return df.astype({**{c: INT for c in cols if c != "rivalry"}, "rivalry": "string"})


def load_arms_races(path: str | Path | None = None) -> pd.DataFrame:
    """The 71 conventional arms races of Gibler, Rider & Hutchison (2005).

    Columns: ``race_id``, ``ccode1``, ``ccode2``, ``styear``, ``endyear``.

    Gibler, Rider & Hutchison (2005), "Taking Arms Against a Sea of Troubles: Conventional Arms
    Races during Periods of Rivalry", *Journal of Peace Research* 42(2): 131–147.
    """
    cols = ["race_id", "ccode1", "ccode2", "styear", "endyear"]
    return read_checked("arms_races", path, cols, dict.fromkeys(cols, INT), 50, "GRH arms races")


def load_gdp_estimates(path: str | Path | None = None) -> pd.DataFrame:
    """Estimated real GDP and population for every COW state-year, 1800–2016: ``ccode``, ``year``,
    ``gdp`` (2011 US$, PPP), ``pop`` (persons), ``sdp`` (surplus domestic product, 2011 US$).

    The source stores natural logs; they are exponentiated here. Unlike Maddison, every COW
    member has a value (microstates, North Korea, the GDR and South Vietnam included), which is
    why the estimation samples use it. Anders, Fariss & Markowitz (2020), "Bread Before Guns or
    Butter: Introducing Surplus Domestic Product (SDP)", *ISQ* 64(2): 392–405.
    """
    cols = ["ccode", "year", "wbgdp2011est", "wbpopest", "sdpest"]
    df = read_checked("sdp_gdp", path, cols, None, 20_000, "GDP estimates (Anders, Fariss & Markowitz)")
    out = pd.DataFrame({"ccode": df["ccode"].astype(INT), "year": df["year"].astype(INT)})
    for src, dst in (("wbgdp2011est", "gdp"), ("wbpopest", "pop"), ("sdpest", "sdp")):
        out[dst] = np.exp(pd.to_numeric(df[src], errors="coerce")).astype(FLOAT)
    return out


@cache
def iso3_by_cow() -> dict[int, str]:
    """COW code → ISO 3166-1 alpha-3, from the Maddison Project's table (which carries both): the
    code of a state's latest series, so COW 365 is RUS, not the Soviet aggregate."""
    m = load_maddison().dropna(subset=["ccode"]).sort_values("year")
    latest = m.drop_duplicates("ccode", keep="last")
    return {int(c): str(i) for c, i in zip(latest["ccode"], latest["iso3"], strict=True)}
