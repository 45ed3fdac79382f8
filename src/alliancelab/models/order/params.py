"""Behavioural parameters and mechanism switches of the security-order engine.

Every parameter is documented with the equation it enters in ``docs/models/order.md``, and its
status — estimated (from which data), from the literature, or an assumption with a plausible
range — in :mod:`alliancelab.models.order.sources` (``alliancelab params --sources``).

Two sets of equations: ``equations = "estimated"`` (the default) runs the crisis hazard and the
arms decision on the coefficients estimated from history (``docs/estimation.md``), each run
drawing its own coefficients from their sampling distribution; ``"illustrative"`` keeps the
earlier hand-set hazard and Richardson response (published Richardson tests mostly reject fixed
coefficients: Majeski & Jones 1981; Smith, Sola & Spagnolo 2000).
"""

from __future__ import annotations

from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alliancelab.errors import ParameterError, plain_message
from alliancelab.measures.order import OrderThresholds

__all__ = ["MECHANISMS", "Mechanisms", "Params", "make_params"]

M = TypeVar("M", bound=BaseModel)


class Mechanisms(BaseModel):
    """Switches for ablation: each mechanism of the engine can be turned off."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    economy: bool = Field(True, description="GDP growth and its shocks (off: GDP constant)")
    threat: bool = Field(True, description="balance-of-threat perception (off: no threat)")
    misperception: bool = Field(True, description="per-run perceptual bias of capabilities")
    arms: bool = Field(True, description="Richardson arms decisions (off: shares fixed)")
    alliances: bool = Field(True, description="allied cover and credibility dynamics")
    abandonment: bool = Field(True, description="abandonment fear pushes self-help")
    entrapment: bool = Field(True, description="protégés' crises cost the patron support")
    restraint: bool = Field(True, description="an anchored ally looks less threatening")
    institutions: bool = Field(True, description="confidence building: transparency, decay")
    teeth: bool = Field(True, description="collective defence among institution members")
    crises: bool = Field(True, description="stochastic dyadic crises")
    spiral: bool = Field(True, description="arms build-ups raise hostility (security dilemma)")
    history: bool = Field(True, description="hostility decays toward its historical baseline")
    domestic: bool = Field(True, description="domestic support for alliances moves")
    tmd: bool = Field(True, description="theater missile defence")
    rma: bool = Field(True, description="RMA interoperability gap lowers credibility")
    peacekeeping: bool = Field(True, description="peacekeeping and multilateral roles reassure")


MECHANISMS: tuple[str, ...] = tuple(Mechanisms.model_fields)


class Params(BaseModel):
    """Behavioural parameters (frozen). See ``docs/models/order.md`` for each equation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mechanisms: Mechanisms = Field(default_factory=Mechanisms)
    equations: Literal["estimated", "illustrative"] = Field(
        "estimated", description="crisis hazard and arms decision: estimated from history, or the hand-set ones"
    )
    coefficient_draws: bool = Field(
        True, description="each run draws the estimated coefficients from their sampling distribution"
    )
    hazard_fit_end: Literal[2000, 2014] = Field(
        2014,
        description="the last year of the stage-1 fit the estimated hazard reads: 2014 (all of MID 5.0) or 2000 "
        "(fitted before 2001, for scoring 2001-2014 out of sample)",
    )
    residual_draws: bool = Field(
        True, description="each run draws the estimated spending equation's yearly residual (each actor's volatility)"
    )
    spending_residual: float = Field(
        0.12,
        ge=0,
        le=1,
        description="s.d. of the yearly residual of a state's log military share where the scenario gives no "
        "volatility (SIPRI, 15 Asia-Pacific states, 1987-2001: 0.118)",
    )
    rivalry_hostility: float = Field(
        0.5, gt=0, le=1, description="hostility that counts as one strategic rivalry in the estimated hazard"
    )
    # economy
    growth_noise: float = Field(
        0.03, ge=0, le=0.2, description="s.d. of yearly growth shocks in projected years (Maddison, 15 states, to 2000)"
    )
    growth_drift: float = Field(
        0.02,
        ge=0,
        le=0.1,
        description="s.d. of a run's lasting deviation from each state's projected growth rate (Maddison, to 2000)",
    )
    # threat perception
    distance_scale_km: float = Field(2000.0, gt=0, description="Boulding loss-of-strength scale")
    misperception_sd: float = Field(0.3, ge=0, le=2, description="s.d. of log perceptual bias")
    transparency: float = Field(0.6, ge=0, le=1, description="share of bias removed by full institutional overlap")
    cover_weight: float = Field(1.0, ge=0, description="weight of own and allied capability against threat")
    restraint: float = Field(0.5, ge=0, le=1, description="threat discount of a credibly anchored ally")
    reassurance: float = Field(0.5, ge=0, le=1, description="threat discount of a multilateral role")
    peacekeeping_reassurance: float = Field(0.2, ge=0, le=1)
    tmd_protection: float = Field(0.6, ge=0, le=1, description="threat cut by full TMD coverage")
    tmd_provocation: float = Field(1.0, ge=0, description="threat rise felt by a nuclear state from area-wide TMD")
    # arms decisions
    threat_reaction: float = Field(
        1.0, ge=0, description="elasticity of the target share to net threat / start exposure"
    )
    abandonment_reaction: float = Field(0.02, ge=0, description="target-share response to abandonment fear")
    burden: float = Field(0.3, ge=0, description="economic-burden brake on the target share")
    adjustment: float = Field(0.3, gt=0, le=1, description="share of the gap to target closed per year")
    # alliances
    credibility_base: float = Field(0.6, ge=0, le=1)
    credibility_presence: float = Field(0.3, ge=0, le=1)
    credibility_support: float = Field(0.4, ge=0, le=2)
    credibility_speed: float = Field(0.3, gt=0, le=1)
    crisis_support_gain: float = Field(0.1, ge=0, le=1, description="credibility gain when the patron stands by")
    crisis_support_loss: float = Field(0.2, ge=0, le=1, description="credibility loss when it does not")
    rma_penalty: float = Field(0.3, ge=0, le=1)
    teeth_trust: float = Field(
        0.2, ge=0, le=1, description="members with baseline hostility below this give collective-defence cover"
    )
    teeth_conflict: float = Field(
        0.3, ge=0, le=1, description="credibility cut when an ally joins teeth with the patron's rivals"
    )
    # domestic support
    support_speed: float = Field(0.2, gt=0, le=1)
    support_burden: float = Field(0.5, ge=0)
    support_threat: float = Field(0.5, ge=0)
    support_incidents: float = Field(0.3, ge=0)
    support_peacekeeping: float = Field(0.1, ge=0)
    entrapment_cost: float = Field(
        0.05, ge=0, le=1, description="support lost per protégé crisis the patron is drawn into"
    )
    support_noise: float = Field(0.02, ge=0, le=0.5)
    # institutions and hostility
    hostility_decay: float = Field(0.1, ge=0, le=1, description="yearly pull toward the baseline")
    institution_decay: float = Field(0.2, ge=0, le=1, description="extra pull with full institutional overlap")
    spiral: float = Field(2.0, ge=0, description="hostility rise per relative arms build-up")
    crisis_hostility: float = Field(
        0.0, ge=0, le=1, description="hostility a crisis adds (0 under the estimated hazard: peace-years carry it)"
    )
    escalation_hostility: float = Field(0.0, ge=0, le=1, description="hostility an escalated crisis adds")
    # crisis hazard (logit; signs from Bremer 1992, Oneal & Russett 1999)
    hazard_base: float = -6.0
    hazard_hostility: float = Field(4.0, ge=0)
    hazard_proximity: float = Field(1.0, ge=0)
    hazard_race: float = Field(10.0, ge=0)
    hazard_parity: float = Field(1.0, ge=0)
    hazard_alliance: float = Field(1.0, ge=0)
    hazard_democracy: float = Field(1.5, ge=0)
    hazard_trade: float = Field(10.0, ge=0)
    hazard_institutions: float = Field(1.5, ge=0)
    hazard_misperception: float = Field(1.0, ge=0)
    escalation_base: float = Field(
        0.26, ge=0, le=1, description="share of crises that turn fatal (MID 5.0 1950-2014: 571 of 2,216 onsets)"
    )
    escalation_deterrence: float = Field(0.5, ge=0, le=1)
    escalation_teeth: float = Field(0.5, ge=0, le=1)
    # order classification thresholds (measures.order.OrderThresholds; assumptions, sweepable)
    credible_tie: float = Field(0.5, ge=0, le=1, description="credibility x commitment that makes a network edge")
    hegemony_share: float = Field(0.5, ge=0, le=1, description="leading great power's capability share for hegemony")
    hub_centralization: float = Field(0.5, ge=0, le=1, description="alliance-network centralization for hub-and-spoke")
    bipolar_share: float = Field(0.6, ge=0, le=1, description="top two great powers' share for bipolarity")
    bipolar_parity: float = Field(0.5, ge=0, le=1, description="second power's capability as a share of the first's")
    concert_hostility: float = Field(0.2, ge=0, le=1, description="great-power hostility below which a concert holds")
    concert_overlap: float = Field(0.5, ge=0, le=1, description="shared institutions a concert needs")
    community_hostility: float = Field(0.1, ge=0, le=1, description="hostility below which a security community holds")
    community_teeth: float = Field(0.5, ge=0, le=1, description="institutional teeth a security community needs")

    def order_thresholds(self) -> OrderThresholds:
        """The order type's thresholds (:func:`~alliancelab.measures.order.classify_order`)."""
        return OrderThresholds(**{k: getattr(self, k) for k in OrderThresholds.model_fields})


def make_params(**overrides: object) -> Params:
    """Build :class:`Params`, turning validation failures into :class:`ParameterError`.

    >>> make_params(adjustment=0.5).adjustment
    0.5
    """
    mech = overrides.pop("mechanisms", None)
    if isinstance(mech, dict):
        overrides["mechanisms"] = _validate(Mechanisms, mech, "Mechanisms")
    elif isinstance(mech, (list, tuple, set, frozenset)):
        off = set(map(str, mech))
        unknown = off - set(MECHANISMS)
        if unknown:
            raise ParameterError("mechanisms", "Params", f"names among {list(MECHANISMS)}", sorted(unknown))
        overrides["mechanisms"] = Mechanisms(**{m: m not in off for m in MECHANISMS})
    elif mech is not None:
        overrides["mechanisms"] = mech
    return _validate(Params, overrides, "Params")


def _validate(cls: type[M], data: dict[str, object], owner: str) -> M:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(map(str, err["loc"]))
        if err["type"] == "extra_forbidden":
            raise ParameterError(name, owner, f"one of {sorted(cls.model_fields)}", name) from None
        raise ParameterError(name, owner, plain_message(err).removeprefix("must be "), err.get("input")) from None
