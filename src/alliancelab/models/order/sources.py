"""The status of every number in the order model: estimated (from which data), from the
literature (which work), or an assumption (with a plausible range).

``alliancelab params --sources`` prints this table with the values of a parameter set; the docs
(docs/models/order.md, "Where the numbers come from") give the same table. A result that
follows only from an assumption is an assumption, not a finding: the claims analysis sweeps the
assumptions over their ranges.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import pandas as pd

from alliancelab.models.order.compile import DEFAULT_FACTS
from alliancelab.models.order.estimated import HAZARD_TERMS, SPENDING_TERMS, coefficient_law
from alliancelab.models.order.params import Params

__all__ = ["SOURCES", "Source", "parameter_sources"]

Status = Literal["estimated", "literature", "assumption"]


class Source(NamedTuple):
    status: Status
    low: float | None  # plausible range (assumptions), or the 90 % interval (estimates)
    high: float | None
    source: str
    equations: Literal["both", "estimated", "illustrative"] = "both"


_A: Status = "assumption"
_ILL: Literal["illustrative"] = "illustrative"

#: One row per :class:`Params` field (the mechanism switches aside).
SOURCES: dict[str, Source] = {
    "rivalry_hostility": Source(
        _A, 0.3, 0.9, "maps hostility to the data's rivalry indicator; the rule's range", "estimated"
    ),
    "coefficient_draws": Source(
        _A, None, None, "switch: draw each run's coefficients (on) or fix the estimates", "estimated"
    ),
    "hazard_fit_end": Source(
        _A,
        None,
        None,
        "choice: the stage-1 fit the hazard reads, 1950-2014 (default) or 1950-2000 (validate crises' default, so "
        "2001-2014 is scored out of sample)",
        "estimated",
    ),
    "residual_draws": Source(
        _A, None, None, "switch: draw each state's yearly spending residual (on) or keep the expected path", "estimated"
    ),
    "spending_residual": Source(
        "estimated",
        0.109,
        0.129,
        "SIPRI shares of GDP 1987-2001, 15 Asia-Pacific states, 182 yearly changes: s.d. 0.118 (chi-square"
        " 90 % interval); used where a scenario gives an actor no volatility",
        "estimated",
    ),
    "equations": Source(_A, None, None, "which equations run: estimated (default) or illustrative"),
    "growth_noise": Source(
        "estimated",
        0.012,
        0.040,
        "Maddison 2020, 15 Asia-Pacific states, origins 1950-1999, errors to 2000 of a five-year-mean growth"
        " projection (estimation/growth.py): sigma in v(h) = sigma^2 h + tau^2 h^2, 90 % state bootstrap;"
        " 0.01 in the illustrative set",
    ),
    "growth_drift": Source(
        "estimated",
        0.016,
        0.024,
        "the same fit's tau: a run's lasting deviation from the projected growth rate, 90 % state bootstrap;"
        " 0 in the illustrative set",
    ),
    "distance_scale_km": Source(_A, 1000, 4000, "Boulding (1962) loss-of-strength gradient; the scale is assumed"),
    "misperception_sd": Source(_A, 0.0, 0.6, "Jervis (1976) misperception; size assumed"),
    "transparency": Source(_A, 0.2, 0.9, "Kydd (2005) signals; size assumed"),
    "cover_weight": Source(_A, 0.5, 1.5, "weight of own and allied capability against threat"),
    "restraint": Source(_A, 0.0, 0.8, "Ikenberry & Inoguchi (2003): the alliance restrains; size assumed"),
    "reassurance": Source(_A, 0.0, 0.8, "a multilateral role reassures; size assumed"),
    "peacekeeping_reassurance": Source(_A, 0.0, 0.4, "peacekeeping reassures; size assumed"),
    "tmd_protection": Source(_A, 0.2, 0.9, "TMD coverage; size assumed"),
    "tmd_provocation": Source(_A, 0.0, 2.0, "Christensen (2000): area-wide TMD alarms China; size assumed"),
    "threat_reaction": Source(_A, 0.0, 2.0, "Richardson reaction; calibration puts it at 0-1.6 by period", _ILL),
    "abandonment_reaction": Source(_A, 0.0, 0.05, "Snyder (1984) abandonment fear -> self-help; size assumed"),
    "burden": Source(_A, 0.0, 0.6, "Richardson fatigue term", _ILL),
    "adjustment": Source(_A, 0.1, 0.6, "Richardson inertia (the estimated set uses 1 - rho)", _ILL),
    "credibility_base": Source(_A, 0.4, 0.8, "Snyder (1997) credibility; size assumed"),
    "credibility_presence": Source(_A, 0.1, 0.5, "forward presence raises credibility; size assumed"),
    "credibility_support": Source(_A, 0.2, 0.8, "domestic support raises credibility; size assumed"),
    "credibility_speed": Source(_A, 0.1, 0.6, "yearly adjustment of credibility; assumed"),
    "crisis_support_gain": Source(_A, 0.0, 0.3, "standing by a protégé raises credibility; size assumed"),
    "crisis_support_loss": Source(_A, 0.0, 0.4, "failing a protégé lowers credibility; size assumed"),
    "rma_penalty": Source(_A, 0.0, 0.6, "RMA interoperability gap; size assumed"),
    "teeth_trust": Source(_A, 0.1, 0.4, "distrusted members give no collective-defence cover; assumed"),
    "teeth_conflict": Source(_A, 0.0, 0.6, "teeth with the patron's rivals cut credibility; size assumed"),
    "support_speed": Source(_A, 0.1, 0.5, "yearly adjustment of domestic support; assumed"),
    "support_burden": Source(_A, 0.0, 1.0, "burden sharing raises support; size assumed"),
    "support_threat": Source(_A, 0.0, 1.0, "threat raises support; size assumed"),
    "support_incidents": Source(_A, 0.0, 0.6, "base incidents erode support; size assumed"),
    "support_peacekeeping": Source(_A, 0.0, 0.3, "peacekeeping raises support; size assumed"),
    "entrapment_cost": Source(_A, 0.0, 0.15, "Snyder (1984) entrapment; size assumed"),
    "support_noise": Source(_A, 0.0, 0.05, "s.d. of yearly support shocks; assumed"),
    "hostility_decay": Source(_A, 0.05, 0.3, "pull of hostility toward its baseline; assumed"),
    "institution_decay": Source(_A, 0.0, 0.4, "Acharya (2001) confidence building; size assumed"),
    "spiral": Source(_A, 0.0, 4.0, "Jervis (1978) security dilemma; size assumed"),
    "crisis_hostility": Source(
        _A,
        0.0,
        0.3,
        "a crisis raises hostility; size assumed. 0 with the estimated hazard, whose peace-years"
        " term already carries a dispute's effect on later ones (0.15 in the illustrative set)",
    ),
    "escalation_hostility": Source(
        _A,
        0.0,
        0.5,
        "an escalated crisis raises hostility more; size assumed. 0 with the estimated hazard,"
        " as crisis_hostility (0.3 in the illustrative set)",
    ),
    "hazard_base": Source(_A, None, None, "hand-set hazard (Bremer 1992; Oneal & Russett 1999 signs)", _ILL),
    "hazard_hostility": Source(_A, None, None, "hand-set hazard", _ILL),
    "hazard_proximity": Source(_A, None, None, "hand-set hazard", _ILL),
    "hazard_race": Source(_A, None, None, "hand-set hazard (Gibler, Rider & Hutchison 2005 sign)", _ILL),
    "hazard_parity": Source(_A, None, None, "hand-set hazard", _ILL),
    "hazard_alliance": Source(_A, None, None, "hand-set hazard", _ILL),
    "hazard_democracy": Source(_A, None, None, "hand-set hazard", _ILL),
    "hazard_trade": Source(_A, None, None, "hand-set hazard", _ILL),
    "hazard_institutions": Source(_A, None, None, "hand-set hazard", _ILL),
    "hazard_misperception": Source(_A, None, None, "hand-set hazard", _ILL),
    "escalation_base": Source(
        "estimated", 0.243, 0.273, "MID 5.0 1950-2014: 571 of 2,216 dyadic onsets fatal (binomial 90 % interval)"
    ),
    "escalation_deterrence": Source(_A, 0.0, 0.8, "credible allies deter escalation; size assumed"),
    "escalation_teeth": Source(_A, 0.0, 0.8, "teeth deter escalation; size assumed"),
    "credible_tie": Source(_A, 0.3, 0.7, "network edge threshold (order measure only)"),
    "hegemony_share": Source(_A, 0.4, 0.6, "order typology threshold (labels runs only)"),
    "hub_centralization": Source(_A, 0.3, 0.7, "order typology threshold (labels runs only)"),
    "bipolar_share": Source(_A, 0.5, 0.7, "order typology threshold (labels runs only)"),
    "bipolar_parity": Source(_A, 0.4, 0.8, "order typology threshold (labels runs only)"),
    "concert_hostility": Source(_A, 0.1, 0.3, "order typology threshold (labels runs only)"),
    "concert_overlap": Source(_A, 0.3, 0.7, "order typology threshold (labels runs only)"),
    "community_hostility": Source(_A, 0.05, 0.2, "order typology threshold (labels runs only)"),
    "community_teeth": Source(_A, 0.3, 0.7, "order typology threshold (labels runs only)"),
}

_ONSET = "stage 1: MID-onset logit, dyad-years 1950-2014 (docs/estimation.md)"
_SPEND = "stage 2: NOR 2SLS, 160 states 1952-2000 (docs/estimation.md)"


def parameter_sources(params: Params | None = None) -> pd.DataFrame:
    """Every number of the model: name, value in ``params``, status, range (or 90 % interval),
    source and which equations read it. The estimated coefficients come first."""
    p = params or Params()
    law = coefficient_law(True)
    rows: list[tuple[object, ...]] = []
    for k, term in enumerate(HAZARD_TERMS):
        se = float(sum(law.hazard_chol[k, : k + 1] ** 2) ** 0.5)
        b = float(law.hazard_mean[k])
        rows.append(("hazard." + term, b, "estimated", b - 1.645 * se, b + 1.645 * se, _ONSET, "estimated"))
    for k, term in enumerate(SPENDING_TERMS):
        se = float(sum(law.spending_chol[k, : k + 1] ** 2) ** 0.5)
        b = float(law.spending_mean[k])
        rows.append(("spending." + term, b, "estimated", b - 1.645 * se, b + 1.645 * se, _SPEND, "estimated"))
    rows.append(
        (
            "spending.gdp_elasticity", 1.0, "assumption", 0.9, 1.2,
            "imposed: balanced growth moves no share (stage 2's (γ + φ_f + φ_a)/(1 − ρ) is 1.11)", "estimated",
        )
    )  # fmt: skip
    for fact, value in DEFAULT_FACTS.items():
        rows.append(
            (
                f"default.{fact}",
                value,
                "assumption",
                None,
                None,
                "a scenario without the fact: sample median",
                "estimated",
            )
        )
    values = p.model_dump()
    for name in Params.model_fields:
        if name == "mechanisms":
            continue
        src = SOURCES[name]
        rows.append((name, values[name], src.status, src.low, src.high, src.source, src.equations))
    return pd.DataFrame(rows, columns=["parameter", "value", "status", "low", "high", "source", "equations"])
