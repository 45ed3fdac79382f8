"""Facts of the order since the datasets end: a curated, sourced table kept as data.

``alliancelab/data/facts/asia-pacific.toml`` holds the alliances, alignments, dialogues and
declared policy paths after COW (2012) and ATOP (2018) end — AUKUS, the Quad's revival, the
reciprocal access agreements, the Camp David commitment to consult, the Russia–DPRK treaty,
Japan's 2 % path — each with its dates, a citation and the engine terms it enters.
:func:`recent_facts` reads and validates it; :func:`apply_facts` writes the facts in force by
a year into a scenario document, with the sizes they take (assumptions, said in each entry's
``source``).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from alliancelab.errors import DataFileError

__all__ = ["ACCESS_COMMITMENT", "DIALOGUE_DEPTH", "FactKind", "RecentFact", "apply_facts", "recent_facts"]

FactKind = Literal["dialogue", "partnership", "access", "consultation", "defense", "policy"]

#: Transparency a new dialogue or partnership provides: an assumption, as the 2001 preset's ARF
#: (0.3; plausible range 0.1-0.5).
DIALOGUE_DEPTH = 0.3
#: Written commitment of a reciprocal access agreement (visiting forces, exercises; no defence
#: obligation): an assumption, below the 0.3 of a consultation pact (plausible range 0-0.3).
ACCESS_COMMITMENT = 0.2


class RecentFact(BaseModel):
    """One fact: what it is, who, when, the source and the engine terms it enters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    kind: FactKind
    members: list[str] = Field(min_length=1)
    signed: dt.date
    in_force: dt.date | None = None
    enters: list[Literal["institution", "alliance", "effort"]] = Field(min_length=1)
    citation: str = Field(min_length=20)
    url: str = Field(pattern=r"^https://")
    note: str = ""
    share_of_gdp: float | None = Field(None, gt=0, lt=0.5)
    by_year: int | None = None

    @model_validator(mode="after")
    def _consistent(self) -> RecentFact:
        if self.in_force is not None and self.in_force < self.signed:
            raise ValueError(f"in force ({self.in_force}) before it was signed ({self.signed})")
        if self.kind == "policy" and (self.share_of_gdp is None or self.by_year is None):
            raise ValueError("a policy path needs share_of_gdp and by_year")
        return self

    @property
    def year(self) -> int:
        """The year it takes effect: entry into force where known, else signature."""
        return (self.in_force or self.signed).year


def recent_facts(region: str = "asia-pacific") -> tuple[RecentFact, ...]:
    """The region's facts since the datasets end, in date order; a malformed table is refused
    with each entry's problem."""
    path = resources.files("alliancelab.data") / "facts" / f"{region}.toml"
    if not path.is_file():
        raise DataFileError(f"no table of recent facts for region {region!r} (alliancelab/data/facts/)")
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    facts, problems = [], []
    for i, entry in enumerate(doc.get("fact", [])):
        try:
            facts.append(RecentFact.model_validate(entry))
        except ValidationError as exc:
            problems.append(f"fact[{i}] ({entry.get('id', '?')}): " + "; ".join(e["msg"] for e in exc.errors()))
    if problems:
        raise DataFileError(f"{path.name}: " + " | ".join(problems))
    return tuple(sorted(facts, key=lambda f: (f.signed, f.id)))


def _source(fact: RecentFact, size: str) -> str:
    dates = f"signed {fact.signed.isoformat()}" + (f", in force {fact.in_force.isoformat()}" if fact.in_force else "")
    return f"{fact.citation} ({dates}); {size}"


def apply_facts(
    doc: dict[str, Any], facts: tuple[RecentFact, ...], through: int, kinds: tuple[str, ...] | None = None
) -> list[str]:
    """Write the facts in effect by ``through`` (or all given with ``kinds`` unset and a later
    ``through``) into scenario document ``doc``: dialogues and partnerships as institutions,
    access agreements, consultation and defence pacts as alliances from their year. Policy paths
    are left to the variants that take them (``kinds``). Members outside the scenario are left
    out; a fact with fewer than two members in it is skipped. Returns a line per fact: what was
    done."""
    ids = {a["id"] for a in doc["actor"]}
    said = []
    for fact in facts:
        if fact.year > through or (kinds is not None and fact.kind not in kinds) or fact.kind == "policy":
            continue
        members = [m for m in fact.members if m in ids]
        outside = [m for m in fact.members if m not in ids]
        if len(members) < 2:
            said.append(f"{fact.id}: skipped, fewer than two members in the scenario")
            continue
        left = f"; {', '.join(outside)} outside the scenario" if outside else ""
        if fact.kind in ("dialogue", "partnership"):
            size = f"depth {DIALOGUE_DEPTH} (an assumption, as the ARF's), no teeth{left}"
            doc.setdefault("institution", []).append(
                {
                    "id": fact.id,
                    "name": fact.name,
                    "members": members,
                    "since": fact.year,
                    "depth": DIALOGUE_DEPTH,
                    "teeth": 0.0,
                    "source": _source(fact, size),
                }
            )
        else:
            entry: dict[str, Any] = {"id": fact.id, "name": fact.name, "members": members, "since": fact.year}
            if fact.kind == "access":
                entry |= {"kind": "entente", "commitment": ACCESS_COMMITMENT}
                size = f"an entente of commitment {ACCESS_COMMITMENT} (an assumption: no defence obligation){left}"
            else:
                entry["kind"] = fact.kind
                size = f"the written commitment of a {fact.kind} pact{left}"
            entry |= {"support": 0.5, "source": _source(fact, size + "; domestic support 0.5 (an assumption)")}
            doc.setdefault("alliance", []).append(entry)
        said.append(f"{fact.id}: {fact.kind} from {fact.year}")
    return said
