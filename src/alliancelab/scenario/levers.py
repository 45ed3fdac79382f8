"""Policy levers: the names a ``[[shock]]`` may change, what they attach to and their range.

A lever is a scenario quantity that can take a new value from a given year on, e.g. U.S.
``engagement`` falling to 0.5 in 2010. Each lever attaches to one kind of target:

- ``actor``: the target is an actor id;
- ``alliance`` / ``institution``: the target is that entry's id;
- ``dyad``: the target is a pair of actor ids, ``["chn", "twn"]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TargetKind = Literal["actor", "alliance", "institution", "dyad"]

__all__ = ["LEVERS", "Lever", "TargetKind"]


@dataclass(frozen=True)
class Lever:
    """A lever: its target kind, valid range and meaning."""

    name: str
    target: TargetKind
    low: float
    high: float
    meaning: str


_LEVERS = [
    Lever("engagement", "actor", 0.0, 1.0, "a patron's engagement in the region (drives credibility)"),
    Lever("posture", "actor", -0.05, 0.10, "a shift of the target military-spending share (of GDP)"),
    Lever("effort", "actor", 0.0, 0.5, "military spending held at this share of GDP (0: the arms decision sets it)"),
    Lever("growth", "actor", -0.20, 0.30, "annual real GDP growth rate"),
    Lever(
        "realised_growth",
        "actor",
        -0.20,
        0.30,
        "annual real GDP growth as recorded: sets the growth rate, and the engine draws no growth uncertainty for it",
    ),
    Lever("tmd", "actor", 0.0, 1.0, "theater missile defence coverage of the actor's territory"),
    Lever("tmd_area", "actor", 0.0, 1.0, "1 = area-wide TMD (threatens deterrents), 0 = boost-phase"),
    Lever("peacekeeping", "actor", 0.0, 1.0, "role in UN / regional peacekeeping"),
    Lever("multilateral_role", "actor", 0.0, 1.0, "role exercised inside regional frameworks"),
    Lever("active", "alliance", 0.0, 1.0, "1 = the alliance is in force, 0 = it is not"),
    Lever("commitment", "alliance", 0.0, 1.0, "written commitment of the defender(s)"),
    Lever("presence", "alliance", 0.0, 1.0, "forward presence of the patron's forces"),
    Lever("rma_gap", "alliance", 0.0, 1.0, "RMA capability/interoperability gap patron-ally"),
    Lever("base_incidents", "alliance", 0.0, 1.0, "friction from base incidents (e.g. Okinawa)"),
    Lever("active", "institution", 0.0, 1.0, "1 = the institution exists, 0 = it does not"),
    Lever("teeth", "institution", 0.0, 1.0, "collective-defence commitment among members"),
    Lever("depth", "institution", 0.0, 1.0, "transparency / confidence building it provides"),
    Lever("hostility", "dyad", 0.0, 1.0, "baseline hostility from history and rivalry"),
    Lever("reconciliation", "dyad", 0.0, 1.0, "share of the baseline hostility reconciled away"),
    Lever("trade", "dyad", 0.0, 1.0, "weak-link trade dependence (trade / GDP)"),
]

LEVERS: dict[tuple[str, TargetKind], Lever] = {(lv.name, lv.target): lv for lv in _LEVERS}
