"""Where states are: capital cities, great-circle distance between capitals, minimum distance
between borders (CShapes 2.0).

Distance is the loss-of-strength gradient's raw material (Boulding 1962) and a standard control
of dyadic conflict models (Bremer 1992; Oneal & Russett 1999 use the log of the distance between
capitals).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alliancelab.data.files import DataFileError
from alliancelab.data.read import read_checked

__all__ = ["EARTH_RADIUS_KM", "capital_distance", "great_circle_km", "load_capitals", "load_mindist"]

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088
INT: Any = "Int64"


def great_circle_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Haversine distance in km between points given in decimal degrees (arrays broadcast).

    Washington to Tokyo:

    >>> round(float(great_circle_km(38.895, -77.037, 35.677, 139.764)))
    10903
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def load_capitals(path: str | Path | None = None) -> pd.DataFrame:
    """Capital spells of COW states: ``ccode``, ``capital``, ``styear``, ``endyear``, ``lat``, ``lng``.

    Spells are by date in the source; a capital counts for a year if its spell covers 1 January
    of that year or, for a state's first spell, begins during it. Miller (2022), peacesciencer
    ``cow_capitals``; coordinates © OpenStreetMap contributors.
    """
    cols = ["ccode", "statenme", "capital", "stdate", "enddate", "lat", "lng"]
    df = read_checked("capitals", path, cols, None, 200, "capital cities")
    out = pd.DataFrame(
        {
            "ccode": df["ccode"].astype(INT),
            "capital": df["capital"].astype("string"),
            "styear": pd.to_datetime(df["stdate"], errors="coerce").dt.year.astype(INT),
            "endyear": pd.to_datetime(df["enddate"], errors="coerce").dt.year.astype(INT),
            "lat": pd.to_numeric(df["lat"], errors="coerce"),
            "lng": pd.to_numeric(df["lng"], errors="coerce"),
        }
    )
    if out[["styear", "endyear", "lat", "lng"]].isna().any().any():
        raise DataFileError("capital cities: unreadable dates or coordinates (expected YYYY-MM-DD and degrees)")
    return out


def _capital_years(years: pd.Series) -> pd.DataFrame:
    """One capital per state-year: the latest spell that has begun by the year."""
    caps = load_capitals()
    ys = pd.DataFrame({"year": np.sort(years.dropna().astype(int).unique())})
    m = caps.merge(ys, how="cross")
    m = m[(m["year"] >= m["styear"]) & (m["year"] <= m["endyear"])]
    m = m.sort_values("styear").drop_duplicates(["ccode", "year"], keep="last")
    return m[["ccode", "year", "lat", "lng"]].astype({"ccode": INT, "year": INT})


def capital_distance(dy: pd.DataFrame) -> pd.Series:
    """Great-circle km between the two capitals of each dyad-year row (``ccode1``, ``ccode2``, ``year``).

    NA where either state has no capital on record for the year.
    """
    caps = _capital_years(dy["year"])
    out = dy[["ccode1", "ccode2", "year"]].astype(INT)
    for side in ("1", "2"):
        out = out.merge(
            caps.rename(columns={"ccode": f"ccode{side}", "lat": f"lat{side}", "lng": f"lng{side}"}),
            on=[f"ccode{side}", "year"],
            how="left",
        )
    lat1, lng1, lat2, lng2 = (out[c].to_numpy(float) for c in ("lat1", "lng1", "lat2", "lng2"))
    km = great_circle_km(lat1, lng1, lat2, lng2)
    return pd.Series(km, index=dy.index, name="capdist")


def load_mindist(path: str | Path | None = None) -> pd.DataFrame:
    """CShapes 2.0 minimum distance between borders, km on 1 January: ``ccode1`` < ``ccode2``, ``year``,
    ``mindist`` (1886–2019). Schvitz et al. (2022), *JCR* 66(1); peacesciencer ``cow_mindist``."""
    cols = ["ccode1", "ccode2", "year", "mindist"]
    dtypes = {"ccode1": INT, "ccode2": INT, "year": INT, "mindist": "Float64"}
    return read_checked("mindist", path, cols, dtypes, 500_000, "CShapes minimum distance")
