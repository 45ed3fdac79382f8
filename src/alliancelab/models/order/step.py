"""The security-order engine's yearly step: one pure function over arrays with a leading run axis.

Written against the Python array API (``xp`` is the namespace of the inputs), so the same code
runs on NumPy everywhere and on any array-API library (e.g. JAX) that provides the namespace.
No Python loop runs over runs, actors or dyads. Each block below names the mechanism and the
source of its equation; ``docs/models/order.md`` gives the equations in full.

Shapes: B runs, N actors, P undirected pairs (i < j), L directed defence links. Dyadic
quantities live in pair form: for pair p = (i, j) the "ij" array is what i sees of j and the
"ji" array what j sees of i.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from alliancelab.models.order.estimated import (
    MAX_PERSISTENCE,
    PEACE_YEARS,
    PREPONDERANCE,
    RIVALRY,
    SPLINE1,
    SPLINE2,
    SPLINE3,
    STATIC_COLUMNS,
)
from alliancelab.models.order.params import Params

__all__ = [
    "Bias",
    "Coefficients",
    "Constants",
    "Noise",
    "Record",
    "State",
    "YearInputs",
    "abandonment_fear",
    "cover",
    "credibility_target",
    "estimated_arms",
    "estimated_hazard",
    "perceived_threat",
    "perceptual_bias",
    "spending_residual",
    "step",
]

Array = Any


class State(NamedTuple):
    """What carries from one year to the next."""

    gdp: Array  # (B, N) current US$
    capability: Array  # (B, N) military capital stock (perpetual inventory)
    share: Array  # (B, N) last year's military share of GDP
    milex: Array  # (B, N) last year's military expenditure
    hostility: Array  # (B, P) in [0, 1]
    credibility: Array  # (B, L) in [0, 1]
    support: Array  # (B, L) domestic support in [0, 1]
    peace: Array  # (B, P) years since the pair's last crisis
    escalated: Array  # (B, N) 1 if the state was in an escalated (fatal) crisis last year
    base: Array  # (B, N) the estimated arms decision's drivers in the start year (set in year 0)
    fear0: Array  # (B, N) abandonment fear in the start year (set in year 0)
    esc0: Array  # (B, N) the start year's chance of an escalated crisis (set in year 0)


class YearInputs(NamedTuple):
    """Run-independent inputs of one year (levers after shocks, static weights)."""

    growth: Array
    projected: Array  # (N,) 1 where the growth is projected, 0 where recorded (realised_growth)
    posture: Array
    effort: Array  # (N,) share held fixed (0: the arms decision sets it)
    engagement_defender: Array  # (L,)
    peacekeeping_defended: Array  # (L,)
    commitment: Array
    presence: Array
    cover_factor: Array
    rma_gap: Array
    incidents: Array
    conflict: Array
    baseline: Array
    teeth: Array
    hazard_static: Array
    sigma: Array  # (P,) misperception s.d.
    weight_ij: Array  # (P,) static threat weight of j as seen by i
    weight_ji: Array  # (P,) static threat weight of i as seen by j
    teeth_cover: Array  # (N, N) [i, j] = i covered by j
    decay: Array
    hazard_x: Array  # (P, S) the estimated hazard's static predictors
    first: Array  # () 1.0 in the start year, else 0.0


class Constants(NamedTuple):
    """Run-independent arrays that do not change with the year."""

    grievance: Array
    reaction: Array  # (N,) r * share0 * gdp0 / exposure0: response to net threat / GDP
    depreciation: Array
    share_min: Array
    share_max: Array
    incidence_i: Array  # (P, N) one-hot of i
    incidence_j: Array  # (P, N) one-hot of j
    pair_incidence: Array  # (P, N) both members
    pair_incidence_t: Array  # (N, P)
    defended_incidence: Array  # (L, N)
    defender_incidence: Array  # (L, N)
    gather_i: Array  # (N, P) one-hot: x @ gather_i == x[:, pair_i], exactly, in C order
    gather_j: Array  # (N, P)
    gather_defended: Array  # (N, L)
    gather_defender: Array  # (N, L)
    support0: Array
    burden_ratio0: Array
    net_threat0: Array
    gdp0: Array  # (N,)
    share0: Array  # (N,)
    posture0: Array  # (N,)
    spline: Array  # (M, 3) peace-year spline basis by whole year
    volatility: Array  # (N,) s.d. of the yearly spending residual
    growth_drift: Array  # (N,) s.d. of a run's lasting deviation from each state's projected growth


class Coefficients(NamedTuple):
    """Each run's draw of the estimated coefficients (:mod:`.estimated`)."""

    hazard: Array  # (B, 15) in HAZARD_TERMS order
    spending: Array  # (B, 5) in SPENDING_TERMS order
    growth: Array  # (B, N) the run's lasting deviation from each state's projected growth rate


class Bias(NamedTuple):
    """This year's perceptual bias folded into the threat weights, per run and pair."""

    a_ij: Array  # (B, P) weight_ij x m_ij
    a_ji: Array  # (B, P) weight_ji x m_ji
    inflation: Array  # (B, P) σ (z_ij⁺ + z_ji⁺): overestimation that feeds the hazard


class Noise(NamedTuple):
    """This year's random draws for the runs of a block."""

    growth: Array  # (B, N) standard normal
    crisis: Array  # (B, P) uniform (32-bit): crisis iff u < h, escalation iff u < h q
    stand: Array  # (B, L) uniform
    support: Array  # (B, L) standard normal
    residual: Array  # (B, N) standard normal: the spending equation's yearly residual


class Record(NamedTuple):
    """What a year produces, besides the next state."""

    gdp: Array
    milex: Array
    share: Array
    capability: Array
    threat: Array
    net_threat: Array
    abandonment_fear: Array
    entrapment: Array
    crises: Array  # (B, N) crises each state is in
    hostility: Array  # (B, P)
    crisis: Array  # (B, P) 0/1
    escalation: Array  # (B, P) 0/1
    credibility: Array  # (B, L)
    support: Array  # (B, L)
    arms_race_index: Array  # (B,)
    security_dilemma_index: Array  # (B,)


def perceptual_bias(xp: Any, y: YearInputs, z_ij: Array, z_ji: Array) -> Bias:
    """Misperception (Jervis 1976): m_ij = exp(σ z_ij − σ²/2), mean one, z drawn once per run.

    Beliefs are sticky, so z is persistent; shared institutions narrow σ over time.
    """
    sig = y.sigma
    half = 0.5 * sig * sig
    return Bias(
        a_ij=y.weight_ij * xp.exp(sig * z_ij - half),
        a_ji=y.weight_ji * xp.exp(sig * z_ji - half),
        inflation=sig * (xp.maximum(z_ij, 0.0) + xp.maximum(z_ji, 0.0)),
    )


def perceived_threat(
    xp: Any, p: Params, c: Constants, H: Array, bias: Bias, K: Array, cred: Array, commit: Array
) -> Array:
    """Balance of threat (Walt 1987): hostile capability that reaches a state, as it sees it.

    threat_i = Σ_j H_ij · w_ij · m_ij · K_j · (1 − ρ · anchor_j), where w is the static weight
    (reach after Boulding 1962, TMD, reassurance), m the perceptual bias (Jervis 1976), and
    anchor_j the credibility-weighted commitment binding j to a patron (the alliance's
    restraint of its ally, Ikenberry & Inoguchi 2003). Computed over pairs, then summed to
    each observer.
    """
    disc = K
    if p.mechanisms.restraint and commit.shape[-1]:
        anchor = xp.clip(xp.matmul(cred * commit, c.defended_incidence), 0.0, 1.0)
        disc = K * (1.0 - p.restraint * anchor)
    seen_by_i = H * bias.a_ij * xp.matmul(disc, c.gather_j)
    seen_by_j = H * bias.a_ji * xp.matmul(disc, c.gather_i)
    return xp.matmul(seen_by_i, c.incidence_i) + xp.matmul(seen_by_j, c.incidence_j)


def cover(
    xp: Any,
    K: Array,
    cred: Array,
    commit: Array,
    cover_factor: Array,
    def_inc: Array,
    gather_defender: Array,
    teeth_cover: Array,
) -> Array:
    """Own capability plus the credible capability of allies and of members with teeth.

    cover_i = K_i + Σ_l C_l W_l f_l K_defender(l) + Σ_j T_ij K_j, where f_l scales the ally's
    capability by its reach and forward presence and T is the teeth-cover matrix.
    """
    out = K + xp.matmul(K, teeth_cover.T)
    if commit.shape[-1]:
        out = out + xp.matmul(cred * commit * cover_factor * xp.matmul(K, gather_defender), def_inc)
    return out


def abandonment_fear(xp: Any, p: Params, cred: Array, commit: Array, def_inc: Array) -> Array:
    """Snyder (1984): fear of abandonment, the commitment-weighted credibility shortfall.

    fear_i = Σ_l W_l (1 − C_l) / Σ_l W_l over the links defending i (0 with no ally).
    """
    if not (p.mechanisms.abandonment and commit.shape[-1]):
        return 0.0 * xp.matmul(cred, def_inc)
    weight = xp.matmul(commit, def_inc)
    return xp.matmul(commit * (1.0 - cred), def_inc) / xp.maximum(weight, 1e-6)


def credibility_target(
    xp: Any,
    p: Params,
    support: Array,
    engagement: Array,
    presence: Array,
    rma_gap: Array,
    conflict: Array,
    commit: Array,
) -> Array:
    """Where an alliance commitment's credibility heads (Snyder 1984; Ikenberry & Inoguchi 2003).

    C*_l = clip(e_patron · (c0 + c_p · presence + c_s · (S − ½)) · (1 − ι · rma_gap)
    · (1 − χ · conflict), 0, 1), and 0 when the alliance is not in force.
    """
    base = p.credibility_base + p.credibility_presence * presence + p.credibility_support * (support - 0.5)
    target = engagement * base * (1.0 - p.rma_penalty * rma_gap) * (1.0 - p.teeth_conflict * conflict)
    return xp.clip(target, 0.0, 1.0) * xp.astype(commit > 0, target.dtype)


def estimated_hazard(xp: Any, p: Params, c: Constants, y: YearInputs, b: Array, s: State) -> Array:
    """Stage 1 in the engine: the MID-onset logit (docs/estimation.md) on the engine's state.

    logit h = b·x (static predictors) + b_prep · max(Y_i, Y_j)/(Y_i + Y_j) + b_riv · min(1, H / H_r)
    + b_py · py + Σ b_k S_k(py), with this run's coefficients b, GDP Y, hostility H measured in
    rivalries (H_r = ``rivalry_hostility``; a rivalry is one, as in the data, so hostility
    beyond it adds nothing), and py the years since the pair's last crisis.
    """
    static = xp.matmul(xp.take(b, xp.asarray(STATIC_COLUMNS), axis=1), y.hazard_x.T)
    gi = xp.matmul(s.gdp, c.gather_i)
    gj = xp.matmul(s.gdp, c.gather_j)
    prep = xp.maximum(gi, gj) / (gi + gj)
    rows = xp.astype(xp.minimum(s.peace, float(c.spline.shape[0] - 1)), xp.int32)
    basis = xp.take(c.spline, xp.reshape(rows, (-1,)), axis=0)
    basis = xp.reshape(basis, (*s.peace.shape, 3))
    history = b[:, PEACE_YEARS : PEACE_YEARS + 1] * s.peace + b[:, SPLINE1 : SPLINE1 + 1] * basis[..., 0]
    history = history + b[:, SPLINE2 : SPLINE2 + 1] * basis[..., 1] + b[:, SPLINE3 : SPLINE3 + 1] * basis[..., 2]
    rivalry = xp.minimum(s.hostility / p.rivalry_hostility, 1.0)
    z = static + b[:, PREPONDERANCE : PREPONDERANCE + 1] * prep + b[:, RIVALRY : RIVALRY + 1] * rivalry
    z = z + history
    return 1.0 / (1.0 + xp.exp(-z))


def estimated_arms(
    xp: Any,
    p: Params,
    c: Constants,
    y: YearInputs,
    g: Array,
    s: State,
    hazard: Array,
    friends: Array,
    foes: Array,
    fear: Array,
    escalation: Array,
) -> tuple[Array, Array, Array, Array]:
    """Stage 2 in the engine: NOR's spending equation in shares, at rest in the start year.

    ln s_t = ln s_{t−1} + (1 − ρ)(ln a_t − ln s_{t−1}) + (D_t − D_0) + κ · escalated_{t−1},
    D = β · threat + φ_f ln(1 + F̃) + φ_a ln(1 + Ã), threat = 1 − Π_j (1 − h_ij) from this
    year's hazard, F̃ and Ã the credible allies' and the hostile states' spending (US$ million)
    rescaled by the state's own growth since the start (so balanced growth moves no share), and
    a_t = s_0 + posture change + abandonment_reaction · (fear − fear_0) the anchor (assumptions).
    The conflict term is measured against the start year's chance of an escalated crisis,
    1 − Π_j (1 − h_ij q_ij) (``escalation``: this year's), so a state whose crises escalate as
    often as at the start keeps its share on average (the estimate's intercept absorbs a state's
    usual conflict; the start is a rest point in expectation, not only in a year without war).
    Returns the share, and the run's base drivers and start fear (fixed in the first year).
    """
    threat = 1.0 - xp.exp(xp.matmul(xp.log1p(-hazard), c.incidence_i) + xp.matmul(xp.log1p(-hazard), c.incidence_j))
    scale = c.gdp0 / s.gdp / 1e6
    rho = xp.clip(g[:, 0:1], 0.0, MAX_PERSISTENCE)
    drive = g[:, 1:2] * threat + g[:, 2:3] * xp.log1p(friends * scale) + g[:, 3:4] * xp.log1p(foes * scale)
    base = y.first * drive + (1.0 - y.first) * s.base
    fear0 = y.first * fear + (1.0 - y.first) * s.fear0
    esc0 = y.first * escalation + (1.0 - y.first) * s.esc0
    last = y.first * esc0 + (1.0 - y.first) * s.escalated  # the start year: as expected
    anchor = c.share0 + (y.posture - c.posture0) + p.abandonment_reaction * (fear - fear0)
    anchor = xp.maximum(anchor, c.share_min)
    change = (1.0 - rho) * xp.log(anchor / s.share) + (drive - base) + g[:, 4:5] * (last - esc0)
    return xp.clip(s.share * xp.exp(change), c.share_min, c.share_max), base, fear0, esc0


def spending_residual(xp: Any, c: Constants, y: YearInputs, share: Array, z: Array) -> Array:
    """The spending equation's yearly residual: ln s_t += σ_i ε_it, ε ~ N(0, 1), σ_i the state's
    volatility (:mod:`alliancelab.estimation.volatility`); none in the start year, which is the record's."""
    return xp.clip(share * xp.exp((1.0 - y.first) * c.volatility * z), c.share_min, c.share_max)


def escalation_q(xp: Any, p: Params, c: Constants, y: YearInputs, C: Array) -> Array:
    """The chance that a crisis escalates, per pair: q0 (1 − θ_a max(anchor_i, anchor_j)) (1 − θ_T T)."""
    anchor = xp.clip(xp.matmul(C * y.commitment, c.defended_incidence), 0.0, 1.0)
    deter = xp.maximum(xp.matmul(anchor, c.gather_i), xp.matmul(anchor, c.gather_j))
    return p.escalation_base * (1.0 - p.escalation_deterrence * deter) * (1.0 - p.escalation_teeth * y.teeth)


def escalation_chance(xp: Any, p: Params, c: Constants, y: YearInputs, s: State, hazard: Array) -> Array:
    """Each state's chance of an escalated crisis this year, 1 − Π_j (1 − h_ij q_ij)."""
    safe = xp.log1p(-hazard * escalation_q(xp, p, c, y, s.credibility))
    return 1.0 - xp.exp(xp.matmul(safe, c.incidence_i) + xp.matmul(safe, c.incidence_j))


def partner_spending(xp: Any, p: Params, c: Constants, y: YearInputs, bias: Bias, s: State) -> tuple[Array, Array]:
    """What the estimated arms decision reads of others (last year's spending, US$):
    friends_i = Σ_l C_l W_l m_defender(l) over the links defending i; foes_i = Σ_j min(1, B_ij / H_r)
    · w_ij · m_ij · (1 − ρ anchor_j) · m_j over the pairs with a baseline hostility B (the
    scenario's rivalries, as the estimate's foes are TSS rivals), perceived as the balance of
    threat perceives capability (reach, TMD, reassurance, misperception and the restraint of
    anchored allies)."""
    friends = 0.0 * s.milex
    if y.commitment.shape[-1]:
        friends = xp.matmul(s.credibility * y.commitment * xp.matmul(s.milex, c.gather_defender), c.defended_incidence)
    rival = xp.minimum(y.baseline / p.rivalry_hostility, 1.0)
    foes = perceived_threat(xp, p, c, rival * xp.ones_like(s.hostility), bias, s.milex, s.credibility, y.commitment)
    return friends, foes


def step(
    xp: Any, p: Params, c: Constants, y: YearInputs, bias: Bias, s: State, e: Noise, coef: Coefficients | None = None
) -> tuple[State, Record]:
    """Advance every run of a block by one year. Pure: returns the new state and the record.

    ``bias`` is this year's :func:`perceptual_bias` (it changes only when institutions or
    levers change, so the engine may reuse it across years); ``coef`` each run's estimated
    coefficients (needed with ``equations = "estimated"``).
    """
    estimated = p.equations == "estimated"
    m = p.mechanisms
    dtype = s.gdp.dtype
    one = xp.asarray(1.0, dtype=dtype)
    gdp, K, C, S, H = s.gdp, s.capability, s.credibility, s.support, s.hostility

    # --- threat perception (balance of threat) and allied cover
    threat = perceived_threat(xp, p, c, H, bias, K, C, y.commitment)
    cov = cover(xp, K, C, y.commitment, y.cover_factor, c.defended_incidence, c.gather_defender, y.teeth_cover)
    net = threat - p.cover_weight * cov
    fear = abandonment_fear(xp, p, C, y.commitment, c.defended_incidence)

    # --- the estimated hazard comes first: this year's threat drives this year's spending
    if estimated:
        assert coef is not None, "the estimated equations need each run's coefficients"
        hazard_e = estimated_hazard(xp, p, c, y, coef.hazard, s)
        base, fear0, esc0 = s.base, s.fear0, s.esc0

    # --- arms decisions: Richardson (1960) with a budget; target, inertia and bounds
    if estimated:
        assert coef is not None
        friends, foes = partner_spending(xp, p, c, y, bias, s)
        if m.arms:
            pesc = escalation_chance(xp, p, c, y, s, hazard_e) if m.crises else 0.0 * s.share
            planned, base, fear0, esc0 = estimated_arms(
                xp, p, c, y, coef.spending, s, hazard_e, friends, foes, fear, pesc
            )
            share = spending_residual(xp, c, y, planned, e.residual)
        else:
            share = planned = s.share
    elif m.arms:
        target = c.grievance + y.posture + c.reaction * net / gdp + p.abandonment_reaction * fear
        target = target - p.burden * s.share
        share = planned = xp.clip(s.share + p.adjustment * (target - s.share), c.share_min, c.share_max)
    else:
        share = planned = s.share
    share = xp.where(y.effort > 0, y.effort, share)  # the `effort` lever holds a share
    planned = xp.where(y.effort > 0, y.effort, planned)
    milex = share * gdp
    growth_m = milex / s.milex - one

    # --- crises: logit hazard per pair (Bremer 1992; Oneal & Russett 1999)
    race = xp.maximum(xp.minimum(xp.matmul(growth_m, c.gather_i), xp.matmul(growth_m, c.gather_j)), 0.0)
    Ki = xp.matmul(K, c.gather_i)
    Kj = xp.matmul(K, c.gather_j)
    parity = xp.minimum(Ki, Kj) / xp.maximum(xp.maximum(Ki, Kj), 1e-9)
    if m.crises:
        if estimated:
            hazard = hazard_e
        else:
            z = y.hazard_static + p.hazard_hostility * H + p.hazard_race * race + p.hazard_parity * parity
            z = z + p.hazard_misperception * bias.inflation
            hazard = one / (one + xp.exp(-z))
        crisis = xp.astype(e.crisis < hazard, dtype)
        q = escalation_q(xp, p, c, y, C)
        # given a crisis, u / h is uniform on [0, 1): escalation iff u < h q
        escalation = xp.astype(e.crisis < hazard * q, dtype)
    else:
        crisis = xp.zeros_like(H)
        escalation = crisis
    crises = xp.matmul(crisis, c.pair_incidence)

    # --- alliances: credibility (Snyder 1984), crisis tests, entrapment
    if y.commitment.shape[0]:
        protege_crises = xp.matmul(crises, c.gather_defended)
        tested = xp.astype(protege_crises > 0, dtype) * xp.astype(y.commitment > 0, dtype)
        stands = xp.astype(e.stand < C, dtype)
        if m.alliances:
            target_c = credibility_target(
                xp, p, S, y.engagement_defender, y.presence, y.rma_gap, y.conflict, y.commitment
            )
            C_new = C + p.credibility_speed * (target_c - C)
            C_new = C_new + tested * (
                stands * p.crisis_support_gain * (one - C) - (one - stands) * p.crisis_support_loss * C
            )
            C_new = xp.clip(C_new, 0.0, 1.0)
        else:
            C_new = C
        drawn_in = tested * stands * protege_crises
        entrapment = xp.matmul(drawn_in * y.commitment, c.defender_incidence) if m.entrapment else 0.0 * crises
        if m.domestic:
            ratio = xp.matmul(share, c.gather_defended) / xp.matmul(share, c.gather_defender)
            net_d = xp.matmul(c.reaction * net / gdp, c.gather_defended)
            s_target = (
                c.support0
                + p.support_burden * (ratio - c.burden_ratio0)
                + p.support_threat * (net_d - c.net_threat0)
                - p.support_incidents * y.incidents
                + p.support_peacekeeping * y.peacekeeping_defended
            )
            S_new = S + p.support_speed * (s_target - S) + p.support_noise * e.support
            if m.entrapment:
                S_new = S_new - p.entrapment_cost * drawn_in
            S_new = xp.clip(S_new, 0.0, 1.0)
        else:
            S_new = S
    else:
        C_new, S_new, entrapment = C, S, 0.0 * crises

    # --- hostility: history, confidence building, the spiral, crises
    H_new = H + y.decay * (y.baseline - H)
    if m.spiral:  # a build-up as decided: the yearly residual is not read as one (an assumption)
        buildup = xp.maximum(planned / s.share - one, 0.0)
        H_new = H_new + p.spiral * H * xp.matmul(buildup, c.pair_incidence_t)
    H_new = H_new + (p.crisis_hostility * crisis + p.escalation_hostility * escalation) * (one - H)
    H_new = xp.clip(H_new, 0.0, 1.0)

    # --- economy and capability: perpetual inventory
    K_new = (one - c.depreciation) * K + milex
    # projected years carry the run's lasting deviation and a yearly shock; recorded ones neither
    drift = coef.growth if coef is not None else 0.0
    gdp_new = gdp * (one + y.growth + y.projected * (drift + p.growth_noise * e.growth)) if m.economy else gdp

    # --- regional indices: hostility-weighted co-growth; hostility beyond the baseline
    ari = xp.matmul(H * race, xp.ones_like(y.baseline)) / xp.maximum(xp.matmul(H, xp.ones_like(y.baseline)), 1e-6)
    rivals = xp.astype(y.baseline > 0, dtype)
    sdi = xp.matmul(xp.maximum(H - y.baseline, 0.0), rivals) / xp.maximum(xp.sum(rivals), one)
    record = Record(
        gdp=gdp,
        milex=milex,
        share=share,
        capability=K,
        threat=threat,
        net_threat=net,
        abandonment_fear=fear,
        entrapment=entrapment,
        crises=crises,
        hostility=H,
        crisis=crisis,
        escalation=escalation,
        credibility=C,
        support=S,
        arms_race_index=ari,
        security_dilemma_index=sdi,
    )
    peace = (s.peace + one) * (one - crisis)
    escalated = xp.astype(xp.matmul(escalation, c.pair_incidence) > 0, dtype)
    if not estimated:
        base, fear0, esc0 = s.base, s.fear0, s.esc0
    new = State(
        gdp=gdp_new,
        capability=K_new,
        share=share,
        milex=milex,
        hostility=H_new,
        credibility=C_new,
        support=S_new,
        peace=peace,
        escalated=escalated,
        base=base,
        fear0=fear0,
        esc0=esc0,
    )
    return new, record
