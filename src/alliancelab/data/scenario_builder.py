"""Build a scenario from the real datasets for a year: actors, spending, alliances and rivalries.

Numbers the data give are written with their source; parts the data cannot give (hostility,
engagement, projection, domestic support) get documented defaults marked ``REVIEW`` in the file
for the user to judge. The result loads and runs like any preset.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterable
from typing import Any, Literal

import numpy as np
import pandas as pd

from alliancelab.data.codes import state_names
from alliancelab.data.sources import iso3_by_cow
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
    the sources and the ``REVIEW`` notes, the document (``doc``) the same values as parsed.

    Every field noted ``REVIEW`` is listed in ``[scenario] review`` (by ``id.field``), and every
    fact carried past its source's end in a ``[[carried]]`` entry (:meth:`carry`), so a run can
    say both where a reader sees the result.
    """

    def __init__(self, header: list[str]) -> None:
        self.doc: dict[str, Any] = {}
        self.lines = list(header)
        self._table: dict[str, Any] = {}
        #: levels outside the record's range (:func:`implausible_share`) and states left out,
        #: said where a reader sees them
        self.warnings: list[str] = []
        self.review: list[str] = []
        self._carried: dict[tuple[str, int, str], list[str]] = {}

    def table(self, name: str) -> None:
        self._table = self.doc.setdefault(name, {})
        self.lines.append(f"[{name}]")

    def item(self, name: str) -> None:
        """A new entry of an array of tables (``[[name]]``)."""
        self._table = {}
        self.doc.setdefault(name, []).append(self._table)
        self.lines.append(f"[[{name}]]")

    def label(self) -> str:
        """The current entry's name in ``review`` and ``carried`` lists: its id, or its pair."""
        if "id" in self._table:
            return str(self._table["id"])
        return "-".join(map(str, self._table.get("pair", ["scenario"])))

    def field(self, key: str, value: object, text: str | None = None, note: str | None = None) -> None:
        """``key = text`` (default: the value as TOML), with a trailing note; the document holds
        the value exactly as the text parses. A note beginning ``REVIEW`` lists the field for review."""
        if text is None:
            text = _q(value) if isinstance(value, (str, list, bool)) else str(value)
        self._table[key] = tomllib.loads(f"v = {text}")["v"]
        if note is not None and note.startswith("REVIEW"):
            self.flag(key)
        self.lines.append(f"{key} = {text}" + (f"   # {note}" if note else ""))

    def flag(self, key: str) -> None:
        """List the current entry's ``key`` in ``[scenario] review``."""
        where = f"{self.label()}.{key}"
        if where not in self.review:
            self.review.append(where)

    def carry(self, source: str, year: int, fact: str, note: str = "") -> None:
        """Record that ``fact`` (e.g. ``usa.democracy``) is ``source``'s value of ``year``, carried
        forward to the scenario's start."""
        self._carried.setdefault((source, year, note), []).append(fact)

    def blank(self) -> None:
        self.lines.append("")

    def finish(self, start: int) -> None:
        """Write the ``review`` list into ``[scenario]`` and the ``[[carried]]`` entries at the end."""
        if self.review:
            at = self.lines.index(f"start = {start}") + 1
            body = "".join(f"\n  {_q(r)}," for r in self.review)
            self.lines.insert(
                at,
                f"review = [{body}\n]   # defaults the data cannot give: take an entry out once checked",
            )
            self.doc["scenario"]["review"] = list(self.review)
        if not self._carried:
            return
        self.lines += [
            "# Facts past their source's last year: each value is the source's last observation, carried",
            "# forward to the start (`alliancelab data coverage` lists where each source ends).",
        ]
        for (source, year, note), facts in sorted(self._carried.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            self.item("carried")
            self.field("source", source)
            self.field("year", year, note=f"carried {start - year} years")
            self.field("facts", facts)
            if note:
                self.field("note", note)
            self.blank()

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


def _last_of(frame: pd.DataFrame, value: str, year: int) -> dict[int, tuple[float, int]]:
    """Each state's ``value`` in ``year``, or, where its series has ended before ``year``, its
    last observation and that observation's year (carried forward). A state whose series has
    values after ``year`` but none in it has a gap, not an end: it is left out."""
    rows = frame.dropna(subset=[value])
    rows = rows[rows["year"] <= year].sort_values("year")
    last_seen = frame.dropna(subset=[value]).groupby("ccode")["year"].max()
    out: dict[int, tuple[float, int]] = {}
    for c, g in rows.groupby("ccode"):
        code = int(str(c))
        y, v = int(g["year"].to_numpy()[-1]), float(g[value].to_numpy()[-1])
        if y == year or int(last_seen.loc[code]) < year:
            out[code] = (v, y)
    return out


#: Sources as the scenario's ``[[carried]]`` entries name them.
_SIPRI, _NMC, _MADDISON = "SIPRI Military Expenditure Database 2024", "COW NMC", "Maddison Project Database 2020"
_VDEM, _MAJORS, _TSS = "V-Dem v10 (v2x_polyarchy)", "COW major powers (majors2016)", "TSS strategic rivalries (2021)"
_ATOP, _SYSTEM = "ATOP 5.1", "COW State System (2016)"


class _Economy:
    """Each state's spending and GDP in the scenario's year, from the first source that has
    them: SIPRI that year; across a gap in SIPRI's series its nearest years; SIPRI's last year
    where the state's series has ended; else COW NMC's milex over Maddison's GDP."""

    def __init__(self, codes: list[int], year: int) -> None:
        from alliancelab.data import load_nmc, load_sipri
        from alliancelab.data.dyads import maddison_by_cow

        self.year = year
        sipri_all = load_sipri().dropna(subset=["ccode"])
        sipri = sipri_all[sipri_all["year"] == year].drop_duplicates("ccode")
        sipri_all = sipri_all.dropna(subset=["milex_current_usd_m", "milex_share_of_gdp"])
        sipri_all = sipri_all[(sipri_all["milex_share_of_gdp"] > 0) & (sipri_all["milex_current_usd_m"] > 0)]
        self.sipri_all = sipri_all.drop_duplicates(["ccode", "year"]).sort_values("year")
        self.never_in_sipri = set(codes) - {int(c) for c in self.sipri_all["ccode"]}
        self.milex = _values(sipri["ccode"], sipri["milex_current_usd_m"])
        self.share = _values(sipri["ccode"], sipri["milex_share_of_gdp"])
        self.nmc_version: Literal[6, 7] = 6 if year <= 2016 else 7
        nmc = load_nmc(self.nmc_version)
        self.nmc = _last_of(nmc[nmc["ccode"].isin(codes)], "milex", year)
        mad = maddison_by_cow()
        self.gdp_of = {
            (int(c), int(y)): float(g) for c, y, g in zip(mad["ccode"], mad["year"], mad["gdp"], strict=True) if g > 0
        }
        ends = mad.dropna(subset=["gdp"]).groupby("ccode")["year"].max()
        self.mad_last = {int(c): int(y) for c, y in zip(ends.index, ends.to_numpy(), strict=True)}
        self.codes = codes
        #: states whose figures :meth:`of` took from SIPRI's last year (their series ended) or from NMC
        self.ended: set[int] = set()
        self.from_nmc: set[int] = set()

    def gdp_year(self, c: int) -> int:
        """The year of the state's Maddison GDP used for ``year``: the year itself, or the last
        one where Maddison's series ends earlier."""
        return min(self.year, self.mad_last.get(c, self.year))

    def ratio(self, year: int) -> float | None:
        """The median SIPRI/Maddison GDP ratio of the scenario's states in ``year``."""
        rows = self.sipri_all[self.sipri_all["year"] == year]
        milex, share = (
            _values(rows["ccode"], rows["milex_current_usd_m"]),
            _values(rows["ccode"], rows["milex_share_of_gdp"]),
        )
        return _price_ratio(self.codes, milex, share, self.gdp_of, year)

    def of(self, c: int) -> tuple[float, float, list[str]]:
        """(milex, GDP, sources) for state ``c``; (0, 0, []) where no source has them
        (:meth:`carried` records which of them are carried)."""
        year = self.year
        own = self.sipri_all[self.sipri_all["ccode"] == c]
        if c in self.milex and self.share.get(c, 0) > 0:
            milex = self.milex[c] * 1e6
            return milex, milex / self.share[c], [f"SIPRI {year} milex and share of GDP"]
        if (bridged := _sipri_bridged(own, year, self.gdp_of, c)) is not None:
            milex, gdp, how = bridged
            return milex, gdp, [how]
        if len(own) and int(own["year"].iloc[-1]) < year:  # SIPRI's series for the state has ended
            last = own.iloc[-1]
            ly = int(last["year"])
            milex = float(last["milex_current_usd_m"]) * 1e6
            self.ended.add(c)
            return milex, milex / float(last["milex_share_of_gdp"]), [f"SIPRI {ly} milex and share of GDP (carried)"]
        if c in self.nmc and (c, gy := self.gdp_year(c)) in self.gdp_of:
            self.from_nmc.add(c)
            value, ny = self.nmc[c]
            milex = value * 1e3
            ratio = self.ratio(gy) if c in self.never_in_sipri else None
            if ratio is not None:
                how = (
                    f"COW NMC {ny} milex; Maddison {gy} GDP x {ratio:.3g} (the median SIPRI/Maddison GDP "
                    "ratio of the scenario's states) REVIEW"
                )
                return milex, self.gdp_of[(c, gy)] * ratio, [how]
            return milex, self.gdp_of[(c, gy)], [f"COW NMC {ny} milex; Maddison {gy} GDP (2011 int. $) REVIEW"]
        return 0.0, 0.0, []

    def carried(self, c: int, aid: str, out: DataScenario) -> None:
        """Record on ``out`` which of state ``c``'s economic facts (as :meth:`of` found them) are
        carried, and from when."""
        year = self.year
        if c in self.ended:  # SIPRI's series for the state has ended
            last = int(self.sipri_all.loc[self.sipri_all["ccode"] == c, "year"].iloc[-1])
            for fact in ("milex", "gdp"):
                out.carry(_SIPRI, last, f"{aid}.{fact}", "the state's SIPRI series ends here")
        elif c in self.from_nmc:
            value_year = self.nmc[c][1]
            if value_year < year:
                out.carry(f"{_NMC} v{self.nmc_version}", value_year, f"{aid}.milex", "no SIPRI series for the state")
            if self.gdp_year(c) < year:
                out.carry(_MADDISON, self.gdp_year(c), f"{aid}.gdp")
        if self.gdp_year(c) < year:
            out.carry(_MADDISON, self.gdp_year(c), f"{aid}.growth", "the five years to this year")

    def growth(self, c: int) -> tuple[float, str | None]:
        """Mean real growth over the five years to ``year`` (or to Maddison's last year), and its source."""
        last = self.gdp_year(c)
        past = [self.gdp_of.get((c, y)) for y in range(last - 5, last + 1)]
        first, final = past[0], past[-1]
        if first is None or final is None or any(v is None for v in past):
            return 0.03, None
        return min(max((final / first) ** (1 / 5) - 1, -0.1), 0.15), f"growth: Maddison {last - 5}-{last} mean"


def _democracy(year: int) -> dict[int, tuple[float, int]]:
    from alliancelab.data import load_democracy

    return _last_of(load_democracy(), "v2x_polyarchy", year)


def _major_powers(year: int) -> tuple[set[int], int]:
    """COW's major powers in ``year`` and the year their status is read in: past the list's
    end (2016) the last year's."""
    from alliancelab.data import load_majors

    spells = load_majors()[["ccode", "styear", "endyear"]].to_numpy(int)
    last = int(spells[:, 2].max())
    when = min(year, last)
    return {int(c) for c, lo, hi in spells if lo <= when <= hi}, when


def scenario_document(
    year: int,
    region: str | None = "asia-pacific",
    states: Iterable[int] | None = None,
    name: str | None = None,
    facts: Callable[[list[int], int], Any] | None = None,
) -> DataScenario:
    """The scenario for ``year`` built from the data: its document (``.doc``) and TOML (``.text``).

    A fact whose source ends before ``year`` is its last observation, carried forward and listed
    in the scenario's ``[[carried]]`` entries with the year it comes from; alliances after COW's
    last year (2012) come from ATOP. ``facts(codes, year)`` (e.g.
    :func:`alliancelab.models.order.estimated.scenario_facts`) measures what the estimated
    equations read: each actor's ``openness`` and ``volatility`` and a ``dyad`` entry per pair.
    """
    from alliancelab.data.cow import load_system
    from alliancelab.data.dyads import state_years

    members = state_years(year, year, states=states, region=None if states is not None else region)
    codes = [int(c) for c in members["ccode"]]
    if len(codes) < 2:
        raise ScenarioError("from-data", [Problem("states", f"fewer than two COW system members in {year}")])
    place = region or "states"
    out = DataScenario(_header(year))
    out.table("scenario")
    out.field("name", name or f"{place}-{year}-from-data")
    out.field("title", place + " " + str(year) + ", built from data")
    out.field("start", year)
    out.blank()
    fx = facts(codes, year) if facts is not None else None
    ids, skipped, milex = _actors(out, codes, year, fx)
    system_last = int(load_system()["year"].max())
    if year > system_last:
        out.carry(_SYSTEM, system_last, "the scenario's states", "system membership")
    _alliances(out, ids, milex, year)
    _rivalries(out, ids, year)
    if fx is not None:
        _dyads(out, ids, fx, year)
    if skipped:
        out.lines.insert(out.lines.index(""), "# Left out: " + "; ".join(skipped))
        out.warnings += [f"left out {s}" for s in skipped]
    if len(ids) < 2:
        raise ScenarioError("from-data", [Problem("actors", "fewer than two states with data: " + "; ".join(skipped))])
    out.finish(year)
    return out


def _header(year: int) -> list[str]:
    return [
        f"# Scenario built from data for {year} by `alliancelab scenario from-data`.",
        "# Sources: SIPRI Military Expenditure Database 2024 (milex, current US$; GDP = milex / share of GDP);",
        "# across a gap in SIPRI's series its nearest years; else COW NMC milex over Maddison 2020 GDP (put in",
        "# current US$ by the states' median SIPRI/Maddison ratio where SIPRI never covers the state);",
        "# Maddison 2020 growth;",
        "# V-Dem v10 polyarchy; COW majors 2016; COW Formal Alliances v4.1 (to 2012), ATOP 5.1 after;",
        "# TSS strategic rivalries (2021), their hostility from MID 5.0 onsets; with the estimated equations'",
        "# facts, COW national trade 4.0 (openness), COW Direct Contiguity 3.2, COW IGO 3.0, MID 5.0",
        "# (peace-years) and SIPRI's shares of GDP before the year (volatility).",
        "# Facts past their source's end are its last observation, carried: the [[carried]] entries at the",
        "# end say which and from when.",
        "# Lines marked REVIEW are defaults the data cannot give, listed in [scenario] review: check each",
        "# and take it out of the list; `alliancelab run --reviewed` refuses a scenario that lists any.",
        "",
    ]


def _actors(
    out: DataScenario, codes: list[int], year: int, fx: Any
) -> tuple[dict[int, str], list[str], dict[int, float]]:
    """The ``[[actor]]`` entries; returns COW code → id, the states left out and why, and each
    actor's military expenditure."""
    abb_of, name_of = state_names("stateabb"), state_names()
    econ = _Economy(codes, year)
    polyarchy = _democracy(year)
    major, major_year = _major_powers(year)
    capitals = _capitals(year)
    iso3 = iso3_by_cow()  # ids: ISO 3166 alpha-3, as the presets; COW's letters where ISO has none
    ids: dict[int, str] = {}
    spent: dict[int, float] = {}
    skipped: list[str] = []
    for c in codes:
        abb = abb_of.get(c, str(c))
        label = name_of.get(c, str(c))
        if c not in CAPITALS and c not in capitals:
            skipped.append(f"{label} ({c}): no capital coordinates")
            continue
        milex, gdp, src = econ.of(c)
        if milex <= 0 or gdp <= 0:
            skipped.append(f"{label} ({c}): no military expenditure or GDP in any source up to {year}")
            continue
        growth, how = econ.growth(c)
        if how is not None:
            src.append(how)
        doubt = implausible_share(
            label,
            milex / gdp,
            year,
            econ.sipri_all.loc[econ.sipri_all["ccode"] == c, "milex_share_of_gdp"],
            econ.sipri_all[econ.sipri_all["ccode"].isin(codes)],
            (src[0] if src else "the data").removesuffix(" REVIEW"),
        )
        if doubt is not None:
            out.warnings.append(doubt)
            out.lines.append(f"# PLAUSIBILITY: {doubt}")
        aid = iso3.get(c, abb).lower()
        ids[c], spent[c] = aid, milex
        lat, lon = CAPITALS[c] if c in CAPITALS else capitals[c]
        out.item("actor")
        out.field("id", aid)
        out.field("name", label)
        out.field("ccode", c)
        out.field("milex", milex, f"{milex:.6g}", "REVIEW: derived, see source" if src[0].endswith("REVIEW") else None)
        out.field("gdp", gdp, f"{gdp:.6g}")
        out.field("growth", growth, f"{growth:.4f}")
        _share_bounds(out, milex / gdp)
        econ.carried(c, aid, out)
        if c in polyarchy:
            demo, dem_year = polyarchy[c]
            out.field("democracy", demo, f"{demo:.3f}", None if dem_year == year else f"V-Dem {dem_year}, carried")
            if dem_year < year:
                out.carry(_VDEM, dem_year, f"{aid}.democracy")
        else:
            out.field("democracy", 0.5, "0.500", "REVIEW: no V-Dem value")
        if fx is not None and c in fx.openness:
            out.field("openness", round(fx.openness[c], 4), note="COW trade / GDP")
        if fx is not None and c in fx.volatility:
            sd, vol_how = fx.volatility[c]
            out.field("volatility", round(sd, 4), note=vol_how)
        nuclear = NUCLEAR_SINCE.get(c, 9999) <= year
        out.field("nuclear", nuclear, "true" if nuclear else "false")
        out.field(
            "major_power",
            c in major,
            "true" if c in major else "false",
            None if major_year == year else f"COW {major_year}, carried",
        )
        if major_year < year:
            out.carry(_MAJORS, major_year, f"{aid}.major_power")
        out.field("lat", lat)
        out.field("lon", lon)
        projection = 0.9 if c == 2 else (0.3 if c in major else 0.0)
        out.field("projection", projection, note="REVIEW: default by major-power status")
        out.field("engagement", 0.9 if c == 2 else 1.0, note="REVIEW")
        out.field("source", "; ".join(src))
        out.blank()
    return ids, skipped, spent


#: ATOP's obligations, strongest first, and the alliance kinds they map to.
_ATOP_KINDS = (
    ("defense", "defense"),
    ("offense", "offense"),
    ("neutral", "neutrality"),
    ("nonagg", "nonaggression"),
    ("consul", "consultation"),
)


def _alliance_entry(
    out: DataScenario, ident: str, members: list[str], kind: str, spenders: list[tuple[float, str]], since: int
) -> None:
    """An alliance's first fields; a defence pact's patron is the member spending over 3x any other."""
    spenders = sorted(spenders)
    patron = spenders[-1][1] if kind == "defense" and spenders[-1][0] > 3 * max(spenders[-2][0], 1e-9) else None
    out.item("alliance")
    out.field("id", ident)
    out.field("members", sorted(set(members)))
    out.field("kind", kind)
    if patron:
        out.field("patron", patron, note="REVIEW: the member spending over 3x any other")
    out.field("since", since)


def _alliances(out: DataScenario, ids: dict[int, str], milex: dict[int, float], year: int) -> None:
    """The ``[[alliance]]`` entries: COW's to its last year (2012), ATOP's after (its own last
    year's, carried, past 2018)."""
    from alliancelab.data import load_alliances, load_atop
    from alliancelab.data.coverage import in_force

    mem = load_alliances("member")
    cow_last = int(mem["mem_end_year"].max())
    if year <= cow_last:
        end = mem["mem_end_year"].fillna(9999)
        active = mem[(mem["mem_st_year"] <= year) & (end >= year) & mem["ccode"].isin(list(ids))]
        for alliance_no in sorted(set(active["version4id"].to_numpy(int).tolist())):
            g = active[active["version4id"] == alliance_no]
            if len(g) < 2:
                continue
            kind = next((k for col, k in _KINDS if bool((g[col] == 1).any())), "entente")
            spenders = [(milex.get(int(c), 0.0), ids[int(c)]) for c in g["ccode"]]
            _alliance_entry(
                out,
                f"cow-{alliance_no}",
                [ids[int(c)] for c in g["ccode"]],
                kind,
                spenders,
                int(g["mem_st_year"].min()),
            )
            out.field("cow_id", alliance_no)
            out.field("support", 0.6, note="REVIEW")
            out.field("source", "COW-A " + str(alliance_no))
            out.blank()
        return
    atop = load_atop("member")
    atop_last = int(max(atop["yrent"].max(), atop["yrexit"].max()))
    when = min(year, atop_last)
    active = atop[in_force(atop, "yrent", "yrexit", when) & atop["ccode"].isin(list(ids))]
    begun = load_atop("alliance").set_index("atopid")["begyr"]
    for atop_no in sorted(set(active["atopid"].to_numpy(int).tolist())):
        g = active[active["atopid"] == atop_no].drop_duplicates("ccode")
        if len(g) < 2:
            continue
        kind = next((k for col, k in _ATOP_KINDS if bool((g[col] == 1).any())), "entente")
        spenders = [(milex.get(int(c), 0.0), ids[int(c)]) for c in g["ccode"]]
        since = int(begun.get(atop_no, g["yrent"].min()))
        _alliance_entry(out, f"atop-{atop_no}", [ids[int(c)] for c in g["ccode"]], kind, spenders, since)
        out.field("atop_id", atop_no)
        out.field("support", 0.6, note="REVIEW")
        out.field("source", f"ATOP {atop_no}" + (f", in force in {when}" if when < year else ""))
        out.blank()
        if when < year:
            out.carry(_ATOP, when, f"atop-{atop_no}", "membership and obligations")


def _rivalries(out: DataScenario, ids: dict[int, str], year: int) -> None:
    """The ``[[rivalry]]`` entries: TSS rivalries ongoing in ``year`` (past the data's end, 2020,
    those ongoing then), their hostility from their kinds and recent disputes."""
    from alliancelab.data import load_rivalries

    riv = load_rivalries()
    last = int(riv["end"].max())
    ongoing = (riv["end"] >= year) | ((riv["end"] == last) & (year > last))
    riv = riv[(riv["start"] <= year) & ongoing & riv["ccode1"].isin(list(ids)) & riv["ccode2"].isin(list(ids))]
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
        if year > last:
            out.carry(_TSS, last, f"rivalry {ids[c1]}-{ids[c2]}", "ongoing at the data's end")


def _dyads(out: DataScenario, ids: dict[int, str], fx: Any, year: int) -> None:
    """The ``[[dyad]]`` entries the estimated crisis hazard reads."""
    out.lines += [
        f"# Facts of each pair for the estimated crisis hazard, as of {fx.year}: contiguity from COW Direct",
        "# Contiguity 3.2 (types 1-3; by sea: types 4-5); shared IGOs from COW IGO 3.0 (full members);",
        "# peace-years since the pair's last MID 5.0 dispute year (Beck, Katz & Tucker 1998).",
    ]
    for note in fx.notes:
        out.lines.append(f"# {note}")
    written = 0
    for (c1, c2), peace in sorted(fx.peace_years.items()):
        if c1 not in ids or c2 not in ids:
            continue
        written += 1
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
    measured = getattr(fx, "measured", None) or year
    if written and measured < year:
        out.carry("COW IGO 3.0", measured, "every dyad's igos")
        out.carry("MID 5.0", measured, "every dyad's peace_years", "counted on as if no dispute began after it")
        out.carry("COW national trade 4.0", measured - 1, "every actor's openness")
