"""The observed record beside a simulation: SIPRI's military spending shares for its states.

A run whose years reach into the record (SIPRI 1949–2023) is drawn with the observed series over
its bands, so a reader sees at once where the ensemble and history part. States are matched by
their COW code; where the data are not installed, figures are drawn without them.
"""

from __future__ import annotations

import json

import pandas as pd
import xarray as xr

from alliancelab.errors import DataFileError

__all__ = ["observed_shares"]


def observed_shares(ds: xr.Dataset) -> pd.DataFrame | None:
    """Observed military spending in % of GDP (SIPRI), actors × years of the run where recorded.

    None where the run has no year in the record, no actor has a COW code, or SIPRI's file is not
    available (see ``alliancelab data list``).
    """
    try:
        actors = json.loads(ds.attrs["manifest"])["resolved_scenario"]["actor"]
    except (KeyError, ValueError, TypeError):
        return None
    code_of = {str(a["id"]): int(a["ccode"]) for a in actors if a.get("ccode") is not None}
    years = [int(y) for y in ds.year.values]
    if not code_of or min(years) > 2023:
        return None
    from alliancelab.data import load_sipri

    try:
        sipri = load_sipri()
    except DataFileError:
        return None
    sipri = sipri[sipri["year"].between(min(years), max(years)) & sipri["ccode"].isin(list(code_of.values()))]
    sipri = sipri.dropna(subset=["milex_share_of_gdp"]).drop_duplicates(["ccode", "year"], keep="last")
    table = sipri.pivot(index="ccode", columns="year", values="milex_share_of_gdp") * 100
    rows = {a: table.loc[c] for a, c in code_of.items() if c in table.index}
    if not rows:
        return None
    return pd.DataFrame(rows).T.rename_axis(index="actor", columns="year")
