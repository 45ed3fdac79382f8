"""Today's order as a scenario: the data for the year (``scenario_document``, every fact carried
with its vintage), the facts since the datasets end (:mod:`alliancelab.data.recent`), and for
what the data cannot give, the book's preset's assumptions, each entry saying which.

``alliancelab scenario today --year 2023`` writes it; the built-in ``asia-pacific-2023`` preset
is its output for 2023 (a test holds the two together).
"""

from __future__ import annotations

import math
from typing import Any

import tomli_w

from alliancelab.scenario.model import Scenario

__all__ = ["ATOP_NAMES", "today_document", "today_text"]

#: ATOP alliances of the region under the 2001 preset's ids (the same treaties).
ATOP_NAMES: dict[int, str] = {
    3375: "us-japan",
    3240: "us-rok",
    3215: "anzus",
    3210: "us-philippines",
    3260: "us-thailand",
    3445: "china-dprk",
    4980: "russia-china",
    4940: "russia-dprk",
}


def _presence(base: float, troops_then: float, troops_now: float) -> float:
    """The 2001 preset's forward presence (an assumption) scaled by the change in log U.S.
    personnel in the host (troopdata): log(1 + now) / log(1 + then), within [0, 1]."""
    if troops_then <= 0:
        return 0.0 if troops_now <= 0 else min(1.0, base)
    return max(0.0, min(1.0, base * math.log1p(troops_now) / math.log1p(troops_then)))


def today_document(year: int = 2023, horizon: int = 2040) -> dict[str, Any]:
    """The scenario document of the Asia-Pacific order in ``year``, run to ``horizon``."""
    from alliancelab.data.recent import apply_facts, recent_facts
    from alliancelab.data.scenario_builder import scenario_document
    from alliancelab.models.order.estimated import scenario_facts
    from alliancelab.scenario import load_scenario

    built = scenario_document(year, region="asia-pacific", facts=scenario_facts)
    doc = built.doc
    book = load_scenario("asia-pacific-2001")
    review = set(doc["scenario"].get("review", []))
    meta = doc["scenario"]
    meta["name"] = f"asia-pacific-{year}"
    meta["title"] = f"The Asia-Pacific order of {year}, built from data, with the facts since the datasets end"
    meta["description"] = (
        f"The region as the data record it in {year} (each fact past its source's end carried with its vintage: "
        "[[carried]]), with the alliances, dialogues and access agreements since (alliancelab/data/facts); "
        "projection, engagement, support, history hostility and presence are the book's preset's assumptions, "
        "presence scaled by U.S. personnel. " + " ".join(f"Plausibility: {w}." for w in built.warnings)
    ).strip()
    meta["years"] = horizon - year + 1
    _actors(doc, book, review)
    _alliances(doc, book, review, year)
    ids = {a["id"] for a in doc["actor"]}
    doc["institution"] = [
        inst.model_dump(mode="json", exclude_none=True) | {"members": [m for m in inst.members if m in ids]}
        for inst in book.institution
    ]
    apply_facts(doc, recent_facts(), through=year)
    _rivalries(doc, book, review)
    meta["review"] = sorted(review)
    if not meta["review"]:
        del meta["review"]
    return doc


def _actors(doc: dict[str, Any], book: Scenario, review: set[str]) -> None:
    """Projection, engagement and the missile and peacekeeping roles: the book's assumptions."""
    old = {a.id: a for a in book.actor}
    for a in doc["actor"]:
        was = old.get(a["id"])
        if was is None:
            continue
        a["projection"], a["engagement"] = was.projection, was.engagement
        for fld in ("tmd", "tmd_area", "peacekeeping", "multilateral_role", "missiles"):
            if getattr(was, fld):
                a[fld] = getattr(was, fld)
        a["source"] += "; projection, engagement and missile/peacekeeping roles as asia-pacific-2001 (assumptions)"
        review -= {f"{a['id']}.projection", f"{a['id']}.engagement"}


def _alliances(doc: dict[str, Any], book: Scenario, review: set[str], year: int) -> None:
    """ATOP's alliances under the book's names, with its support, patrons and commitments and
    its presence scaled by U.S. personnel; the Taiwan Relations Act, which no dataset codes."""
    from alliancelab.data.deployments import load_us_troops

    record = load_us_troops()
    troops, last_record = record.set_index(["ccode", "year"])["troops"], int(record["year"].max())
    code = {a["id"]: a["ccode"] for a in doc["actor"]}
    old = {al.id: al for al in book.alliance}
    for al in doc.get("alliance", []):
        review.discard(f"{al['id']}.support")
        review.discard(f"{al['id']}.patron")
        named = ATOP_NAMES.get(int(al.get("atop_id", 0)))
        was = old.get(named) if named else None
        if named is None or was is None:
            al["support"] = 0.5
            al["source"] += "; domestic support 0.5 (an assumption, plausible 0.3-0.7)"
            continue
        al["id"], al["name"], al["support"] = named, was.name, was.support
        if was.patron is not None:
            al["patron"] = was.patron
        else:
            al.pop("patron", None)
        if was.commitment is not None:
            al["commitment"] = was.commitment
        note = f"; support {was.support} as asia-pacific-2001 (an assumption)"
        host = next((m for m in al["members"] if m != was.patron), None)
        if was.presence and host is not None:
            then = float(troops.get((code[host], book.start), 0.0))
            now = float(troops.get((code[host], min(year, last_record)), 0.0))
            al["presence"] = round(_presence(was.presence, then, now), 3)
            note += (
                f"; presence {was.presence} in 2001 (an assumption) scaled by log U.S. personnel "
                f"{then:,.0f} -> {now:,.0f} (troopdata) = {al['presence']}"
            )
        al["source"] += note
    renamed = set(ATOP_NAMES.values())
    doc["alliance"] += [
        al.model_dump(mode="json", exclude_none=True)
        for al in book.alliance
        if al.id not in renamed and al.cow_id is None  # not a treaty in ATOP: the Taiwan Relations Act
    ]
    for entry in doc.get("carried", []):
        entry["facts"] = [ATOP_NAMES.get(_atop_no(f), f) for f in entry["facts"]]


def _rivalries(doc: dict[str, Any], book: Scenario, review: set[str]) -> None:
    """The recorded rivalries at the book's hostility where it has the pair (else the from-data
    rule's), and the book's history rivalries the data do not record."""
    ids = {a["id"] for a in doc["actor"]}
    old = {tuple(sorted(r.pair)): r for r in book.rivalry}
    for r in doc.get("rivalry", []):
        was = old.get(tuple(sorted(r["pair"])))
        review.discard(f"{'-'.join(r['pair'])}.hostility")
        if was is not None:
            r["hostility"] = was.hostility
            r["source"] += f"; hostility {was.hostility} as asia-pacific-2001 (an assumption)"
        else:
            r["source"] += "; hostility by the from-data rule (an assumption, docs/data.md)"
    recorded = {tuple(sorted(r["pair"])) for r in doc.get("rivalry", [])}
    doc["rivalry"] = doc.get("rivalry", []) + [
        r.model_dump(mode="json", exclude_none=True)
        for r in book.rivalry
        if r.kind == "history" and tuple(sorted(r.pair)) not in recorded and set(r.pair) <= ids
    ]


def _atop_no(fact: str) -> int:
    return int(fact.removeprefix("atop-")) if fact.startswith("atop-") and fact[5:].isdigit() else 0


def today_text(year: int = 2023, horizon: int = 2040) -> str:
    """:func:`today_document` as TOML, with a header naming its sources."""
    doc = today_document(year, horizon)
    header = [
        f"# The Asia-Pacific order of {year}: written by `alliancelab scenario today --year {year}`.",
        "# Numbers: SIPRI, COW, ATOP, V-Dem, Maddison, TSS, MID and troopdata, as `scenario from-data`",
        "# builds them (each entry's `source`); facts past a source's end are carried, with the year they",
        "# come from ([[carried]] at the end); the alliances and dialogues since the datasets end come",
        "# from alliancelab/data/facts/asia-pacific.toml (each with its citation); what the data cannot",
        "# give is the asia-pacific-2001 preset's assumption, said in each `source`.",
        "",
    ]
    return "\n".join(header) + tomli_w.dumps(doc)
