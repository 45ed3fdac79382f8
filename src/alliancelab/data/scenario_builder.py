"""Build a scenario from the real datasets for a year: actors, spending, alliances and rivalries.

Numbers the data give are written with their source; parts the data cannot give (hostility,
engagement, projection, domestic support) get documented defaults marked ``REVIEW`` in the file
for the user to judge. The result loads and runs like any preset.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from alliancelab.data.codes import iso3_by_cow, state_names
from alliancelab.errors import Problem, ScenarioError

__all__ = ["CAPITALS", "NUCLEAR_SINCE", "DataScenario", "scenario_document", "scenario_from_data"]

#: Capital coordinates (degrees, rounded) for the states of the built-in regions.
CAPITALS: dict[int, tuple[float, float]] = {
    2: (38.9, -77.0),
    365: (55.8, 37.6),
    710: (39.9, 116.4),
    712: (47.9, 106.9),
    713: (25.0, 121.5),
    731: (39.0, 125.8),
    732: (37.6, 127.0),
    740: (35.7, 139.7),
    750: (28.6, 77.2),
    700: (34.5, 69.2),
    760: (27.5, 89.6),
    770: (33.7, 73.1),
    771: (23.8, 90.4),
    780: (6.9, 79.9),
    781: (4.2, 73.5),
    775: (19.8, 96.1),
    800: (13.8, 100.5),
    811: (11.6, 104.9),
    812: (18.0, 102.6),
    816: (21.0, 105.8),
    817: (10.8, 106.7),
    820: (3.1, 101.7),
    830: (1.3, 103.8),
    835: (4.9, 114.9),
    840: (14.6, 121.0),
    850: (-6.2, 106.8),
    860: (-8.6, 125.6),
    900: (-35.3, 149.1),
    910: (-9.4, 147.2),
    920: (-41.3, 174.8),
    935: (-17.7, 168.3),
    940: (-9.4, 160.0),
    946: (1.3, 173.0),
    947: (-8.5, 179.2),
    950: (-18.1, 178.4),
    955: (-21.1, -175.2),
    970: (7.1, 171.4),
    983: (7.1, 171.4),
    986: (7.5, 134.6),
    987: (6.9, 158.2),
    990: (-13.8, -171.8),
}
#: First nuclear test (COW codes; public record).
NUCLEAR_SINCE: dict[int, int] = {2: 1945, 365: 1949, 200: 1952, 220: 1960, 710: 1964, 750: 1974, 770: 1998, 731: 2006}
_KINDS = (
    ("defense", "defense"),
    ("neutrality", "neutrality"),
    ("nonaggression", "nonaggression"),
    ("entente", "entente"),
)


def _q(v: object) -> str:
    return json.dumps(v, ensure_ascii=False)


class DataScenario:
    """A scenario document built from data and its TOML text, written together: the text carries
    the sources and the ``REVIEW`` notes, the document (``doc``) the same values as parsed."""

    def __init__(self, header: list[str]) -> None:
        self.doc: dict[str, Any] = {}
        self.lines = list(header)
        self._table: dict[str, Any] = {}
        #: levels outside the record's range (:func:`implausible_share`), said where a reader sees them
        self.warnings: list[str] = []

    def table(self, name: str) -> None:
        self._table = self.doc.setdefault(name, {})
        self.lines.append(f"[{name}]")

    def item(self, name: str) -> None:
        """A new entry of an array of tables (``[[name]]``)."""
        self._table = {}
        self.doc.setdefault(name, []).append(self._table)
        self.lines.append(f"[[{name}]]")

    def field(self, key: str, value: object, text: str | None = None, note: str | None = None) -> None:
        """``key = text`` (default: the value as TOML), with a trailing note; the document holds
        the value exactly as the text parses."""
        if text is None:
            text = _q(value) if isinstance(value, (str, list, bool)) else str(value)
        self._table[key] = tomllib.loads(f"v = {text}")["v"]
        self.lines.append(f"{key} = {text}" + (f"   # {note}" if note else ""))

    def blank(self) -> None:
        self.lines.append("")

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def implausible_share(
    label: str, share: float, year: int, own: pd.Series, everyone: pd.DataFrame, source: str
) -> str | None:
    """Why ``share`` (a fraction of GDP) is outside the record, or None: outside the range of the
    state's own SIPRI shares (``own``, every year recorded), or, for a state SIPRI never covers,
    above the highest share SIPRI records in ``year`` for the other states of the scenario
    (``everyone``: their SIPRI rows)."""
    if len(own):
        lo, hi = float(own.min()), float(own.max())
        if lo <= share <= hi:
            return None
        return (
            f"{label}'s {year} share of GDP, {100 * share:.1f} %, lies outside SIPRI's record for it "
            f"({100 * lo:.1f}-{100 * hi:.1f} %); it comes from {source}: check it"
        )
    that_year = everyone[everyone["year"] == year]
    if not len(that_year):
        return None
    top = that_year.iloc[int(np.argmax(that_year["milex_share_of_gdp"].to_numpy(float)))]
    if share <= float(top["milex_share_of_gdp"]):
        return None
    highest = f"{top['country']}, {100 * float(top['milex_share_of_gdp']):.1f} %"
    return (
        f"{label}'s {year} share of GDP, {100 * share:.1f} %, is above every share SIPRI records that year for the "
        f"scenario's states (the highest: {highest}); SIPRI has no series for it, and the value comes from "
        f"{source}, whose price bases differ: check it"
    )


def _share_bounds(out: DataScenario, share: float) -> None:
    """Widen the actor's share bounds (defaults 0.2 %-20 % of GDP) where its data lie outside them."""
    if share < 0.002:
        note = f"REVIEW: the data's share ({share:.4%}) is below the default floor"
        out.field("share_min", share / 2, f"{share / 2:.6g}", note)
    if share > 0.2:
        high = min(1.0, share * 1.5)
        out.field(
            "share_max", high, f"{high:.6g}", f"REVIEW: the data's share ({share:.4%}) is above the default ceiling"
        )


#: What a strategic rivalry's kinds add to its hostility (Thompson, Sakuwa & Suhas): an assumption
#: (plausible range 0-0.15 each; docs/data.md).
RIVALRY_WEIGHTS: dict[str, float] = {"positional": 0.10, "spatial": 0.10, "ideological": 0.05, "interventionary": 0.05}
#: Hostility of a recorded rivalry before its kinds and disputes; what each militarized dispute
#: onset of the ten years before adds; the range. Assumptions, chosen so that a rivalry with no
#: recent dispute sits at 0.3-0.5 and one disputed every year reaches the ceiling (plausible
#: ranges: base 0.2-0.4, per onset 0.02-0.08).
RIVALRY_BASE, PER_DISPUTE, HOSTILITY_RANGE = 0.3, 0.04, (0.3, 0.9)


def rivalry_hostility(kinds: list[str], disputes: int) -> tuple[float, str]:
    """A rivalry's baseline hostility from its kinds and its militarized disputes (an assumption
    on data: TSS records that a rivalry exists, not its intensity), and the reason in words."""
    value = RIVALRY_BASE + sum(RIVALRY_WEIGHTS[k] for k in kinds) + PER_DISPUTE * disputes
    value = min(max(value, HOSTILITY_RANGE[0]), HOSTILITY_RANGE[1])
    kinds_text = "/".join(kinds) if kinds else "no kind recorded"
    return round(value, 2), f"from data: a {kinds_text} rivalry with {disputes} MID onsets in the 10 years before"


def _recent_onsets(year: int) -> dict[tuple[int, int], int]:
    """MID 5.0 dyadic onsets per pair in the ten years before ``year`` (the record ends in 2014)."""
    from alliancelab.data.mids import mid_dyad_years

    first, last = year - 10, min(year - 1, 2014)
    if last < max(first, 1816):
        return {}
    mids = mid_dyad_years(max(first, 1816), last)
    counts = mids.groupby(["ccode1", "ccode2"], as_index=False)["onset"].sum()
    rows = zip(counts["ccode1"], counts["ccode2"], counts["onset"], strict=True)
    return {(int(a), int(b)): int(n) for a, b, n in rows}


def _capitals(year: int) -> dict[int, tuple[float, float]]:
    """Capital coordinates (rounded to 0.1 degree) of every state in ``year``, from the data."""
    from alliancelab.data.geography import load_capitals

    caps = load_capitals()
    now = caps[(caps["styear"] <= year) & (caps["endyear"] >= year)].drop_duplicates("ccode", keep="last")
    return {
        int(c): (round(float(la), 1), round(float(lo), 1))
        for c, la, lo in zip(now["ccode"], now["lat"], now["lng"], strict=True)
    }


def _values(codes: pd.Series, values: pd.Series) -> dict[int, float]:
    """COW code -> value as a plain float, leaving out missing values."""
    return {int(c): float(v) for c, v in zip(codes, values, strict=True) if pd.notna(v)}


#: How many years from the scenario's year SIPRI's nearest figures may lie on either side for a
#: gap in its series to be bridged (Vietnam's has none for 1995-2002). An assumption: over a
#: longer gap a linear share says little (plausible range 5-15 years).
SIPRI_BRIDGE = 10


def _sipri_bridged(
    rows: pd.DataFrame, year: int, real_gdp: dict[tuple[int, int], float], c: int
) -> tuple[float, float, str] | None:
    """(milex, GDP, source) for a year inside a gap in a state's SIPRI series.

    The share of GDP is interpolated linearly between SIPRI's last year before and first year
    after (each within :data:`SIPRI_BRIDGE` years); the GDP is SIPRI's (milex / share) in the
    nearer of the two, carried to ``year`` by Maddison's real growth. Both stay in SIPRI's
    current US$, the unit of every other state's figures. None where the series has not begun
    or has ended (a year before a state's first figure is no gap: the Soviet Union's spending
    is not Russia's).
    """
    rows = rows[(rows["year"] - year).abs() <= SIPRI_BRIDGE]
    before, after = rows[rows["year"] < year], rows[rows["year"] > year]
    if before.empty or after.empty:
        return None
    ends = (before.iloc[-1], after.iloc[0])
    near = min(ends, key=lambda r: (abs(int(r["year"]) - year), int(r["year"])))
    ny = int(near["year"])
    if (c, ny) not in real_gdp or (c, year) not in real_gdp:
        return None
    (y0, s0), (y1, s1) = ((int(r["year"]), float(r["milex_share_of_gdp"])) for r in ends)
    share = s0 + (s1 - s0) * (year - y0) / (y1 - y0)
    gdp = float(near["milex_current_usd_m"]) * 1e6 / float(near["milex_share_of_gdp"])
    gdp *= real_gdp[(c, year)] / real_gdp[(c, ny)]
    return (
        share * gdp,
        gdp,
        f"SIPRI share interpolated {y0}-{y1}; SIPRI {ny} GDP carried by Maddison real growth REVIEW",
    )


def _price_ratio(
    codes: list[int],
    milex: dict[int, float],
    share: dict[int, float],
    real_gdp: dict[tuple[int, int], float],
    year: int,
) -> float | None:
    """The median ratio of SIPRI's GDP (current US$) to Maddison's (2011 int. $) among ``codes``
    in ``year``: what puts a Maddison GDP in the unit of the SIPRI ones beside it."""
    ratios = [
        milex[c] * 1e6 / share[c] / real_gdp[(c, year)]
        for c in codes
        if c in milex and share.get(c, 0) > 0 and (c, year) in real_gdp
    ]
    return float(pd.Series(ratios).median()) if ratios else None


def scenario_from_data(
    year: int,
    region: str | None = "asia-pacific",
    states: Iterable[int] | None = None,
    name: str | None = None,
    facts: Callable[[list[int], int], Any] | None = None,
) -> str:
    """The TOML text of a scenario for ``year`` built from SIPRI, COW, V-Dem, Maddison and TSS data."""
    return scenario_document(year, region, states, name, facts).text


def scenario_document(
    year: int,
    region: str | None = "asia-pacific",
    states: Iterable[int] | None = None,
    name: str | None = None,
    facts: Callable[[list[int], int], Any] | None = None,
) -> DataScenario:
    """The scenario for ``year`` built from the data: its document (``.doc``) and TOML (``.text``).

    ``facts(codes, year)`` (e.g. :func:`alliancelab.models.order.estimated.scenario_facts`) measures what
    the estimated equations read: each actor's ``openness`` and ``volatility`` and a ``dyad`` entry per pair.
    """
    from alliancelab.data import (
        load_alliances,
        load_democracy,
        load_majors,
        load_nmc,
        load_rivalries,
        load_sipri,
    )
    from alliancelab.data.dyads import maddison_by_cow, state_years

    members = state_years(year, year, states=states, region=None if states is not None else region)
    codes = [int(c) for c in members["ccode"]]
    if len(codes) < 2:
        raise ScenarioError("from-data", [Problem("states", f"fewer than two COW system members in {year}")])
    abb_of, name_of = state_names("stateabb"), state_names()
    sipri_all = load_sipri().dropna(subset=["ccode"])
    sipri = sipri_all[sipri_all["year"] == year].drop_duplicates("ccode")
    sipri_all = sipri_all.dropna(subset=["milex_current_usd_m", "milex_share_of_gdp"])
    sipri_all = sipri_all[(sipri_all["milex_share_of_gdp"] > 0) & (sipri_all["milex_current_usd_m"] > 0)]
    sipri_all = sipri_all.drop_duplicates(["ccode", "year"]).sort_values("year")
    never_in_sipri = set(codes) - {int(c) for c in sipri_all["ccode"]}
    sipri_milex = _values(sipri["ccode"], sipri["milex_current_usd_m"])
    sipri_share = _values(sipri["ccode"], sipri["milex_share_of_gdp"])
    nmc = load_nmc(6 if year <= 2016 else 7)
    nmc = nmc[nmc["year"] == year]
    nmc_milex = _values(nmc["ccode"], nmc["milex"])
    mad = maddison_by_cow()
    gdp_of = {
        (int(c), int(y)): float(g) for c, y, g in zip(mad["ccode"], mad["year"], mad["gdp"], strict=True) if g > 0
    }
    dem = load_democracy()
    dem = dem[dem["year"] == year]
    polyarchy = _values(dem["ccode"], dem["v2x_polyarchy"])
    majors = load_majors()
    major = {int(c) for c, lo, hi in majors[["ccode", "styear", "endyear"]].to_numpy(int) if lo <= year <= hi}

    ratio = _price_ratio(codes, sipri_milex, sipri_share, gdp_of, year)
    fx = facts(codes, year) if facts is not None else None
    capitals = _capitals(year)
    iso3 = iso3_by_cow()  # ids: ISO 3166 alpha-3, as the presets; COW's letters where ISO has none
    ids: dict[int, str] = {}
    place = region or "states"
    default_name = f"{place}-{year}-from-data"
    out = DataScenario(
        [
            f"# Scenario built from data for {year} by `alliancelab scenario from-data`.",
            "# Sources: SIPRI Military Expenditure Database 2024 (milex, current US$; GDP = milex / share of GDP);",
            "# across a gap in SIPRI's series its nearest years; else COW NMC milex over Maddison 2020 GDP (put in",
            "# current US$ by the states' median SIPRI/Maddison ratio where SIPRI never covers the state);",
            "# Maddison 2020 growth;",
            "# V-Dem v10 polyarchy; COW majors 2016; COW Formal Alliances v4.1; TSS strategic rivalries (2021),",
            "# their hostility from MID 5.0 onsets; with the estimated equations' facts, COW national trade 4.0",
            "# (openness), COW Direct Contiguity 3.2, COW IGO 3.0, MID 5.0 (peace-years) and SIPRI's shares of",
            "# GDP before the year (volatility).",
            "# Lines marked REVIEW are defaults the data cannot give: check them before drawing conclusions.",
            "",
        ]
    )
    out.table("scenario")
    out.field("name", name or default_name)
    out.field("title", place + " " + str(year) + ", built from data")
    out.field("start", year)
    out.blank()
    skipped: list[str] = []
    for c in codes:
        abb = abb_of.get(c, str(c))
        label = name_of.get(c, str(c))
        if c not in CAPITALS and c not in capitals:
            skipped.append(f"{label} ({c}): no capital coordinates")
            continue
        milex = gdp = 0.0
        src = []
        if c in sipri_milex and c in sipri_share and sipri_share[c] > 0:
            milex = sipri_milex[c] * 1e6
            gdp = milex / sipri_share[c]
            src.append(f"SIPRI {year} milex and share of GDP")
        elif (bridged := _sipri_bridged(sipri_all[sipri_all["ccode"] == c], year, gdp_of, c)) is not None:
            milex, gdp, how = bridged
            src.append(how)
        elif c in nmc_milex and (c, year) in gdp_of:
            milex = nmc_milex[c] * 1e3
            if c in never_in_sipri and ratio is not None:
                gdp = gdp_of[(c, year)] * ratio
                src.append(
                    f"COW NMC {year} milex; Maddison {year} GDP x {ratio:.3g} (the median SIPRI/Maddison GDP "
                    "ratio of the scenario's states) REVIEW"
                )
            else:
                gdp = gdp_of[(c, year)]
                src.append(f"COW NMC {year} milex; Maddison {year} GDP (2011 int. $) REVIEW")
        if milex <= 0 or gdp <= 0:
            skipped.append(f"{label} ({c}): no military expenditure or GDP for {year}")
            continue
        past = [gdp_of.get((c, y)) for y in range(year - 5, year + 1)]
        growth = 0.03
        first, last = past[0], past[-1]
        if first is not None and last is not None and all(v is not None for v in past):
            growth = min(max((last / first) ** (1 / 5) - 1, -0.1), 0.15)
            src.append(f"growth: Maddison {year - 5}-{year} mean")
        doubt = implausible_share(
            label,
            milex / gdp,
            year,
            sipri_all.loc[sipri_all["ccode"] == c, "milex_share_of_gdp"],
            sipri_all[sipri_all["ccode"].isin(codes)],
            (src[0] if src else "the data").removesuffix(" REVIEW"),
        )
        if doubt is not None:
            out.warnings.append(doubt)
            out.lines.append(f"# PLAUSIBILITY: {doubt}")
        demo = polyarchy.get(c, 0.5)
        aid = iso3.get(c, abb).lower()
        ids[c] = aid
        lat, lon = CAPITALS[c] if c in CAPITALS else capitals[c]
        out.item("actor")
        out.field("id", aid)
        out.field("name", label)
        out.field("ccode", c)
        out.field("milex", milex, f"{milex:.6g}")
        out.field("gdp", gdp, f"{gdp:.6g}")
        out.field("growth", growth, f"{growth:.4f}")
        _share_bounds(out, milex / gdp)
        out.field("democracy", demo, f"{demo:.3f}", None if c in polyarchy else "REVIEW: no V-Dem value")
        if fx is not None and c in fx.openness:
            out.field("openness", round(fx.openness[c], 4), note="COW trade / GDP")
        if fx is not None and c in fx.volatility:
            sd, how = fx.volatility[c]
            out.field("volatility", round(sd, 4), note=how)
        out.field(
            "nuclear", NUCLEAR_SINCE.get(c, 9999) <= year, "true" if NUCLEAR_SINCE.get(c, 9999) <= year else "false"
        )
        out.field("major_power", c in major, "true" if c in major else "false")
        out.field("lat", lat)
        out.field("lon", lon)
        projection = 0.9 if c == 2 else (0.3 if c in major else 0.0)
        out.field("projection", projection, note="REVIEW: default by major-power status")
        out.field("engagement", 0.9 if c == 2 else 1.0, note="REVIEW")
        out.field("source", "; ".join(src))
        out.blank()
    mem = load_alliances("member")
    end = mem["mem_end_year"].fillna(9999)
    active = mem[(mem["mem_st_year"] <= year) & (end >= year) & mem["ccode"].isin(list(ids))]
    for alliance_no in sorted(set(active["version4id"].to_numpy(int).tolist())):
        g = active[active["version4id"] == alliance_no]
        members_ = [ids[int(c)] for c in g["ccode"]]
        if len(members_) < 2:
            continue
        kind = next((k for col, k in _KINDS if bool((g[col] == 1).any())), "entente")
        spenders = sorted((sipri_milex.get(int(c), 0.0), ids[int(c)]) for c in g["ccode"])
        patron = spenders[-1][1] if kind == "defense" and spenders[-1][0] > 3 * max(spenders[-2][0], 1e-9) else None
        out.item("alliance")
        out.field("id", "cow-" + str(alliance_no))
        out.field("members", sorted(set(members_)))
        out.field("kind", kind)
        if patron:
            out.field("patron", patron, note="REVIEW: the member spending over 3x any other")
        out.field("since", int(g["mem_st_year"].to_numpy(int).min()))
        out.field("cow_id", alliance_no)
        out.field("support", 0.6, note="REVIEW")
        out.field("source", "COW-A " + str(alliance_no))
        out.blank()
    riv = load_rivalries()
    riv = riv[
        (riv["start"] <= year) & (riv["end"] >= year) & riv["ccode1"].isin(list(ids)) & riv["ccode2"].isin(list(ids))
    ]
    onsets = _recent_onsets(year)
    for r in riv.to_dict("records"):
        c1, c2 = int(r["ccode1"]), int(r["ccode2"])
        kinds = [k for k in RIVALRY_WEIGHTS if not pd.isna(r[k]) and int(r[k]) == 1]
        disputes = onsets.get((min(c1, c2), max(c1, c2)), 0)
        value, why = rivalry_hostility(kinds, disputes)
        out.item("rivalry")
        out.field("pair", [ids[c1], ids[c2]])
        out.field("hostility", value, f"{value:.2f}", f"REVIEW: {why}")
        out.field("since", int(r["start"]))
        out.field("source", "TSS #" + str(int(r["tssr_id"])) + " " + str(r["rivalry"]))
        out.blank()
    if fx is not None:
        out.lines += [
            f"# Facts of each pair for the estimated crisis hazard, as of {fx.year}: contiguity from COW Direct",
            "# Contiguity 3.2 (types 1-3; by sea: types 4-5); shared IGOs from COW IGO 3.0 (full members);",
            "# peace-years since the pair's last MID 5.0 dispute year (Beck, Katz & Tucker 1998).",
        ]
        for note in fx.notes:
            out.lines.append(f"# REVIEW: {note}")
        for (c1, c2), peace in sorted(fx.peace_years.items()):
            if c1 not in ids or c2 not in ids:
                continue
            out.item("dyad")
            out.field("pair", [ids[c1], ids[c2]])
            if fx.contiguous.get((c1, c2)):
                out.field("contiguous", True)
            if fx.sea_contiguous.get((c1, c2)):
                out.field("sea_contiguous", True)
            if (c1, c2) in fx.igos:
                out.field("igos", fx.igos[(c1, c2)])
            out.field("peace_years", peace)
        out.blank()
    if skipped:
        out.lines.insert(out.lines.index(""), "# Left out: " + "; ".join(skipped))
    if len(ids) < 2:
        raise ScenarioError("from-data", [Problem("actors", "fewer than two states with data: " + "; ".join(skipped))])
    return out
