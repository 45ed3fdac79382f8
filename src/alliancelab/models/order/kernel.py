"""The order model's fused kernel: the yearly step, the region measures and the checks in one loop.

The NumPy step (:mod:`alliancelab.models.order.step`) is the reference; this module transcribes
the same equations into compiled helpers named like the step's functions (each names its
mechanism; ``docs/models/order.md`` gives them in full), called in one loop per span of runs, so
that no intermediate array ever leaves the cache. Runs are processed in tiles of :data:`TILE`
lanes: every per-run quantity is an array ``(feature, lane)`` and the innermost loops run over
lanes, which the compiler turns into SIMD instructions. The loops over actors, pairs and links
are fixed and small; there is no branch per run.

Each run's arithmetic is the same whatever tile or lane it sits in (strict float32: no
fast-math reassociation, no fused multiply-add contraction, no sum across lanes), so a run's
result depends only on ``(seed, run)``: it is identical whatever the number of runs, the chunking
or the number of threads. The random draws are made in place by the functions behind
:func:`~alliancelab.models.order.noise.block_draws`, which the NumPy and JAX backends use, so the
backends agree to float32 rounding (the logistic hazard uses :func:`exp32`, within 2 ulp of the
exact value; sums run in a different order than NumPy's matrix products).

Outputs are named slots of :class:`Outputs`, a named tuple built from the catalogue
(:data:`~alliancelab.models.order.outputs.OUTPUTS`); the checks' codes are the slots' indices.
The kernel writes its outputs straight into the final arrays, which are laid out year by year
(each year of a tile of runs is one contiguous stretch), and releases the GIL, so threads share
one set of output arrays.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from alliancelab.engine.random import key, normals, padded, uniforms
from alliancelab.engine.vecmath import exp32, log32, prefer_wide_vectors
from alliancelab.measures.order import OrderThresholds
from alliancelab.models.order.compile import Compiled, constants, year_stack
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
from alliancelab.models.order.noise import BIAS, COEF, COEFS, CRISIS, GROWTH, RESIDUAL, STAND, SUPPORT, TREND
from alliancelab.models.order.outputs import OUTPUTS
from alliancelab.models.order.params import Params
from alliancelab.models.order.region import great_power_context
from alliancelab.models.order.step import YearInputs

__all__ = ["SLOT", "TILE", "OrderKernel", "Outputs", "Prepared", "compiled", "prepare", "run_span"]

#: Runs per tile: the lane count of the kernel's inner loops (its arrays stay in L1/L2 cache).
TILE = 256

f32 = np.float32

#: One field per output, in the catalogue's order: the store's arrays, or a flag per output.
Outputs = namedtuple("Outputs", list(OUTPUTS))  # type: ignore[misc]
#: Each output's slot: its index in the catalogue (a failing check's code is slot + 1).
SLOT: Any = Outputs(*range(len(OUTPUTS)))


class Coefficients(NamedTuple):
    """The behavioural parameters the step reads, as float32 (as NumPy rounds them in the step)."""

    cover_weight: np.float32
    restraint: np.float32
    abandonment_reaction: np.float32
    burden: np.float32
    adjustment: np.float32
    hazard_hostility: np.float32
    hazard_race: np.float32
    hazard_parity: np.float32
    hazard_misperception: np.float32
    escalation_base: np.float32
    escalation_deterrence: np.float32
    escalation_teeth: np.float32
    credibility_base: np.float32
    credibility_presence: np.float32
    credibility_support: np.float32
    credibility_speed: np.float32
    crisis_support_gain: np.float32
    crisis_support_loss: np.float32
    rma_penalty: np.float32
    teeth_conflict: np.float32
    support_burden: np.float32
    support_threat: np.float32
    support_incidents: np.float32
    support_peacekeeping: np.float32
    support_speed: np.float32
    support_noise: np.float32
    entrapment_cost: np.float32
    spiral: np.float32
    crisis_hostility: np.float32
    escalation_hostility: np.float32
    growth_noise: np.float32
    credible_tie: np.float32
    rivalry_hostility: np.float32


class Thresholds(NamedTuple):
    """The order type's thresholds (:class:`~alliancelab.measures.order.OrderThresholds`) as float32."""

    hegemony_share: np.float32
    hub_centralization: np.float32
    bipolar_share: np.float32
    bipolar_parity: np.float32
    concert_hostility: np.float32
    concert_overlap: np.float32
    community_hostility: np.float32
    community_teeth: np.float32


class Switches(NamedTuple):
    """The mechanism switches the step branches on."""

    arms: bool
    abandonment: bool
    restraint: bool
    crises: bool
    alliances: bool
    entrapment: bool
    domestic: bool
    spiral: bool
    economy: bool
    estimated: bool


def coefficients(p: Params) -> Coefficients:
    return Coefficients(**{k: f32(getattr(p, k)) for k in Coefficients._fields})


def thresholds(t: OrderThresholds | None = None) -> Thresholds:
    values = (t or OrderThresholds()).model_dump()
    return Thresholds(**{k: f32(values[k]) for k in Thresholds._fields})


def switches(p: Params) -> Switches:
    flags = {k: bool(getattr(p.mechanisms, k)) for k in Switches._fields if k != "estimated"}
    return Switches(**flags, estimated=p.equations == "estimated")


class Static(NamedTuple):
    """Index arrays and per-year region inputs of a compiled scenario."""

    pair_i: np.ndarray  # (P,) int64
    pair_j: np.ndarray
    defended: np.ndarray  # (L,)
    defender: np.ndarray
    link_edge: np.ndarray  # (L,) the undirected alliance edge of each link
    edge_u: np.ndarray  # (E,)
    edge_v: np.ndarray
    great: np.ndarray  # (G,) the great powers (all states when fewer than two)
    gp_pairs: np.ndarray  # (Q,) pairs among them
    gp_overlap: np.ndarray  # (Y,) mean institutional overlap among great powers
    gp_teeth: np.ndarray  # (Y,) mean teeth among them
    changed: np.ndarray  # (Y,) bool: bias must be recomputed
    lo: np.ndarray  # (outputs,) lower bound of the check (−inf where none)
    hi: np.ndarray  # (outputs,) upper bound (+inf where none)


def _static(c: Compiled) -> Static:
    gp, pairs, overlap, teeth = great_power_context(c)
    edges = c.edge_incidence
    lo = np.array([-np.inf if o.low is None else o.low - 1e-4 for o in OUTPUTS.values()], np.float32)
    hi = np.array([np.inf if o.high is None else o.high + 1e-4 for o in OUTPUTS.values()], np.float32)
    return Static(
        pair_i=c.pair_i.astype(np.int64),
        pair_j=c.pair_j.astype(np.int64),
        defended=c.link_defended.astype(np.int64),
        defender=c.link_defender.astype(np.int64),
        link_edge=(c.link_edge.argmax(axis=1) if c.link_edge.size else np.zeros(c.n_links)).astype(np.int64),
        edge_u=np.array([np.flatnonzero(row)[0] for row in edges], np.int64),
        edge_v=np.array([np.flatnonzero(row)[1] for row in edges], np.int64),
        great=np.asarray(gp, np.int64),
        gp_pairs=pairs.astype(np.int64),
        gp_overlap=np.ascontiguousarray(overlap, np.float32),
        gp_teeth=np.ascontiguousarray(teeth, np.float32),
        changed=np.asarray(c.changed, np.bool_),
        lo=lo,
        hi=hi,
    )


def _empty(name: str) -> np.ndarray:
    group = OUTPUTS[name].group
    ndim = {"actor": 3, "alliance": 3, "dyad": 4, "region": 2}[group]
    return np.zeros((0,) * ndim, OUTPUTS[name].dtype)


class Prepared(NamedTuple):
    """Everything the kernel reads that is the same for every span of a simulation."""

    c: Compiled
    model: tuple[Any, ...]  # coefficients, thresholds, switches, constants, year inputs, static, start, law
    keep: Any  # Outputs of bool: written to the store
    checked: Any  # Outputs of bool: checked (as the NumPy backend checks)
    outs: Any  # Outputs of the store's arrays as laid out, (year, run, …)


#: What the checks always cover, besides the kept outputs and the region measures.
_ALWAYS_CHECKED = ("gdp", "share", "capability", "credibility")


def prepare(c: Compiled, p: Params, store: dict[str, np.ndarray], order: OrderThresholds | None = None) -> Prepared:
    """Arrange a compiled scenario, its parameters and the output arrays for :func:`run_span`.

    The checks cover what the NumPy backend records: the kept outputs, the state (GDP, share,
    capability, credibility) and the region measures.
    """
    model = (
        coefficients(p),
        thresholds(order or p.order_thresholds()),
        switches(p),
        constants(c),
        # one memory layout whatever the shape: a one-year stack is C- and F-contiguous at once,
        # and numba would compile another kernel for it (same values, same bits)
        YearInputs(*(np.ascontiguousarray(a) for a in year_stack(c))),
        _static(c),
        (c.gdp0, c.capability0, c.milex0, c.credibility0, c.peace0),
        (c.hazard_mean, c.hazard_chol, c.spending_mean, c.spending_chol),
    )
    return Prepared(
        c=c,
        model=model,
        keep=Outputs(*(n in store for n in OUTPUTS)),
        checked=Outputs(*(n in store or n in _ALWAYS_CHECKED or o.group == "region" for n, o in OUTPUTS.items())),
        outs=Outputs(*(np.swapaxes(store[n], 0, 1) if n in store else _empty(n) for n in OUTPUTS)),
    )


def compiled() -> bool:
    """Whether the kernel is compiled in this process or in numba's on-disk cache."""
    if _kernel.signatures:
        return True
    try:  # numba's per-function cache: an index valid for this source lists the compiled versions
        kernel: Any = _kernel
        return bool(kernel._cache._cache_file._load_index())
    except Exception:  # a numba without these internals: say nothing
        return True


def run_span(
    prep: Prepared, seed: int, first_run: int, runs: int, first_row: int, status: np.ndarray, fail_year: np.ndarray
) -> None:
    """Simulate runs ``first_run … first_run + runs − 1``; write them to rows ``first_row…``.

    Outputs go straight into the store's ``(run, year, …)`` arrays; ``status`` and
    ``fail_year`` (per row) receive each run's check result, with the NumPy backend's codes.
    The kernel makes its own draws (:mod:`alliancelab.models.order.noise`) and releases the
    GIL. A run's result depends only on the seed and its index, so any split into spans gives
    the same numbers.
    """
    k0, k1 = (np.uint64(k) for k in key(seed))
    kernel: Any = _kernel
    kernel(*prep.model, k0, k1, first_run, runs, first_row, TILE, prep.keep, prep.checked, prep.outs, status, fail_year)


# --- the compiled helpers, in the order a year runs them ------------------------------------
# Arrays are (feature, lane); ``nb`` is the number of lanes in use. Each helper is compiled once
# and inlined by LLVM where the kernel calls it: the split costs no speed (measured against the
# single-function kernel it replaced) and compiles faster than numba-level inlining (47 s cold
# against 74 s; the single function took 37 s).


@njit(cache=True, nogil=True, error_model="numpy")
def start_tile(
    gdp0: Any, K0: Any, milex0: Any, C0: Any, peace0: Any, support0: Any, baseline0: Any, s: Any, nb: int
) -> None:  # pragma: no cover
    """Every run of the tile starts from the compiled start-year state."""
    for i in range(gdp0.shape[0]):
        for b in range(nb):
            s.gdp[i, b] = gdp0[i]
            s.capability[i, b] = K0[i]
            s.share[i, b] = milex0[i] / gdp0[i]
            s.milex[i, b] = milex0[i]
            s.escalated[i, b] = f32(0.0)
            s.base[i, b] = f32(0.0)
            s.fear0[i, b] = f32(0.0)
            s.esc0[i, b] = f32(0.0)
    for q in range(baseline0.shape[0]):
        for b in range(nb):
            s.hostility[q, b] = baseline0[q]
            s.peace[q, b] = peace0[q]
    for m in range(C0.shape[0]):
        for b in range(nb):
            s.credibility[m, b] = C0[m]
            s.support[m, b] = support0[m]


@njit(cache=True, nogil=True, error_model="numpy")
def perceptual_bias(y: Any, t: int, zb: Any, a_ij: Any, a_ji: Any, infl: Any, nb: int) -> None:  # pragma: no cover
    """Misperception (Jervis 1976): m = exp(σ z − σ²/2), folded into the threat weights."""
    zero = f32(0.0)
    P = a_ij.shape[0]
    for q in range(P):
        sig = y.sigma[t, q]
        half = f32(0.5) * sig * sig
        wij = y.weight_ij[t, q]
        wji = y.weight_ji[t, q]
        zij, zji, aij, aji, infl_q = zb[q], zb[P + q], a_ij[q], a_ji[q], infl[q]
        for b in range(nb):
            aij[b] = wij * exp32(sig * zij[b] - half)
        for b in range(nb):
            aji[b] = wji * exp32(sig * zji[b] - half)
        for b in range(nb):
            infl_q[b] = sig * (max(zij[b], zero) + max(zji[b], zero))


@njit(cache=True, nogil=True, error_model="numpy")
def draw_coefficients(law: Any, zc: Any, beta: Any, gamma: Any, nb: int) -> None:  # pragma: no cover
    """Each run's estimated coefficients, b = b̂ + chol(V) z (:mod:`.estimated`)."""
    h_mean, h_chol, s_mean, s_chol = law
    H = h_mean.shape[0]
    for k in range(H):
        for b in range(nb):
            beta[k, b] = h_mean[k]
        for j in range(k + 1):
            ch = h_chol[k, j]
            for b in range(nb):
                beta[k, b] += ch * zc[j, b]
    for k in range(s_mean.shape[0]):
        for b in range(nb):
            gamma[k, b] = s_mean[k]
        for j in range(k + 1):
            ch = s_chol[k, j]
            for b in range(nb):
                gamma[k, b] += ch * zc[H + j, b]


@njit(cache=True, nogil=True, error_model="numpy")
def static_hazard(y: Any, t: int, beta: Any, zs: Any, nb: int) -> None:  # pragma: no cover
    """The run's linear predictor from the scenario's static facts (recomputed when they move)."""
    X = y.hazard_x
    for q in range(zs.shape[0]):
        zq = zs[q]
        for b in range(nb):
            zq[b] = f32(0.0)
        for k in range(len(STATIC_COLUMNS)):
            x = X[t, q, k]
            bk = beta[STATIC_COLUMNS[k]]
            for b in range(nb):
                zq[b] += bk[b] * x


@njit(cache=True, nogil=True, error_model="numpy")
def estimated_hazard(k: Any, c: Any, st: Any, s: Any, w: Any, nb: int) -> None:  # pragma: no cover
    """Stage 1 (step.estimated_hazard): static part, preponderance, rivalry, peace-years and
    their splines; fills w.hazard and each state's chance of any dispute, w.prob."""
    one = f32(1.0)
    pi, pj = st.pair_i, st.pair_j
    beta = w.beta
    top = c.spline.shape[0] - 1
    for i in range(w.prob.shape[0]):
        for b in range(nb):
            w.prob[i, b] = one
    for q in range(pi.shape[0]):
        pq, hist = s.peace[q], w.history[q]
        # the peace-years term first, on its own: its table lookup is a gather, which would keep
        # the compiler from vectorising the rest of the pair's loop
        for b in range(nb):
            row = int(min(pq[b], f32(top)))
            g = beta[PEACE_YEARS, b] * pq[b] + beta[SPLINE1, b] * c.spline[row, 0]
            hist[b] = g + beta[SPLINE2, b] * c.spline[row, 1] + beta[SPLINE3, b] * c.spline[row, 2]
        gi, gj, Hq, zq, haz = s.gdp[pi[q]], s.gdp[pj[q]], s.hostility[q], w.zs[q], w.hazard[q]
        si, sj = w.prob[pi[q]], w.prob[pj[q]]
        for b in range(nb):
            prep = max(gi[b], gj[b]) / (gi[b] + gj[b])
            rivalry = min(Hq[b] / k.rivalry_hostility, one)
            z = zq[b] + beta[PREPONDERANCE, b] * prep + beta[RIVALRY, b] * rivalry
            z = z + hist[b]
            h = one / (one + exp32(-z))
            haz[b] = h
            si[b] *= one - h
            sj[b] *= one - h
    for i in range(w.prob.shape[0]):
        for b in range(nb):
            w.prob[i, b] = one - w.prob[i, b]


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def escalation_probability(k: Any, anchor_i: Any, anchor_j: Any, teeth_q: Any) -> Any:  # pragma: no cover
    """q = q0 (1 − θ_a max(anchor_i, anchor_j)) (1 − θ_T T): a crisis escalates (step.escalation_q)."""
    return k.escalation_base * (np.float32(1.0) - k.escalation_deterrence * max(anchor_i, anchor_j)) * teeth_q


@njit(cache=True, nogil=True, error_model="numpy")
def escalation_chance(k: Any, sw: Any, y: Any, t: int, st: Any, w: Any, nb: int) -> None:  # pragma: no cover
    """Each state's chance of an escalated crisis this year (step.escalation_chance), from
    w.hazard and w.anchor; 0 with crises off. Fills w.pesc."""
    one = f32(1.0)
    zero = f32(0.0)
    for i in range(w.pesc.shape[0]):
        for b in range(nb):
            w.pesc[i, b] = one
    pi, pj = st.pair_i, st.pair_j
    for q in range(pi.shape[0]):
        ai, aj, haz, si, sj = w.anchor[pi[q]], w.anchor[pj[q]], w.hazard[q], w.pesc[pi[q]], w.pesc[pj[q]]
        teeth_q = one - k.escalation_teeth * y.teeth[t, q]
        for b in range(nb):
            keep = one - haz[b] * escalation_probability(k, ai[b], aj[b], teeth_q)
            si[b] *= keep
            sj[b] *= keep
    for i in range(w.pesc.shape[0]):
        for b in range(nb):
            w.pesc[i, b] = one - w.pesc[i, b] if sw.crises else zero


@njit(cache=True, nogil=True, error_model="numpy")
def partner_spending(k: Any, sw: Any, y: Any, t: int, st: Any, s: Any, w: Any, nb: int) -> None:  # pragma: no cover
    """Credible allies' and rivals' spending last year, as step.partner_spending; needs
    w.anchor from :func:`perceived_threat`. Fills w.friends and w.foes."""
    one = f32(1.0)
    zero = f32(0.0)
    milex, C = s.milex, s.credibility
    N = milex.shape[0]
    for i in range(N):
        for b in range(nb):
            w.friends[i, b] = zero
            w.foes[i, b] = zero
            w.disc[i, b] = milex[i, b] * (one - k.restraint * w.anchor[i, b]) if sw.restraint else milex[i, b]
    for m in range(st.defended.shape[0]):
        wt = y.commitment[t, m]
        d = st.defended[m]
        g = st.defender[m]
        for b in range(nb):
            w.friends[d, b] += C[m, b] * wt * milex[g, b]
    pi, pj = st.pair_i, st.pair_j
    for q in range(pi.shape[0]):
        r_ = min(y.baseline[t, q] / k.rivalry_hostility, one)
        fi, fj, di, dj, aij, aji = w.foes[pi[q]], w.foes[pj[q]], w.disc[pi[q]], w.disc[pj[q]], w.a_ij[q], w.a_ji[q]
        for b in range(nb):
            fi[b] += r_ * aij[b] * dj[b]
        for b in range(nb):
            fj[b] += r_ * aji[b] * di[b]


@njit(cache=True, nogil=True, error_model="numpy")
def perceived_threat(k: Any, sw: Any, y: Any, t: int, st: Any, s: Any, w: Any, nb: int) -> None:  # pragma: no cover
    """Balance of threat (Walt 1987) with the restraint of anchored allies; allied cover.

    Fills w.anchor, w.threat, w.cover, w.fear (its sum, before normalising) and w.weight.
    """
    one = f32(1.0)
    zero = f32(0.0)
    K, C, H = s.capability, s.credibility, s.hostility
    anchor, disc, threat, cov, fear, weight = w.anchor, w.disc, w.threat, w.cover, w.fear, w.weight
    N = K.shape[0]
    L = st.defended.shape[0]
    P = st.pair_i.shape[0]
    for i in range(N):
        for b in range(nb):
            anchor[i, b] = zero
            threat[i, b] = zero
            cov[i, b] = K[i, b]
            fear[i, b] = zero
        weight[i] = zero
        for j in range(N):  # collective defence among members with teeth
            tc = y.teeth_cover[t, i, j]
            if tc != zero:
                for b in range(nb):
                    cov[i, b] += tc * K[j, b]
    for m in range(L):
        wt = y.commitment[t, m]
        d = st.defended[m]
        g = st.defender[m]
        f = y.cover_factor[t, m]
        weight[d] += wt
        for b in range(nb):
            anchor[d, b] += C[m, b] * wt
            cov[d, b] += C[m, b] * wt * f * K[g, b]
            fear[d, b] += wt * (one - C[m, b])
    restrain = sw.restraint and L > 0
    for i in range(N):
        for b in range(nb):
            anchor[i, b] = min(max(anchor[i, b], zero), one)
        if restrain:
            for b in range(nb):
                disc[i, b] = K[i, b] * (one - k.restraint * anchor[i, b])
        else:
            for b in range(nb):
                disc[i, b] = K[i, b]
    pi, pj = st.pair_i, st.pair_j
    for q in range(P):
        ti, tj, di, dj, Hq, aij, aji = (
            threat[pi[q]],
            threat[pj[q]],
            disc[pi[q]],
            disc[pj[q]],
            H[q],
            w.a_ij[q],
            w.a_ji[q],
        )
        for b in range(nb):
            ti[b] += Hq[b] * aij[b] * dj[b]
        for b in range(nb):
            tj[b] += Hq[b] * aji[b] * di[b]


@njit(cache=True, nogil=True, error_model="numpy")
def estimated_arms(k: Any, c: Any, y: Any, t: int, s: Any, w: Any, nb: int) -> None:  # pragma: no cover
    """Stage 2 (step.estimated_arms): each state's share from the run's drivers, its start
    values fixed in year 0. Fills w.new_share (w.fear must be normalised)."""
    one = f32(1.0)
    zero = f32(0.0)
    g = w.gamma
    N = s.gdp.shape[0]
    for i in range(N):
        d_i, gdp_i, f_i, a_i, fear_i = w.drive[i], s.gdp[i], w.friends[i], w.foes[i], w.fear[i]
        for b in range(nb):
            scale = c.gdp0[i] / gdp_i[b] / f32(1e6)
            d = g[1, b] * w.prob[i, b] + g[2, b] * log32(one + f_i[b] * scale)
            d_i[b] = d + g[3, b] * log32(one + a_i[b] * scale)
        if t == 0:
            for b in range(nb):
                s.base[i, b] = d_i[b]
                s.fear0[i, b] = fear_i[b]
                s.esc0[i, b] = w.pesc[i, b]
                s.escalated[i, b] = w.pesc[i, b]  # the start year: as expected
        posture = y.posture[t, i] - c.posture0[i]
        base_i, fear0_i, share_i, esc_i, out_i = s.base[i], s.fear0[i], s.share[i], s.escalated[i], w.new_share[i]
        esc0_i = s.esc0[i]
        for b in range(nb):
            rho = min(max(g[0, b], zero), f32(MAX_PERSISTENCE))
            anchor = max(c.share0[i] + posture + k.abandonment_reaction * (fear_i[b] - fear0_i[b]), c.share_min[i])
            step_ = (one - rho) * log32(anchor / share_i[b]) + (d_i[b] - base_i[b]) + g[4, b] * (esc_i[b] - esc0_i[b])
            out_i[b] = min(max(share_i[b] * exp32(step_), c.share_min[i]), c.share_max[i])


@njit(cache=True, nogil=True, error_model="numpy")
def arms_decisions(
    k: Any, sw: Any, c: Any, y: Any, t: int, st: Any, s: Any, w: Any, e_resid: Any, nb: int
) -> None:  # pragma: no cover
    """Abandonment fear (Snyder 1984) and the arms decision (Richardson 1960, budgeted), with
    the estimated equation's yearly residual (step.spending_residual).

    Fills w.net, w.fear, w.new_share, w.new_milex, w.grow and w.buildup (the build-up as
    decided, before the residual); clears w.crises and w.entrap for the year.
    """
    one = f32(1.0)
    zero = f32(0.0)
    gdp, share, milex = s.gdp, s.share, s.milex
    net, fear, new_share, new_milex = w.net, w.fear, w.new_share, w.new_milex
    afraid = sw.abandonment and st.defended.shape[0] > 0
    for i in range(gdp.shape[0]):
        wsum = max(w.weight[i], f32(1e-6))
        g_ = c.grievance[i] + y.posture[t, i]
        for b in range(nb):
            net[i, b] = w.threat[i, b] - k.cover_weight * w.cover[i, b]
            fear[i, b] = fear[i, b] / wsum if afraid else zero
            if sw.arms and not sw.estimated:
                target = g_ + c.reaction[i] * net[i, b] / gdp[i, b] + k.abandonment_reaction * fear[i, b]
                target = target - k.burden * share[i, b]
                s_ = share[i, b] + k.adjustment * (target - share[i, b])
                new_share[i, b] = min(max(s_, c.share_min[i]), c.share_max[i])
            else:
                new_share[i, b] = share[i, b]
    residual = sw.arms and sw.estimated and t > 0
    if sw.arms and sw.estimated:
        estimated_arms(k, c, y, t, s, w, nb)
    for i in range(gdp.shape[0]):
        held = y.effort[t, i]
        if held > zero:  # the `effort` lever holds the share
            for b in range(nb):
                new_share[i, b] = held
        for b in range(nb):
            w.buildup[i, b] = max(new_share[i, b] / share[i, b] - one, zero)
        sd = c.volatility[i]
        if residual and held <= zero and sd > zero:
            lo, hi, e_i, ns_i = c.share_min[i], c.share_max[i], e_resid[i], new_share[i]
            for b in range(nb):
                ns_i[b] = min(max(ns_i[b] * exp32(sd * e_i[b]), lo), hi)
        for b in range(nb):
            new_milex[i, b] = new_share[i, b] * gdp[i, b]
            w.grow[i, b] = new_milex[i, b] / milex[i, b] - one
            w.crises[i, b] = zero
            w.entrap[i, b] = zero


@njit(cache=True, nogil=True, error_model="numpy")
def crisis_hazard(k: Any, sw: Any, y: Any, t: int, st: Any, s: Any, w: Any, nb: int) -> None:  # pragma: no cover
    """The logit hazard per pair (Bremer 1992; Oneal & Russett 1999): static terms, hostility,
    the arms race, parity and misperception. Fills w.race, and w.hazard unless the estimated
    hazard has filled it."""
    one = f32(1.0)
    zero = f32(0.0)
    K, H = s.capability, s.hostility
    pi, pj = st.pair_i, st.pair_j
    for q in range(pi.shape[0]):
        Ki, Kj, gi, gj, Hq = K[pi[q]], K[pj[q]], w.grow[pi[q]], w.grow[pj[q]], H[q]
        race_q, haz_q, infl_q = w.race[q], w.hazard[q], w.inflation[q]
        hs = y.hazard_static[t, q]
        if sw.estimated:
            for b in range(nb):
                race_q[b] = max(min(gi[b], gj[b]), zero)
            continue
        for b in range(nb):
            r_ = max(min(gi[b], gj[b]), zero)
            race_q[b] = r_
            parity = min(Ki[b], Kj[b]) / max(max(Ki[b], Kj[b]), f32(1e-9))
            z = hs + k.hazard_hostility * Hq[b] + k.hazard_race * r_ + k.hazard_parity * parity
            z = z + k.hazard_misperception * infl_q[b]
            haz_q[b] = one / (one + exp32(-z))


@njit(cache=True, nogil=True, error_model="numpy")
def crises(k: Any, sw: Any, y: Any, t: int, st: Any, w: Any, u: Any, nb: int) -> None:  # pragma: no cover
    """A crisis iff u < h; escalation iff u < h q, where q falls with allied deterrence and the
    teeth of shared institutions. Fills w.crisis, w.escalation and each state's w.crises."""
    one = f32(1.0)
    zero = f32(0.0)
    pi, pj = st.pair_i, st.pair_j
    P = pi.shape[0]
    for q in range(P):
        ai, aj, u_q, haz_q, cr_q, es_q = (
            w.anchor[pi[q]],
            w.anchor[pj[q]],
            u[q],
            w.hazard[q],
            w.crisis[q],
            w.escalation[q],
        )
        teeth_q = one - k.escalation_teeth * y.teeth[t, q]
        if sw.crises:
            for b in range(nb):
                qq = escalation_probability(k, ai[b], aj[b], teeth_q)
                cr_q[b] = one if u_q[b] < haz_q[b] else zero
                es_q[b] = one if u_q[b] < haz_q[b] * qq else zero
        else:
            for b in range(nb):
                cr_q[b] = zero
                es_q[b] = zero
    for q in range(P):
        ci, cj, cr_q = w.crises[pi[q]], w.crises[pj[q]], w.crisis[q]
        for b in range(nb):
            ci[b] += cr_q[b]
        for b in range(nb):
            cj[b] += cr_q[b]


@njit(cache=True, nogil=True, error_model="numpy")
def hostility(k: Any, sw: Any, y: Any, t: int, st: Any, s: Any, w: Any, nb: int) -> None:  # pragma: no cover
    """The pair's hostility next year: history and confidence building (decay to the
    baseline), the spiral (Jervis 1976) and crises. Fills w.hostility."""
    one = f32(1.0)
    zero = f32(0.0)
    pi, pj = st.pair_i, st.pair_j
    for q in range(pi.shape[0]):
        bi, bj, Hq, cr_q, es_q, hn_q = (
            w.buildup[pi[q]],
            w.buildup[pj[q]],
            s.hostility[q],
            w.crisis[q],
            w.escalation[q],
            w.hostility[q],
        )
        dec = y.decay[t, q]
        bl = y.baseline[t, q]
        spiral = k.spiral if sw.spiral else zero
        for b in range(nb):
            h = Hq[b]
            hn = h + dec * (bl - h)
            if sw.spiral:
                hn = hn + spiral * h * (bi[b] + bj[b])
            hn = hn + (k.crisis_hostility * cr_q[b] + k.escalation_hostility * es_q[b]) * (one - h)
            hn_q[b] = min(max(hn, zero), one)


@njit(cache=True, nogil=True, error_model="numpy")
def regional_indices(y: Any, t: int, s: Any, w: Any, r: Any, n_rivals: Any, nb: int) -> None:  # pragma: no cover
    """Hostility-weighted co-growth of rivals' spending (the arms-race index) and the mean
    hostility beyond the historical baseline (the security-dilemma index)."""
    one = f32(1.0)
    zero = f32(0.0)
    ari, sdi, hsum = r.arms_race, r.dilemma, r.hostility_sum
    for b in range(nb):
        ari[0, b] = zero
        sdi[0, b] = zero
        hsum[b] = zero
    for q in range(s.hostility.shape[0]):
        Hq, race_q = s.hostility[q], w.race[q]
        bl = y.baseline[t, q]
        rival = one if bl > zero else zero
        for b in range(nb):
            ari[0, b] += Hq[b] * race_q[b]
            hsum[b] += Hq[b]
        for b in range(nb):
            sdi[0, b] += max(Hq[b] - bl, zero) * rival
    for b in range(nb):
        ari[0, b] = ari[0, b] / max(hsum[b], f32(1e-6))
        sdi[0, b] = sdi[0, b] / n_rivals[t]


@njit(cache=True, nogil=True, error_model="numpy")
def alliances(
    k: Any, sw: Any, c: Any, y: Any, t: int, st: Any, s: Any, w: Any, e_stand: Any, e_support: Any, nb: int
) -> None:  # pragma: no cover
    """Credibility (Snyder 1984) and its crisis tests, entrapment, and domestic support for
    each alliance. Fills w.credibility, w.support and each patron's w.entrap."""
    one = f32(1.0)
    zero = f32(0.0)
    C, S = s.credibility, s.support
    for m in range(st.defended.shape[0]):
        wt = y.commitment[t, m]
        d = st.defended[m]
        g = st.defender[m]
        eng = y.engagement_defender[t, m]
        rma = one - k.rma_penalty * y.rma_gap[t, m]
        conf = one - k.teeth_conflict * y.conflict[t, m]
        in_force = one if wt > zero else zero
        for b in range(nb):
            pc = w.crises[d, b]
            tested = (one if pc > zero else zero) * in_force
            stands = one if e_stand[m, b] < C[m, b] else zero
            if sw.alliances:
                bs = (
                    k.credibility_base
                    + k.credibility_presence * y.presence[t, m]
                    + k.credibility_support * (S[m, b] - f32(0.5))
                )
                tgt = min(max(eng * bs * rma * conf, zero), one) * in_force
                cn = C[m, b] + k.credibility_speed * (tgt - C[m, b])
                cn = cn + tested * (
                    stands * k.crisis_support_gain * (one - C[m, b]) - (one - stands) * k.crisis_support_loss * C[m, b]
                )
                w.credibility[m, b] = min(max(cn, zero), one)
            else:
                w.credibility[m, b] = C[m, b]
            drawn_in = tested * stands * pc
            if sw.entrapment:
                w.entrap[g, b] += drawn_in * wt
            if sw.domestic:
                ratio = w.new_share[d, b] / w.new_share[g, b]
                net_d = c.reaction[d] * w.net[d, b] / s.gdp[d, b]
                s_t = (
                    c.support0[m]
                    + k.support_burden * (ratio - c.burden_ratio0[m])
                    + k.support_threat * (net_d - c.net_threat0[m])
                    - k.support_incidents * y.incidents[t, m]
                    + k.support_peacekeeping * y.peacekeeping_defended[t, m]
                )
                sn = S[m, b] + k.support_speed * (s_t - S[m, b]) + k.support_noise * e_support[m, b]
                if sw.entrapment:
                    sn = sn - k.entrapment_cost * drawn_in
                w.support[m, b] = min(max(sn, zero), one)
            else:
                w.support[m, b] = S[m, b]


@njit(cache=True, nogil=True, error_model="numpy")
def capability_distribution(st: Any, s: Any, w: Any, r: Any, nb: int) -> None:  # pragma: no cover
    """The crisis count, and the great powers' shares of this year's military spending (Ray &
    Singer 1973): concentration and the effective number of poles; the two largest shares and
    the leading power for the order."""
    one = f32(1.0)
    zero = f32(0.0)
    K = w.new_milex
    tot, first, second = r.total, r.first, r.second
    G = st.great.shape[0]
    for b in range(nb):
        r.count[0, b] = zero
        tot[b] = zero
        first[b] = zero
        second[b] = zero
        r.concentration[0, b] = zero
        r.leader[b] = st.great[0] if G > 0 else 0
    for i in range(K.shape[0]):
        for b in range(nb):
            r.count[0, b] += w.crises[i, b]
    for g in range(G):
        gi = st.great[g]
        for b in range(nb):
            tot[b] += K[gi, b]
    for b in range(nb):
        tot[b] = max(tot[b], f32(1e-30))
    for g in range(G):
        gi = st.great[g]
        for b in range(nb):
            s_ = K[gi, b] / tot[b]
            r.concentration[0, b] += s_ * s_  # the Herfindahl sum, for now
            if s_ > first[b]:
                r.leader[b] = gi
            lower = min(first[b], s_)
            first[b] = max(first[b], s_)
            second[b] = max(second[b], lower)
    inv = one / f32(max(G, 1))
    for b in range(nb):
        hhi = r.concentration[0, b]
        r.poles[0, b] = one / hhi
        r.concentration[0, b] = np.sqrt(min(max((hhi - inv) / (one - inv), zero), one)) if G >= 2 else one


@njit(cache=True, nogil=True, error_model="numpy")
def centralization(k: Any, y: Any, t: int, st: Any, s: Any, r: Any, nb: int) -> None:  # pragma: no cover
    """Freeman (1979) centralization of the credible alliance network (isolates dropped)."""
    one = f32(1.0)
    zero = f32(0.0)
    edge, deg, n_tied, top, cent = r.edge, r.degree, r.tied, r.top, r.centralization
    for e in range(edge.shape[0]):
        for b in range(nb):
            edge[e, b] = zero
    for m in range(st.defended.shape[0]):
        wt = y.commitment[t, m]
        e = st.link_edge[m]
        for b in range(nb):
            if s.credibility[m, b] * wt >= k.credible_tie:
                edge[e, b] = one
    N = deg.shape[0]
    for i in range(N):
        for b in range(nb):
            deg[i, b] = zero
    for e in range(edge.shape[0]):
        eu = st.edge_u[e]
        ev = st.edge_v[e]
        for b in range(nb):
            deg[eu, b] += edge[e, b]
            deg[ev, b] += edge[e, b]
    for b in range(nb):
        n_tied[b] = zero
        top[b] = zero
        cent[0, b] = zero
    for i in range(N):
        for b in range(nb):
            n_tied[b] += one if deg[i, b] > zero else zero
            top[b] = max(top[b], deg[i, b])
    for i in range(N):
        for b in range(nb):
            if deg[i, b] > zero:
                cent[0, b] += top[b] - deg[i, b]
    for b in range(nb):
        n_ = n_tied[b]
        cent[0, b] = cent[0, b] / max((n_ - one) * (n_ - f32(2.0)), one) if n_ >= f32(3.0) else zero


@njit(cache=True, nogil=True, error_model="numpy")
def order_type(th: Any, t: int, st: Any, s: Any, r: Any, nb: int) -> None:  # pragma: no cover
    """The regional order type (:func:`~alliancelab.measures.order.classify_order`)."""
    host = r.host
    for b in range(nb):
        host[b] = f32(0.0)
    for qq in range(st.gp_pairs.shape[0]):
        gq = st.gp_pairs[qq]
        for b in range(nb):
            host[b] = max(host[b], s.hostility[gq, b])
    concert_ok = st.gp_overlap[t] >= th.concert_overlap
    community_ok = st.gp_teeth[t] >= th.community_teeth
    first, second, cent = r.first, r.second, r.centralization
    for b in range(nb):
        kind = 1
        if first[b] + second[b] >= th.bipolar_share and second[b] >= th.bipolar_parity * first[b]:
            kind = 2
        hub = r.top[b] > f32(0.0) and r.degree[r.leader[b], b] >= r.top[b]  # the leader is the hub
        if first[b] >= th.hegemony_share and cent[0, b] >= th.hub_centralization and hub:
            kind = 0
        if concert_ok and host[b] < th.concert_hostility:
            kind = 3
        if community_ok and host[b] < th.community_hostility:
            kind = 4
        r.order[b] = kind


@njit(cache=True, nogil=True, error_model="numpy")
def _mark(
    code: Any, when: Any, bad: Any, t: int, o: int, a: Any, lo: Any, hi: Any, nb: int
) -> None:  # pragma: no cover
    """Flag lanes where a value of output slot ``o`` in ``a`` (feature, lane) is not finite or
    leaves [lo, hi]; the first output flagged (in catalogue order) in the first such year is
    the code, as in the NumPy backend's check."""
    for b in range(nb):
        bad[b] = False
    for i in range(a.shape[0]):
        for b in range(nb):
            v = a[i, b]
            bad[b] |= not (v >= lo[o] and v <= hi[o] and v < np.inf)
    for b in range(nb):
        if code[b] == 0 and bad[b]:
            code[b] = o + 1
            when[b] = t


@njit(cache=True, nogil=True, error_model="numpy")
def checks(
    checked: Any, st: Any, t: int, s: Any, w: Any, r: Any, code: Any, when: Any, bad: Any, nb: int
) -> None:  # pragma: no cover
    """The first failing output (in catalogue order) of the first failing year, per run."""
    lo, hi = st.lo, st.hi
    if checked.gdp:
        _mark(code, when, bad, t, SLOT.gdp, s.gdp, lo, hi, nb)
    if checked.milex:
        _mark(code, when, bad, t, SLOT.milex, w.new_milex, lo, hi, nb)
    if checked.share:
        _mark(code, when, bad, t, SLOT.share, w.new_share, lo, hi, nb)
    if checked.capability:
        _mark(code, when, bad, t, SLOT.capability, s.capability, lo, hi, nb)
    if checked.threat:
        _mark(code, when, bad, t, SLOT.threat, w.threat, lo, hi, nb)
    if checked.net_threat:
        _mark(code, when, bad, t, SLOT.net_threat, w.net, lo, hi, nb)
    if checked.abandonment_fear:
        _mark(code, when, bad, t, SLOT.abandonment_fear, w.fear, lo, hi, nb)
    if checked.entrapment:
        _mark(code, when, bad, t, SLOT.entrapment, w.entrap, lo, hi, nb)
    if checked.credibility:
        _mark(code, when, bad, t, SLOT.credibility, s.credibility, lo, hi, nb)
    if checked.support:
        _mark(code, when, bad, t, SLOT.support, s.support, lo, hi, nb)
    if checked.hostility:
        _mark(code, when, bad, t, SLOT.hostility, s.hostility, lo, hi, nb)
    if checked.arms_race_index:
        _mark(code, when, bad, t, SLOT.arms_race_index, r.arms_race, lo, hi, nb)
    if checked.security_dilemma_index:
        _mark(code, when, bad, t, SLOT.security_dilemma_index, r.dilemma, lo, hi, nb)
    if checked.concentration:
        _mark(code, when, bad, t, SLOT.concentration, r.concentration, lo, hi, nb)
    if checked.effective_poles:
        _mark(code, when, bad, t, SLOT.effective_poles, r.poles, lo, hi, nb)
    if checked.centralization:
        _mark(code, when, bad, t, SLOT.centralization, r.centralization, lo, hi, nb)


@njit(cache=True, nogil=True, error_model="numpy")
def _store(dst: Any, a: Any, nb: int) -> None:  # pragma: no cover - compiled
    """dst[b, i] = a[i, b] for the tile's lanes (a (feature, lane) block into (run, feature))."""
    for b in range(nb):
        for i in range(a.shape[0]):
            dst[b, i] = a[i, b]


@njit(cache=True, nogil=True, error_model="numpy")
def _store_pairs(dst: Any, a: Any, pi: Any, pj: Any, nb: int) -> None:  # pragma: no cover - compiled
    """dst[b, i, j] = dst[b, j, i] = a[pair (i, j), b]: pair form into the symmetric matrix."""
    for b in range(nb):
        for q in range(a.shape[0]):
            dst[b, pi[q], pj[q]] = a[q, b]
            dst[b, pj[q], pi[q]] = a[q, b]


@njit(cache=True, nogil=True, error_model="numpy")
def _store_row(dst: Any, a: Any, nb: int) -> None:  # pragma: no cover - compiled
    for b in range(nb):
        dst[b] = a[b]


@njit(cache=True, nogil=True, error_model="numpy")
def records(
    keep: Any, outs: Any, st: Any, t: int, rows: Any, s: Any, w: Any, r: Any, nb: int
) -> None:  # pragma: no cover
    """This year's values into the kept outputs' arrays, laid out (year, run, …)."""
    pi, pj = st.pair_i, st.pair_j
    if keep.gdp:
        _store(outs.gdp[t, rows], s.gdp, nb)
    if keep.milex:
        _store(outs.milex[t, rows], w.new_milex, nb)
    if keep.share:
        _store(outs.share[t, rows], w.new_share, nb)
    if keep.capability:
        _store(outs.capability[t, rows], s.capability, nb)
    if keep.threat:
        _store(outs.threat[t, rows], w.threat, nb)
    if keep.net_threat:
        _store(outs.net_threat[t, rows], w.net, nb)
    if keep.abandonment_fear:
        _store(outs.abandonment_fear[t, rows], w.fear, nb)
    if keep.entrapment:
        _store(outs.entrapment[t, rows], w.entrap, nb)
    if keep.crises:
        _store(outs.crises[t, rows], w.crises, nb)
    if keep.credibility:
        _store(outs.credibility[t, rows], s.credibility, nb)
    if keep.support:
        _store(outs.support[t, rows], s.support, nb)
    if keep.hostility:
        _store_pairs(outs.hostility[t, rows], s.hostility, pi, pj, nb)
    if keep.crisis:
        _store_pairs(outs.crisis[t, rows], w.crisis, pi, pj, nb)
    if keep.escalation:
        _store_pairs(outs.escalation[t, rows], w.escalation, pi, pj, nb)
    if keep.arms_race_index:
        _store_row(outs.arms_race_index[t, rows], r.arms_race[0], nb)
    if keep.security_dilemma_index:
        _store_row(outs.security_dilemma_index[t, rows], r.dilemma[0], nb)
    if keep.crisis_count:
        dst = outs.crisis_count[t, rows]
        for b in range(nb):
            dst[b] = np.int16(r.count[0, b]) // np.int16(2)
    if keep.concentration:
        _store_row(outs.concentration[t, rows], r.concentration[0], nb)
    if keep.effective_poles:
        _store_row(outs.effective_poles[t, rows], r.poles[0], nb)
    if keep.centralization:
        _store_row(outs.centralization[t, rows], r.centralization[0], nb)
    if keep.order:
        _store_row(outs.order[t, rows], r.order, nb)


@njit(cache=True, nogil=True, error_model="numpy")
def economy(
    k: Any, sw: Any, c: Any, y: Any, t: int, st: Any, s: Any, w: Any, e_growth: Any, drift: Any, nb: int
) -> None:  # pragma: no cover
    """Capability by perpetual inventory; GDP grows with the scenario's rate, and in projected
    years with the run's lasting deviation and the year's shock; this year's spending and dispute
    history become the state."""
    one = f32(1.0)
    K, gdp = s.capability, s.gdp
    for i in range(K.shape[0]):
        dep = one - c.depreciation[i]
        gr = y.growth[t, i]
        proj = y.projected[t, i]
        for b in range(nb):
            K[i, b] = dep * K[i, b] + w.new_milex[i, b]
            if sw.economy:
                gdp[i, b] = gdp[i, b] * (one + gr + proj * (drift[i, b] + k.growth_noise * e_growth[i, b]))
            s.share[i, b] = w.new_share[i, b]
            s.milex[i, b] = w.new_milex[i, b]
            s.escalated[i, b] = f32(0.0)
    pi, pj = st.pair_i, st.pair_j
    for q in range(pi.shape[0]):  # dispute history: peace-years, last year's escalated crises
        pq, cq, eq, ei, ej = s.peace[q], w.crisis[q], w.escalation[q], s.escalated[pi[q]], s.escalated[pj[q]]
        for b in range(nb):
            pq[b] = (pq[b] + one) * (one - cq[b])
            ei[b] = max(ei[b], eq[b])
            ej[b] = max(ej[b], eq[b])


class _State(NamedTuple):
    """A tile's state (feature, lane): what carries from one year to the next."""

    gdp: Any
    capability: Any
    share: Any
    milex: Any
    hostility: Any
    credibility: Any
    support: Any
    peace: Any  # years since the pair's last crisis
    escalated: Any  # 1 if the state had an escalated crisis last year
    base: Any  # the estimated arms decision's drivers in year 0
    fear0: Any  # abandonment fear in year 0
    esc0: Any  # the chance of an escalated crisis in year 0


class _Work(NamedTuple):
    """A tile's values of one year (feature, lane); hostility, credibility and support are the
    next year's, swapped into the state at the year's end."""

    a_ij: Any  # threat weight of j seen by i, times the perceptual bias
    a_ji: Any
    inflation: Any  # σ (z_ij⁺ + z_ji⁺)
    anchor: Any
    disc: Any  # capability discounted by the restraint of anchored allies
    threat: Any
    cover: Any
    fear: Any
    weight: Any  # (N,) commitment weight defending each state
    net: Any
    new_share: Any
    new_milex: Any
    grow: Any
    buildup: Any
    crises: Any
    entrap: Any
    crisis: Any
    race: Any
    hazard: Any
    escalation: Any
    hostility: Any
    credibility: Any
    support: Any
    beta: Any  # (15, lane) the run's hazard coefficients
    gamma: Any  # (5, lane) the run's spending coefficients
    zs: Any  # (P, lane) the hazard's static part
    prob: Any  # (N, lane) chance of any dispute this year
    friends: Any
    foes: Any
    history: Any  # (P, lane) the hazard's peace-years term
    drive: Any  # (N, lane) the spending equation's drivers this year
    pesc: Any  # (N, lane) the chance of an escalated crisis (computed in year 0)


class _Region(NamedTuple):
    """A tile's region measures ((1, lane) rows, checked and stored like outputs) and scratch."""

    arms_race: Any
    dilemma: Any
    count: Any
    concentration: Any
    poles: Any
    centralization: Any
    order: Any
    hostility_sum: Any
    total: Any
    first: Any
    second: Any
    host: Any
    tied: Any
    top: Any
    edge: Any
    degree: Any
    leader: Any  # (lane,) the great power with the largest share


@njit(cache=True, nogil=True, error_model="numpy")
def _next_year(s: Any, w: Any) -> tuple[Any, Any]:  # pragma: no cover - compiled
    """Swap the next year's hostility, credibility and support into the state."""
    state = _State(
        s.gdp, s.capability, s.share, s.milex, w.hostility, w.credibility, w.support, s.peace, s.escalated,
        s.base, s.fear0, s.esc0,
    )  # fmt: skip
    work = _Work(
        w.a_ij, w.a_ji, w.inflation, w.anchor, w.disc, w.threat, w.cover, w.fear, w.weight, w.net,
        w.new_share, w.new_milex, w.grow, w.buildup, w.crises, w.entrap, w.crisis, w.race, w.hazard,
        w.escalation, s.hostility, s.credibility, s.support, w.beta, w.gamma, w.zs, w.prob, w.friends, w.foes,
        w.history, w.drive, w.pesc,
    )  # fmt: skip
    return state, work


@njit(cache=True, nogil=True, error_model="numpy")
def _kernel(
    k: Any,
    th: Any,
    sw: Any,
    c: Any,
    y: Any,
    st: Any,
    start: Any,
    law: Any,
    k0: Any,
    k1: Any,
    run0: int,
    runs: int,
    row0: int,
    tile: int,
    keep: Any,
    checked: Any,
    outs: Any,
    status: Any,
    fail_year: Any,
) -> None:  # pragma: no cover - compiled
    """Simulate ``runs`` runs from ``run0`` in tiles of ``tile`` lanes; write rows ``row0…``.

    k: coefficients, th: order thresholds, sw: switches, c: constants, y: year inputs, st: static
    indices and bounds, start: start-year values, law: the estimated coefficients' law,
    (k0, k1): the Philox key.
    """
    prefer_wide_vectors()  # type: ignore[call-arg]
    gdp0, K0, milex0, C0, peace0 = start
    Y = y.growth.shape[0]
    N = gdp0.shape[0]
    P = st.pair_i.shape[0]
    L = st.defended.shape[0]
    E = st.edge_u.shape[0]
    T = tile

    def lanes(rows: int) -> Any:
        return np.empty((rows, T), np.float32)

    s = _State(
        lanes(N), lanes(N), lanes(N), lanes(N), lanes(P), lanes(L), lanes(L), lanes(P), lanes(N), lanes(N), lanes(N),
        lanes(N),
    )  # fmt: skip
    w = _Work(
        lanes(P), lanes(P), lanes(P), lanes(N), lanes(N), lanes(N), lanes(N), lanes(N), np.empty(N, np.float32),
        lanes(N), lanes(N), lanes(N), lanes(N), lanes(N), lanes(N), lanes(N), lanes(P), lanes(P), lanes(P),
        lanes(P), lanes(P), lanes(L), lanes(L), lanes(law[0].shape[0]), lanes(law[2].shape[0]), lanes(P),
        lanes(N), lanes(N), lanes(N), lanes(P), lanes(N), lanes(N),
    )  # fmt: skip
    r = _Region(
        lanes(1), lanes(1), lanes(1), lanes(1), lanes(1), lanes(1), np.empty(T, np.int8), np.empty(T, np.float32),
        np.empty(T, np.float32), np.empty(T, np.float32), np.empty(T, np.float32), np.empty(T, np.float32),
        np.empty(T, np.float32), np.empty(T, np.float32), lanes(E), lanes(N), np.zeros(T, np.int64),
    )  # fmt: skip
    # the draws: the perceptual bias (once per run), this year's shocks
    zb = lanes(padded(2 * P))
    u = lanes(padded(P))
    e_growth = lanes(padded(N + 1))
    e_stand = lanes(padded(L))
    e_support = lanes(padded(L + 1))
    e_resid = lanes(padded(N + 1))
    zt = lanes(padded(N + 1))
    drift = np.zeros((N, T), np.float32)  # each run's lasting deviation from the projected growth
    drifting = False
    for i in range(N):
        drifting |= c.growth_drift[i] > f32(0.0)
    zc = lanes(padded(COEFS))
    bad = np.empty(T, np.bool_)
    code = np.zeros(T, np.int8)
    when = np.full(T, -1, np.int32)

    n_rivals = np.zeros(Y, np.float32)
    for t in range(Y):
        for q in range(P):
            if y.baseline[t, q] > f32(0.0):
                n_rivals[t] += f32(1.0)
        n_rivals[t] = max(n_rivals[t], f32(1.0))

    for t0 in range(0, runs, T):
        nb = min(T, runs - t0)
        r0 = run0 + t0
        start_tile(gdp0, K0, milex0, C0, peace0, c.support0, y.baseline[0], s, nb)
        for b in range(nb):
            code[b] = 0
            when[b] = -1
        normals(zb, 2 * P, BIAS, 0, r0, nb, k0, k1)
        if sw.estimated:
            normals(zc, COEFS, COEF, 0, r0, nb, k0, k1)
            draw_coefficients(law, zc, w.beta, w.gamma, nb)
        if drifting:
            normals(zt, N + N % 2, TREND, 0, r0, nb, k0, k1)
            for i in range(N):
                for b in range(nb):
                    drift[i, b] = c.growth_drift[i] * zt[i, b]

        for t in range(Y):
            uniforms(u, P, CRISIS, t, r0, nb, k0, k1)
            normals(e_growth, N + N % 2, GROWTH, t, r0, nb, k0, k1)
            uniforms(e_stand, L, STAND, t, r0, nb, k0, k1)
            normals(e_support, L + L % 2, SUPPORT, t, r0, nb, k0, k1)
            if sw.estimated and sw.arms:
                normals(e_resid, N + N % 2, RESIDUAL, t, r0, nb, k0, k1)
            if t == 0 or st.changed[t]:
                perceptual_bias(y, t, zb, w.a_ij, w.a_ji, w.inflation, nb)
            if sw.estimated:
                if t == 0 or st.changed[t]:
                    static_hazard(y, t, w.beta, w.zs, nb)
                estimated_hazard(k, c, st, s, w, nb)
            perceived_threat(k, sw, y, t, st, s, w, nb)
            if sw.estimated:
                partner_spending(k, sw, y, t, st, s, w, nb)
                if t == 0:
                    escalation_chance(k, sw, y, t, st, w, nb)
            arms_decisions(k, sw, c, y, t, st, s, w, e_resid, nb)
            crisis_hazard(k, sw, y, t, st, s, w, nb)
            crises(k, sw, y, t, st, w, u, nb)
            hostility(k, sw, y, t, st, s, w, nb)
            regional_indices(y, t, s, w, r, n_rivals, nb)
            alliances(k, sw, c, y, t, st, s, w, e_stand, e_support, nb)
            capability_distribution(st, s, w, r, nb)
            centralization(k, y, t, st, s, r, nb)
            order_type(th, t, st, s, r, nb)
            checks(checked, st, t, s, w, r, code, when, bad, nb)
            records(keep, outs, st, t, slice(row0 + t0, row0 + t0 + nb), s, w, r, nb)
            economy(k, sw, c, y, t, st, s, w, e_growth, drift, nb)
            s, w = _next_year(s, w)

        for b in range(nb):
            status[row0 + t0 + b] = code[b]
            fail_year[row0 + t0 + b] = when[b]


class OrderKernel:
    """The order model's :class:`~alliancelab.engine.family.FusedProgram`."""

    tile = TILE

    def prepare(self, c: Compiled, p: Params, store: dict[str, np.ndarray]) -> Prepared:
        return prepare(c, p, store)

    def run_span(
        self,
        prepared: Prepared,
        seed: int,
        first_run: int,
        runs: int,
        first_row: int,
        status: np.ndarray,
        fail_year: np.ndarray,
    ) -> None:
        run_span(prepared, seed, first_run, runs, first_row, status, fail_year)

    def compiled(self) -> bool:
        return compiled()
