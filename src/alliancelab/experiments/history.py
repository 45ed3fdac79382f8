"""History as scenarios: a scenario built from data for a start year plus the period's shocks,
and the observed military spending to compare with.

Shocks of a historical period come from three places:

- **Economic**: every state's realised real GDP growth each year (Maddison Project 2020), as a
  ``growth`` shock — the end of the Soviet economy, the 1997-98 Asian financial crisis and
  China's growth after WTO accession are all in these numbers.
- **Alliances ending**: an alliance of the start year that the COW Formal Alliances data end
  (e.g. the Soviet–North Korean treaty, 1995) is switched off the year after.
- **Political** (:data:`POLITICAL_SHOCKS`): dated events written as lever changes, each with its
  reason. These are judgements on the size of a shock, not measurements; edit them, or pass
  your own list, to test how much a calibration rests on them. A posture shock marked
  ``to_record`` is sized from the data instead: it moves the state's target share from the
  scenario's start share to SIPRI's share in the shock's year (Russia in 1992, the first year of
  the Russian Federation's series).

Observed spending is SIPRI's series in constant 2022 US$. SIPRI's 1990-91 figures for code 365
are the Soviet Union's: that series breaks in 1992 (:data:`SERIES_BREAKS`), and comparisons for
Russia start there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelab.scenario.load import scenario_from_dict
from alliancelab.scenario.model import Scenario

__all__ = [
    "ARF",
    "POLITICAL_SHOCKS",
    "SERIES_BREAKS",
    "SPENDING_SOURCES",
    "HistoricalShock",
    "SpendingSource",
    "history_scenario",
    "observed_milex",
    "require_recorded",
    "spending_years",
]


@dataclass(frozen=True)
class HistoricalShock:
    """A dated political event as a lever change. ``carry``: the change still holds later, so a
    scenario starting after it begins with it (levers that shift spending or growth are not
    carried: a later start year's data already contain them)."""

    year: int
    lever: str
    target: str | tuple[str, str]
    value: float
    note: str
    carry: bool = True
    to_record: bool = False  # a posture shock sized to SIPRI's share in ``year`` (``value`` where it has none)


#: Targets are the COW state abbreviations (lower case) that ``scenario from-data`` uses as ids.
POLITICAL_SHOCKS: tuple[HistoricalShock, ...] = (
    HistoricalShock(
        1991,
        "posture",
        "usa",
        -0.015,
        "post-Cold War drawdown (Base Force 1990, Bottom-Up Review 1993): SIPRI has the U.S. share of GDP "
        "falling from 5.1 % (1990) to 2.9 % (1999)",
        carry=False,
    ),
    HistoricalShock(
        1992,
        "posture",
        "rus",
        0.0,
        "the Soviet Union dissolves (Dec. 1991): Russia's target share moves from the start's (Soviet spending "
        "over Maddison GDP: 4.1 % in 1990, 9.3 % in 1985) to SIPRI's first Russian share (4.4 % in 1992); "
        "the fall of its spending is in the realised growth",
        carry=False,
        to_record=True,
    ),
    HistoricalShock(1992, "engagement", "rus", 0.4, "Russia's withdrawal from its Asian commitments after 1991"),
    HistoricalShock(1992, "presence", "cow-231", 0.1, "U.S. forces leave Subic Bay and Clark (closed Nov. 1992)"),
    HistoricalShock(
        1995, "engagement", "usa", 0.95, "the Nye report (1995) recommits 100,000 U.S. troops to East Asia"
    ),
    HistoricalShock(1996, "hostility", ("chn", "twn"), 0.8, "the 1995-96 Taiwan Strait crisis"),
    HistoricalShock(1998, "hostility", ("jpn", "prk"), 0.5, "the Taepodong-1 launch over Japan (Aug. 1998)"),
    HistoricalShock(2000, "reconciliation", ("prk", "kor"), 0.3, "the inter-Korean summit (June 2000)"),
    HistoricalShock(
        2003, "reconciliation", ("prk", "kor"), 0.1, "the second nuclear crisis: North Korea leaves the NPT (Jan. 2003)"
    ),
    HistoricalShock(
        2002,
        "posture",
        "usa",
        0.01,
        "the build-up after 11 September 2001: SIPRI has the U.S. share rising from 2.9 % (2001) to 3.8 % (2005)",
        carry=False,
    ),
)

#: The ASEAN Regional Forum (first meeting July 1994), with the year each member joined.
ARF: dict[str, Any] = {
    "id": "arf",
    "name": "ASEAN Regional Forum",
    "since": 1994,
    "depth": 0.2,
    "teeth": 0.0,
    "members": ["usa", "rus", "chn", "jpn", "kor", "aus", "tha", "mys", "sgp", "phl", "idn", "vnm", "ind", "prk"],
    "joined": {"vnm": 1995, "ind": 1996, "prk": 2000},
    "source": "ARF founding membership 1994; Vietnam 1995 (ASEAN), India 1996, North Korea 2000",
}

#: Where a SIPRI series changes what it measures: comparisons start at the break.
SERIES_BREAKS: dict[int, int] = {365: 1992}


def history_scenario(
    start: int,
    end: int,
    region: str = "asia-pacific",
    political: tuple[HistoricalShock, ...] = POLITICAL_SHOCKS,
    growth_shocks: bool = True,
) -> Scenario:
    """The data scenario for ``start`` with the shocks of ``(start, end]`` (realised growth,
    alliances ending, political events) and those of earlier years that still hold.

    With ``end == start`` it is a forecast's starting point: nothing after ``start`` is used.
    """
    from alliancelab.data import load_alliances
    from alliancelab.data.dyads import maddison_by_cow
    from alliancelab.data.scenario_builder import scenario_document
    from alliancelab.models.order.estimated import scenario_facts

    built = scenario_document(start, region=region, facts=scenario_facts)
    doc = built.doc
    if built.warnings:  # carried in the scenario, its TOML and every run's manifest
        said = str(doc["scenario"].get("description", ""))
        doc["scenario"]["description"] = (said + " " if said else "") + " ".join(
            f"Plausibility: {w}." for w in built.warnings
        )
    ids = {a["id"] for a in doc["actor"]}
    code_of = {a["id"]: int(a["ccode"]) for a in doc["actor"]}
    doc["scenario"]["name"] = f"{region}-{start}-history-to-{end}"
    doc["scenario"]["years"] = max(end - start + 1, 1)
    shocks: list[dict[str, Any]] = []
    if growth_shocks and end > start:
        mad = maddison_by_cow()
        gdp = mad.set_index(["ccode", "year"])["gdp"]
        for a_id, code in code_of.items():
            for y in range(start + 1, end + 1):
                if (code, y) in gdp.index and (code, y - 1) in gdp.index:
                    # the engine grows year t's GDP by year t's rate into t + 1: y − 1 carries y's growth
                    g = float(gdp[(code, y)] / gdp[(code, y - 1)] - 1)
                    shocks.append(
                        {
                            "year": y - 1,
                            "lever": "realised_growth",
                            "target": a_id,
                            "value": float(np.clip(g, -0.2, 0.3)),
                            "note": f"realised growth {y - 1}-{y} (Maddison 2020)",
                        }
                    )
    ends = load_alliances("member").groupby("version4id")["all_end_year"].max()
    for al in doc.get("alliance", []):
        cow = al.get("cow_id")
        last = ends.get(cow) if cow is not None else None
        if last is not None and not pd.isna(last) and start <= int(last) < end:
            shocks.append(
                {
                    "year": int(last) + 1,
                    "lever": "active",
                    "target": al["id"],
                    "value": 0.0,
                    "note": "COW: alliance ends",
                }
            )
    if start >= ARF["since"] or end >= ARF["since"]:
        members = [m for m in ARF["members"] if m in ids and ARF["joined"].get(m, 0) <= end]
        joined = {m: y for m, y in ARF["joined"].items() if m in members and y > start}
        doc.setdefault("institution", []).append(
            {k: v for k, v in ARF.items() if k not in ("members", "joined")}
            | {"members": members, "joined": joined, "since": max(ARF["since"], start)}
        )
    alliances = {al["id"] for al in doc.get("alliance", [])}
    for s in political:
        targets = s.target if isinstance(s.target, tuple) else (s.target,)
        if not all(t in ids or t in alliances for t in targets):
            continue
        if start < s.year <= end or (s.year <= start and s.carry):
            target: Any = list(s.target) if isinstance(s.target, tuple) else s.target
            value = _to_record(s, doc, code_of) if s.to_record else s.value
            shocks.append(
                {"year": max(s.year, start), "lever": s.lever, "target": target, "value": value, "note": s.note}
            )
    # earlier shocks carried onto the start year: the latest of each lever and target holds
    latest = {(sh["year"], sh["lever"], str(sh["target"])): sh for sh in shocks}
    doc["shock"] = doc.get("shock", []) + list(latest.values())
    return scenario_from_dict(doc, source=f"history {start}-{end}")


def _to_record(s: HistoricalShock, doc: dict[str, Any], code_of: dict[str, int]) -> float:
    """A posture shock's size from the data: SIPRI's share of GDP in the shock's year minus the
    scenario's start share (within the posture lever's range); ``s.value`` where SIPRI has none."""
    from alliancelab.data import load_sipri
    from alliancelab.scenario.levers import LEVERS

    actor = next(a for a in doc["actor"] if a["id"] == s.target)
    sipri = load_sipri().dropna(subset=["ccode", "milex_share_of_gdp"])
    row = sipri[(sipri["ccode"] == code_of[str(s.target)]) & (sipri["year"] == s.year)]
    if row.empty:
        return s.value
    lever = LEVERS[("posture", "actor")]
    shift = float(row["milex_share_of_gdp"].iloc[0]) - float(actor["milex"]) / float(actor["gdp"])
    return float(np.clip(shift, lever.low, lever.high))


@dataclass(frozen=True)
class SpendingSource:
    """An observed military-spending series that calibration and backtests score against."""

    name: str  # as tables, figures and reports name it
    unit: str  # the currency unit of its values


#: The observed series ``observed_milex`` reads, by the name ``--source`` takes.
SPENDING_SOURCES: dict[str, SpendingSource] = {
    "sipri": SpendingSource("SIPRI", "constant 2022 US$"),
    "cow": SpendingSource("COW NMC 6.0", "current US$"),
}


def _spending_table(source: str, where: str) -> tuple[pd.DataFrame, dict[int, int]]:
    """The source's rows with a value (``ccode``, ``year``, ``value`` in US$) and its series breaks."""
    from alliancelab.data import load_nmc, load_sipri
    from alliancelab.errors import ParameterError

    if source == "sipri":
        table = load_sipri().dropna(subset=["ccode", "milex_const2022_usd_m"])
        return table.assign(value=table["milex_const2022_usd_m"].astype(float) * 1e6), SERIES_BREAKS
    if source == "cow":
        table = load_nmc(6).dropna(subset=["milex"])
        return table.assign(value=table["milex"].astype(float) * 1e3), {}
    raise ParameterError("source", where, " or ".join(map(repr, SPENDING_SOURCES)), source)


def spending_years(source: str = "sipri") -> tuple[int, int]:
    """The first and last year with any military-spending figure in ``source``."""
    table, _ = _spending_table(source, "spending_years")
    return int(table["year"].min()), int(table["year"].max())


def require_recorded(source: str, year: int, where: str, name: str) -> None:
    """Refuse an unknown ``source``, or a ``year`` (the parameter ``name`` of ``where``) past its
    last figure: a score against years the record does not have is no score."""
    from alliancelab.errors import ParameterError

    if source not in SPENDING_SOURCES:
        raise ParameterError("source", where, " or ".join(map(repr, SPENDING_SOURCES)), source)
    final = spending_years(source)[1]
    if year > final:
        raise ParameterError(name, where, f"a year up to {final} ({SPENDING_SOURCES[source].name}'s last year)", year)


def observed_milex(scenario: Scenario, start: int, end: int, source: str = "sipri") -> pd.DataFrame:
    """Observed military expenditure for the scenario's actors: ``actor``, ``ccode``, ``year``,
    ``milex`` (US$), ``comparable_from`` (the first year after a series break).

    ``source="sipri"``: SIPRI, constant 2022 US$. ``source="cow"``: COW NMC v6 ``milex``, current
    US$ (to 2016), the longer but nominal series.
    """
    table, breaks = _spending_table(source, "observed_milex")
    table = table[table["year"].between(start, end)]
    rows = []
    for a in scenario.actor:
        if a.ccode is None:
            continue
        s = table[table["ccode"] == a.ccode]
        for y, v in zip(s["year"].astype(int), s["value"], strict=True):
            rows.append((a.id, int(a.ccode), y, float(v), breaks.get(int(a.ccode), start)))
    out = pd.DataFrame(rows, columns=["actor", "ccode", "year", "milex", "comparable_from"])
    return out.sort_values(["actor", "year"]).reset_index(drop=True)
