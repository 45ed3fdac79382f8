"""The dashboard's controls as scenario shocks: the book's levers, from a chosen year on.

Each lever applies only where the scenario has its target (an uploaded scenario may lack the
U.S., Japan, the ARF or the Koreas); :func:`apply_levers` returns the new scenario and the notes
saying which levers were left out and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alliancelab.scenario import Scenario, scenario_from_dict

__all__ = ["JAPAN_PATHS", "MAX_RUNS", "MAX_YEARS", "TMD_KINDS", "Levers", "apply_levers", "describe_levers"]

#: Japan's choices (Ikenberry & Inoguchi 2003), as in the presets of claims 2 and 3.
JAPAN_PATHS = ("as in the scenario", "U.K. model", "German model", "outside the alliance")
TMD_KINDS = ("as in the scenario", "none", "boost-phase", "area-wide")
#: The largest ensemble and horizon the dashboard runs (a browser session, not a batch job).
MAX_RUNS = 2000
MAX_YEARS = 50


@dataclass(frozen=True)
class Levers:
    """The dashboard's controls; None leaves the scenario as it is."""

    year: int
    us_engagement: float | None = None
    japan_path: str = JAPAN_PATHS[0]
    arf_teeth: float | None = None
    tmd: str = TMD_KINDS[0]
    korean_reconciliation: float | None = None
    china_growth: float | None = None


def describe_levers(levers: Levers) -> str:
    """The levers moved, in words, for a result's heading ("" where none was moved).

    >>> describe_levers(Levers(2005, us_engagement=0.4, japan_path="German model"))
    "U.S. engagement 0.40, Japan's path: German model, from 2005"
    >>> describe_levers(Levers(2005))
    ''
    """
    moved = []
    if levers.us_engagement is not None:
        moved.append(f"U.S. engagement {levers.us_engagement:.2f}")
    if levers.japan_path != JAPAN_PATHS[0]:
        moved.append(f"Japan's path: {levers.japan_path}")
    if levers.arf_teeth is not None:
        moved.append(f"ARF teeth {levers.arf_teeth:.1f}")
    if levers.tmd != TMD_KINDS[0]:
        moved.append(f"missile defence: {levers.tmd}")
    if levers.korean_reconciliation is not None:
        moved.append(f"Korean reconciliation {levers.korean_reconciliation:.1f}")
    if levers.china_growth is not None:
        moved.append(f"China's growth {100 * levers.china_growth:.1f} %")
    return f"{', '.join(moved)}, from {levers.year}" if moved else ""


def apply_levers(scenario: Scenario, levers: Levers) -> tuple[Scenario, list[str]]:
    """``scenario`` with the levers' shocks from ``levers.year`` on, and notes on what was left out."""
    doc: dict[str, Any] = scenario.model_dump(mode="json", exclude_none=True)
    actors = {a.id for a in scenario.actor}
    alliances = {a.id for a in scenario.alliance}
    institutions = {i.id for i in scenario.institution}
    shocks: list[dict[str, Any]] = []
    notes: list[str] = []
    y = levers.year

    def shock(lever: str, target: Any, value: float) -> None:
        shocks.append({"year": y, "lever": lever, "target": target, "value": value, "note": "dashboard"})

    def need(what: str, ok: bool) -> bool:
        if not ok:
            notes.append(f"{what}: left out (the scenario lacks its target)")
        return ok

    if levers.us_engagement is not None and need("U.S. engagement", "usa" in actors):
        shock("engagement", "usa", levers.us_engagement)
    if levers.japan_path != JAPAN_PATHS[0] and need("Japan's path", "jpn" in actors):
        share0 = next(a.milex / a.gdp for a in scenario.actor if a.id == "jpn")
        shock("effort", "jpn", round(share0 + 0.01, 4))  # the same effort on every path
        if levers.japan_path == "German model":
            shock("multilateral_role", "jpn", 1.0)
            shock("peacekeeping", "jpn", 0.6)
        elif levers.japan_path == "outside the alliance" and need(
            "Japan outside the alliance", "us-japan" in alliances
        ):
            shock("active", "us-japan", 0.0)
    if levers.arf_teeth is not None and need("ARF teeth", "arf" in institutions):
        shock("teeth", "arf", levers.arf_teeth)
    if levers.tmd != TMD_KINDS[0] and need("TMD", "jpn" in actors):
        shock("tmd", "jpn", 0.0 if levers.tmd == "none" else 0.7)
        shock("tmd_area", "jpn", 1.0 if levers.tmd == "area-wide" else 0.0)
    if levers.korean_reconciliation is not None and need("Korean reconciliation", {"prk", "kor"} <= actors):
        shock("reconciliation", ["prk", "kor"], levers.korean_reconciliation)
    if levers.china_growth is not None and need("China's growth", "chn" in actors):
        shock("growth", "chn", levers.china_growth)
    # a lever set here replaces the scenario's own shock on the same lever, target and year
    moved = {(x["year"], x["lever"], repr(x["target"])) for x in shocks}
    kept = [x for x in doc.get("shock", []) if (x.get("year"), x.get("lever"), repr(x.get("target"))) not in moved]
    doc["shock"] = kept + shocks
    return scenario_from_dict(doc, source=scenario.name), notes
