"""The observed record beside a simulation: SIPRI's military spending shares for its states.

A run whose years reach into the record (SIPRI 1949–2023) is drawn with the observed series over
its bands, so a reader sees at once where the ensemble and history part. States are matched by
their COW code; where the data are not installed, figures are drawn without them.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import xarray as xr

from alliancelab.engine.manifest import read_manifest
from alliancelab.errors import DataFileError

__all__ = ["RecordWarning", "band_coverage", "counterfactual_changes", "coverage_note", "observed_shares"]


class RecordWarning(UserWarning):
    """The observed record could not be read, so a figure or note leaves it out."""


@lru_cache(maxsize=2)
def _sipri_shares(path: str, mtime: int, size: int) -> pd.DataFrame:
    """SIPRI's shares of GDP in %, COW code × year: read once per version of the file (a
    dashboard redraws its figures at every run)."""
    from alliancelab.data import load_sipri

    sipri = load_sipri(path)
    sipri = sipri.dropna(subset=["milex_share_of_gdp"]).drop_duplicates(["ccode", "year"], keep="last")
    return sipri.pivot(index="ccode", columns="year", values="milex_share_of_gdp") * 100


def observed_shares(ds: xr.Dataset) -> pd.DataFrame | None:
    """Observed military spending in % of GDP (SIPRI), actors × years of the run where recorded.

    None where the run has no year in the record, no actor has a COW code, or SIPRI's file is not
    available (see ``alliancelab data list``).
    """
    try:
        actors = read_manifest(ds)["resolved_scenario"]["actor"]
    except (KeyError, ValueError, TypeError):
        return None
    code_of = {str(a["id"]): int(a["ccode"]) for a in actors if a.get("ccode") is not None}
    years = [int(y) for y in ds.year.values]
    if not code_of or min(years) > 2023:
        return None
    from alliancelab.data.files import locate

    try:
        path = locate("sipri_long")
        stat = path.stat()
        table = _sipri_shares(str(path), stat.st_mtime_ns, stat.st_size)
    except (DataFileError, OSError) as exc:  # said, never dropped in silence: the record is left out
        import warnings

        warnings.warn(
            f"SIPRI's record is left out of the spending figures and their coverage line: {exc}",
            RecordWarning,
            stacklevel=2,
        )
        return None
    table = table[[y for y in table.columns if min(years) <= int(y) <= max(years)]]
    rows = {a: table.loc[c] for a, c in code_of.items() if c in table.index}
    if not rows:
        return None
    return pd.DataFrame(rows).T.rename_axis(index="actor", columns="year")


def band_coverage(ds: xr.Dataset) -> tuple[float, int] | None:
    """How much of SIPRI's record after the start year lies inside the runs' 10-90 % band of
    spending shares: (share of the observed state-years inside, their number). An honest band holds
    about 80 %. None where the run has no such year or no share output."""
    table = observed_shares(ds)
    if table is None or "share" not in ds:
        return None
    ok = ds["status"] == 0 if "status" in ds else True
    band = (100 * ds["share"].where(ok)).quantile([0.1, 0.9], dim="run")
    after = [y for y in table.columns if int(y) > int(ds.year.values[0])]
    years = [int(y) for y in after]
    picked = band.sel(actor=list(map(str, table.index)), year=years).transpose("quantile", "actor", "year")
    lo, hi = picked.to_numpy()
    seen = table[after].to_numpy(float)  # (actor, year), as lo and hi
    scored = ~(np.isnan(seen) | np.isnan(lo) | np.isnan(hi))  # a year where every run was flagged has no band
    inside = int(((seen >= lo) & (seen <= hi) & scored).sum())
    total = int(scored.sum())
    return (inside / total, total) if total else None


def counterfactual_changes(ds: xr.Dataset) -> list[str]:
    """The levers a scenario moves that history did not ("engagement of usa from 2005"): every
    shock but recorded growth, unless the scenario is a history scenario (`scenario history`),
    whose shocks are the record's own events."""

    doc = read_manifest(ds).get("resolved_scenario", {})
    if "-history-to-" in str(doc.get("scenario", {}).get("name", "")):
        return []
    moved: dict[str, int] = {}
    for shock in doc.get("shock", []):
        if shock.get("lever") == "realised_growth":
            continue
        target = shock.get("target")
        what = f"{shock['lever']} of {'-'.join(target) if isinstance(target, list) else target}"
        moved.setdefault(what, int(shock["year"]))
    return [f"{what} from {year}" for what, year in moved.items()]


def coverage_note(ds: xr.Dataset) -> str | None:
    """:func:`band_coverage` as the sentence `run`, the dashboard and the report print under the
    bands; for a counterfactual (:func:`counterfactual_changes`), with the caveat that the record
    is what happened without its changes."""
    covered = band_coverage(ds)
    if covered is None:
        return None
    note = (
        f"SIPRI's record after {int(ds.year.values[0])}: {100 * covered[0]:.0f} % of its {covered[1]} state-years lie "
        "inside the runs' 10-90 % bands (an honest band holds about 80 %; below that the medians miss more "
        "than the runs spread: docs/experiments.md)"
    )
    changes = counterfactual_changes(ds)
    if changes:
        shown = ", ".join(changes[:3]) + (f" and {len(changes) - 3} more" if len(changes) > 3 else "")
        note += (
            f". This scenario is a counterfactual ({shown}): the record is what happened without those changes, "
            "so it is shown for reference, not as a test of this forecast"
        )
    return note
