"""Measures over real data for a region and year range, as tables: what ``alliancelab measure`` prints.

Each function returns a DataFrame and records in ``attrs["citations"]`` the datasets and models it
used (names from :mod:`alliancelab.data.registry`), so ``alliancelab cite`` can print BibTeX.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from alliancelab.data import load_alliances, load_arms_races, load_nmc, load_rivalries
from alliancelab.data.dyads import dyad_years, region_members, region_names, state_years
from alliancelab.errors import ParameterError
from alliancelab.measures.arms_race import detect_arms_races, score_against
from alliancelab.measures.capability import concentration, effective_poles
from alliancelab.measures.cinc import cinc
from alliancelab.measures.network import alliance_graph, network_measures
from alliancelab.measures.similarity import alliance_portfolios, s_score, tau_b

__all__ = [
    "MEASURES",
    "display_table",
    "measure_table",
]


def _members(start: int, end: int, states: Iterable[int] | None, region: str | None) -> pd.DataFrame:
    return state_years(start, end, states, region)


def _cinc(start: int, end: int, states: Iterable[int] | None, region: str | None) -> pd.DataFrame:
    nmc = load_nmc(6 if end <= 2016 else 7)
    nmc = nmc[(nmc["year"] >= start) & (nmc["year"] <= end)].copy()
    nmc["cinc_computed"] = cinc(nmc)
    keep = _members(start, end, states, region)
    out = keep.merge(nmc[["ccode", "year", "cinc", "cinc_computed"]], on=["ccode", "year"], how="left")
    out.attrs["citations"] = ["cow-nmc", "cow-states", "cinc"]
    return out


def _concentration(start: int, end: int, states: Iterable[int] | None, region: str | None) -> pd.DataFrame:
    c = _cinc(start, end, states, region).dropna(subset=["cinc"])
    rows = []
    for year, g in c.groupby("year"):
        v = g["cinc"].to_numpy(float)
        rows.append(
            {
                "year": int(str(year)),
                "states": len(v),
                "con": float(concentration(v)),
                "poles": float(effective_poles(v)),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["citations"] = ["cow-nmc", "cow-states", "concentration"]
    return out


def _ties(year: int) -> pd.DataFrame:
    ddy = load_alliances("dyad_year")
    t = ddy[ddy["year"] == year]
    level = np.select(
        [t["cow_defense"] == 1, (t["cow_neutral"] == 1) | (t["cow_nonagg"] == 1), t["cow_entente"] == 1], [3, 2, 1], 0
    )
    return pd.DataFrame({"ccode1": t["ccode1"].astype(int), "ccode2": t["ccode2"].astype(int), "level": level})


def _similarity(start: int, end: int, states: Iterable[int] | None, region: str | None) -> pd.DataFrame:
    """S (unweighted, CINC-weighted) and tau-b of alliance portfolios over all system members."""
    nmc = load_nmc(6)
    frames = []
    for year in range(start, min(end, 2012) + 1):
        members = sorted(int(c) for c in state_years(year, year)["ccode"])
        port = alliance_portfolios(_ties(year), members)
        caps = nmc[nmc["year"] == year].set_index("ccode")["cinc"].reindex(members).fillna(0).to_numpy(float)
        s = s_score(port)
        sw = s_score(port, caps / caps.sum())
        tb = tau_b(port)
        dy = dyad_years(year, year, directed=False, states=states, region=region)
        idx = {c: k for k, c in enumerate(members)}
        i = dy["ccode1"].map(idx).to_numpy(int)
        j = dy["ccode2"].map(idx).to_numpy(int)
        frames.append(dy.assign(s_unweighted=s[i, j], s_weighted=sw[i, j], tau_b=tb[i, j]))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    out.attrs["citations"] = ["cow-alliances", "cow-nmc", "cow-states", "s-score", "tau-b"]
    return out


def _network(start: int, end: int, states: Iterable[int] | None, region: str | None) -> pd.DataFrame:
    """Defense-pact network among the chosen states, by year (COW v4.1, to 2012)."""
    ddy = load_alliances("dyad_year")
    ddy = ddy[(ddy["cow_defense"] == 1) & (ddy["ccode1"] < ddy["ccode2"])]
    keep = region_members(region) if region else (set(states) if states is not None else None)
    rows = [{"year": y, **network_measures(alliance_graph(ddy, y, keep))} for y in range(start, min(end, 2012) + 1)]
    out = pd.DataFrame(rows)
    out.attrs["citations"] = ["cow-alliances", "centralization"]
    return out


def _arms_races(start: int, end: int, states: Iterable[int] | None, region: str | None) -> pd.DataFrame:
    """Mutual military build-ups (GRH 2005 rule) in rivalries touching the chosen states, and GRH's list."""
    riv = load_rivalries()
    keep = region_members(region) if region else (set(states) if states is not None else None)
    if keep is not None:
        riv = riv[riv["ccode1"].isin(keep) | riv["ccode2"].isin(keep)]
    det = detect_arms_races(load_nmc(6), riv)
    det = det[(det["endyear"] >= start) & (det["styear"] <= end)].reset_index(drop=True)
    grh = load_arms_races()
    _, det, _ = score_against(det, grh)
    det = det.rename(columns={"matched": "in_grh_list"})
    det.attrs["citations"] = ["cow-nmc", "rivalries", "arms-races", "arms-race-rule"]
    return det


#: The first year of the state system (COW, 1816).
FIRST_YEAR = 1816

MEASURES: dict[str, Callable[[int, int, Iterable[int] | None, str | None], pd.DataFrame]] = {
    "cinc": _cinc,
    "concentration": _concentration,
    "similarity": _similarity,
    "network": _network,
    "arms-races": _arms_races,
}


def measure_table(
    name: str, start: int, end: int, states: Iterable[int] | None = None, region: str | None = None
) -> pd.DataFrame:
    """Compute measure ``name`` (one of :data:`MEASURES`) for the states or region, ``start``–``end``."""
    from alliancelab.data.files import DataFileError
    from alliancelab.errors import suggest

    if name not in MEASURES:
        raise DataFileError(f"unknown measure {name!r}; " + suggest(name, MEASURES))
    if not FIRST_YEAR <= start <= end:
        raise ParameterError("start/end", f"measure {name}", f"years with {FIRST_YEAR} <= start <= end", (start, end))
    if region is not None and region not in region_names():
        raise ParameterError("region", f"measure {name}", "a named region; " + suggest(region, region_names()), region)
    if region is None and states is None:
        region = "asia-pacific"
    table = MEASURES[name](start, end, states, region)
    if table.empty:
        raise ParameterError(
            "start/end", f"measure {name}", "years the data cover (COW alliances to 2012, NMC to 2016)", (start, end)
        )
    if "year" in table:  # part of the span past the data: say so, rather than end the table early without a word
        first, last = int(table["year"].min()), int(table["year"].max())
        if first > start or last < end:
            table.attrs["note"] = f"the data give {name} for {first}-{last} only, not all of {start}-{end}"
    return table


def display_table(table: pd.DataFrame, limit: int = 40, years: int = 100) -> tuple[pd.DataFrame, str]:
    """The rows to print and a caption saying which: state and dyad tables largest first (by
    their first measure), with state names; yearly series in year order, whole up to ``years``
    rows, else the last years (named). A hub's COW code is shown with the state's name."""
    from alliancelab.data.codes import state_names

    names = state_names()
    shown = table.copy()
    for col in ("ccode", "ccode1", "ccode2"):
        if col in shown:
            shown.insert(list(shown.columns).index(col) + 1, col.replace("ccode", "state"), shown[col].map(names))
    if "hub" in shown:  # the network's hub by name (its code beside it), not a bare number
        shown["hub"] = [
            "—" if pd.isna(h) else f"{names.get(int(h), int(h))} ({int(h)})" for h in shown["hub"].to_numpy(object)
        ]
    keys = {"year", "ccode", "ccode1", "ccode2"}
    measures = [c for c in shown.columns if c not in keys and pd.api.types.is_float_dtype(shown[c])]
    n = len(shown)
    if keys & {"ccode", "ccode1"} & set(shown.columns) and measures:
        shown = shown.sort_values([measures[0], "year"], ascending=[False, True], kind="stable")
        if n <= limit:
            return shown, f"{n} rows, largest {measures[0]} first"
        return shown.head(limit), f"{n} rows; the {limit} largest by {measures[0]} shown"
    span = f" ({int(shown['year'].min())}-{int(shown['year'].max())})" if "year" in shown and n else ""
    if n <= years:
        return shown, f"{n} rows{span}"
    tail = shown.tail(years)
    return tail, (
        f"{n} rows{span}; the last {years} shown ({int(tail['year'].min())}-{int(tail['year'].max())}); "
        "-o writes every row"
    )
