"""The scenario language: immutable typed objects validated with pydantic v2.

A scenario file is TOML with a ``[scenario]`` table and arrays of tables ``[[actor]]``,
``[[alliance]]``, ``[[institution]]``, ``[[rivalry]]``, ``[[trade]]``, ``[[dyad]]`` and ``[[shock]]``.
Money is in current US dollars unless a field says otherwise; shares are fractions.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AllowInfNan, BaseModel, ConfigDict, Field, Strict

__all__ = [
    "KIND_COMMITMENT",
    "Actor",
    "Alliance",
    "AllianceKind",
    "Carried",
    "Dyad",
    "Institution",
    "Meta",
    "Rivalry",
    "Scenario",
    "Shock",
    "Trade",
    "patron_spokes",
]

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64, description="lower-case identifier")]
#: A finite number written as a number (a string such as "1e9" is refused, not converted).
Num = Annotated[float, Strict(), AllowInfNan(False)]
Unit = Annotated[float, Strict(), AllowInfNan(False), Field(ge=0.0, le=1.0)]
Count = Annotated[int, Strict()]
Year = Annotated[int, Strict(), Field(ge=1800, le=2200)]
Flag = Annotated[bool, Strict()]
#: Text without control characters (tabs and newlines allowed): names travel into result files.
Text = Annotated[str, Field(pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", max_length=10_000)]

AllianceKind = Literal["defense", "offense", "neutrality", "nonaggression", "consultation", "entente"]

#: Written commitment implied by each COW / ATOP alliance category when a file gives none.
KIND_COMMITMENT: dict[str, float] = {
    "defense": 1.0,
    "offense": 1.0,
    "neutrality": 0.3,
    "nonaggression": 0.2,
    "consultation": 0.3,
    "entente": 0.4,
}


#: The most actors a scenario holds: the engine's pair and link arrays grow with the square and
#: its compiled inputs with the cube of the count (1,000 actors would need about 2 GB).
MAX_ACTORS = 300


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Meta(_Frozen):
    """The ``[scenario]`` table."""

    name: Id
    title: Text = ""
    description: Text = ""
    start: Year
    years: Count = Field(30, ge=1, le=200, description="default horizon in years")
    extends: Text | None = Field(None, description="a preset name or a path to a base scenario")
    review: list[Text] = Field(
        default_factory=list,
        description="values still at defaults the data cannot give (e.g. 'usa.projection'), for the user to check; "
        "take an entry out once it is checked (`run --reviewed` refuses a scenario that lists any)",
    )


class Actor(_Frozen):
    """A state: economy, capabilities, regime and position."""

    id: Id
    name: Text
    ccode: Count | None = Field(None, ge=1, le=9999, description="Correlates of War country code")
    gdp: Num = Field(gt=0, le=1e15, description="GDP in the start year, current US$ (world GDP is about 1e14)")
    milex: Num = Field(gt=0, le=1e14, description="military expenditure in the start year, current US$")
    growth: Num = Field(0.02, ge=-0.2, le=0.3, description="annual real GDP growth")
    share_min: Num = Field(0.002, ge=0.0, le=0.5, description="lowest military share of GDP")
    share_max: Num = Field(0.20, gt=0.0, le=1.0, description="highest military share of GDP")
    depreciation: Num = Field(0.08, gt=0.0, le=1.0, description="capability depreciation rate")
    grievance: Num | None = Field(
        None, ge=-1.0, le=1.0, description="Richardson's g as a share of GDP; None: set so the start is at rest"
    )
    democracy: Unit = Field(0.5, description="V-Dem electoral democracy (polyarchy), 0-1")
    openness: Num | None = Field(
        None,
        ge=0.0,
        le=10.0,
        description="trade openness, (imports + exports) / GDP, as the crisis hazard's estimate measures it; "
        "None: the estimation sample's median, 0.15 (an assumption)",
    )
    nuclear: Flag = False
    missiles: Flag = Field(False, description="holds ballistic missiles that TMD defends against")
    major_power: Flag = Field(False, description="COW major power (used by the order measures)")
    lat: Num = Field(ge=-90, le=90, description="latitude of the capital")
    lon: Num = Field(ge=-180, le=180, description="longitude of the capital")
    projection: Unit = Field(0.0, description="global power projection (1 = no loss with distance)")
    engagement: Unit = Field(1.0, description="engagement in the region as a patron")
    posture: Num = Field(0.0, ge=-0.05, le=0.1, description="shift of the target share")
    effort: Num = Field(
        0.0, ge=0.0, le=0.5, description="military share of GDP held fixed (0: set by the arms decision)"
    )
    volatility: Num | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="s.d. of the yearly residual of the log military share in the estimated arms decision; "
        "None: the parameter set's spending_residual",
    )
    tmd: Unit = 0.0
    tmd_area: Unit = 0.0
    peacekeeping: Unit = 0.0
    multilateral_role: Unit = 0.0
    source: Text = ""


class Alliance(_Frozen):
    """A formal (or, where stated, informal) alliance.

    With a ``patron`` the patron defends every other member (a hub-and-spoke spoke);
    without one every member defends every other.
    """

    id: Id
    name: Text = ""
    members: list[Id] = Field(min_length=2)
    kind: AllianceKind = "defense"
    patron: Id | None = None
    commitment: Unit | None = Field(None, description="None: the default of its kind")
    presence: Unit = Field(0.0, description="forward presence of the patron's forces")
    support: Unit = Field(0.6, description="domestic support for the alliance")
    credibility: Unit | None = Field(None, description="None: start at its equilibrium value")
    rma_gap: Unit = 0.0
    base_incidents: Unit = 0.0
    since: Year | None = None
    until: Year | None = None
    cow_id: Count | None = Field(None, ge=1)
    atop_id: Count | None = Field(None, ge=1)
    source: Text = ""

    @property
    def written_commitment(self) -> float:
        return KIND_COMMITMENT[self.kind] if self.commitment is None else self.commitment


class Institution(_Frozen):
    """A multilateral institution or dialogue (ARF, APEC, CSCAP, ...)."""

    id: Id
    name: Text = ""
    members: list[Id] = Field(min_length=2)
    joined: dict[Id, Year] = Field(default_factory=dict, description="members joining later")
    since: Year | None = None
    depth: Unit = Field(0.3, description="transparency / confidence building it provides")
    teeth: Unit = Field(0.0, description="collective-defence commitment among members")
    source: Text = ""


class Rivalry(_Frozen):
    """Baseline hostility of a pair, from a strategic rivalry or unreconciled history."""

    pair: tuple[Id, Id]
    hostility: Unit
    kind: Literal["rivalry", "history"] = "rivalry"
    since: Year | None = None
    source: Text = ""


class Trade(_Frozen):
    """Trade interdependence of a pair: the weak link's trade as a share of its GDP."""

    pair: tuple[Id, Id]
    dependence: Unit
    source: Text = ""


class Dyad(_Frozen):
    """Facts of a pair that the estimated crisis hazard reads (docs/estimation.md).

    Missing pairs, or missing fields, take defaults that are assumptions: not contiguous, the
    estimation sample's median of shared IGOs (26) and of peace-years (29).
    """

    pair: tuple[Id, Id]
    contiguous: Flag = Field(False, description="COW direct contiguity: land or up to 24 miles of water")
    sea_contiguous: Flag = Field(
        False, description="COW direct contiguity by sea: 25 to 400 miles of water (types 4-5)"
    )
    igos: Count | None = Field(
        None, ge=0, le=1000, description="shared IGO memberships in the start year (COW IGO 3.0)"
    )
    peace_years: Count | None = Field(
        None, ge=0, le=1000, description="years since the pair's last militarized dispute, at the start"
    )
    source: Text = ""


class Shock(_Frozen):
    """A lever takes a new value from ``year`` on."""

    year: Year
    lever: Text
    target: Id | tuple[Id, Id]
    value: Num
    note: Text = ""


class Carried(_Frozen):
    """Facts whose source ends before the scenario's start: their values are the source's last
    observation (``year``), carried forward to the start."""

    source: Text
    year: Year = Field(description="the year the values come from")
    facts: list[Text] = Field(min_length=1, description="what carries the value, e.g. 'usa.democracy'")
    note: Text = ""


class Scenario(_Frozen):
    """A complete, validated scenario."""

    scenario: Meta
    actor: list[Actor] = Field(min_length=2, max_length=MAX_ACTORS)
    alliance: list[Alliance] = Field(default_factory=list)
    institution: list[Institution] = Field(default_factory=list)
    rivalry: list[Rivalry] = Field(default_factory=list)
    trade: list[Trade] = Field(default_factory=list)
    dyad: list[Dyad] = Field(default_factory=list)
    shock: list[Shock] = Field(default_factory=list)
    carried: list[Carried] = Field(default_factory=list)

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def start(self) -> int:
        return self.scenario.start

    @property
    def actor_ids(self) -> list[str]:
        return [a.id for a in self.actor]

    def carried_over(self, years: int) -> list[tuple[Carried, int]]:
        """The carried facts older than ``years`` at the start, with how many years each is carried."""
        return [(c, self.start - c.year) for c in self.carried if self.start - c.year > years]


def patron_spokes(scenario: Scenario) -> tuple[str, tuple[str, ...]] | None:
    """The patron with the most spokes (hub-and-spoke protégés) and those spokes, sorted; None
    when no alliance has a patron.

    >>> from alliancelab.scenario import load_scenario
    >>> patron_spokes(load_scenario("asia-pacific-2001"))
    ('usa', ('aus', 'jpn', 'kor', 'phl', 'tha', 'twn'))
    """
    spokes: dict[str, set[str]] = {}
    for al in scenario.alliance:
        if al.patron is not None:
            spokes.setdefault(al.patron, set()).update(m for m in al.members if m != al.patron)
    if not spokes:
        return None
    patron = max(sorted(spokes), key=lambda p: len(spokes[p]))
    return patron, tuple(sorted(spokes[patron]))
