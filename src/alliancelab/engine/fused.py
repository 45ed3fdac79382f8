"""The ``numba`` backend: the yearly step, the region measures and the checks fused in one kernel.

The NumPy step (:mod:`alliancelab.models.order.step`) is the reference; this module transcribes
the same equations (each block names the mechanism; ``docs/models/order.md`` gives them in full)
into one compiled loop per canonical block of runs, so that no intermediate array ever leaves the
cache. Runs are processed in tiles of :data:`TILE` lanes: every per-run quantity is an array
``(feature, lane)`` and the innermost loops run over lanes, which the compiler turns into SIMD
instructions. The loops over actors, pairs and links are fixed and small; there is no branch per
run.

Each run's arithmetic is the same whatever tile or lane it sits in (strict float32: no
fast-math reassociation, no fused multiply-add contraction, no sum across lanes), so a run's
result depends only on ``(seed, run)``: it is identical whatever the number of runs, the chunking
or the number of threads. The random draws are made in place by the functions behind
:func:`~alliancelab.engine.random.block_draws`, which the NumPy and JAX backends use, so the
backends agree to float32 rounding (the logistic hazard uses :func:`exp32`, within 2 ulp of the
exact value; sums run in a different order than NumPy's matrix products).

The kernel writes its outputs straight into the final arrays, which are laid out year by year
(each year of a tile of runs is one contiguous stretch), and releases the GIL, so threads share
one set of output arrays.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numba import njit

from alliancelab.engine.outputs import OUTPUTS
from alliancelab.engine.random import BIAS, CRISIS, GROWTH, STAND, SUPPORT, key, normals, padded, uniforms
from alliancelab.engine.vecmath import exp32, prefer_wide_vectors
from alliancelab.models.order.compile import Compiled, constants, year_stack
from alliancelab.models.order.params import Params

__all__ = ["TILE", "Prepared", "kernel_cached", "prepare", "run_span"]

#: Runs per tile: the lane count of the kernel's inner loops (its arrays stay in L1/L2 cache).
TILE = 256

f32 = np.float32

#: The kernel's output order; ``OUTPUTS`` must list the same names in the same order.
_NAMES = (
    "gdp",
    "milex",
    "share",
    "capability",
    "threat",
    "net_threat",
    "abandonment_fear",
    "entrapment",
    "crises",
    "credibility",
    "support",
    "hostility",
    "crisis",
    "escalation",
    "arms_race_index",
    "security_dilemma_index",
    "crisis_count",
    "concentration",
    "effective_poles",
    "centralization",
    "order",
)
assert _NAMES == tuple(OUTPUTS), "the fused kernel's output order must follow OUTPUTS"


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
    # order thresholds (measures.order.OrderThresholds defaults)
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


def coefficients(p: Params) -> Coefficients:
    from alliancelab.measures.order import OrderThresholds

    t = OrderThresholds()
    values = {**t.model_dump(), **{k: getattr(p, k) for k in Coefficients._fields if hasattr(p, k)}}
    return Coefficients(**{k: f32(values[k]) for k in Coefficients._fields})


def switches(p: Params) -> Switches:
    return Switches(**{k: bool(getattr(p.mechanisms, k)) for k in Switches._fields})


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
    from alliancelab.engine.block import great_power_context

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
    """Everything the kernel reads that is the same for every block of a simulation."""

    c: Compiled
    model: tuple[Any, ...]  # coefficients, switches, constants, year inputs, static, start values
    keep: np.ndarray  # (outputs,) bool: written to the store
    checked: np.ndarray  # (outputs,) bool: checked (as the NumPy backend checks)
    outs: tuple[np.ndarray, ...]  # the store's arrays as laid out, (year, run, …), in output order


def prepare(c: Compiled, p: Params, store: dict[str, np.ndarray]) -> Prepared:
    """Arrange a compiled scenario, its parameters and the output arrays for :func:`run_span`.

    The checks cover what the NumPy backend records: the kept outputs, the state (GDP, share,
    capability, credibility) and the region measures.
    """
    always = ("gdp", "share", "capability", "credibility")
    model = (
        coefficients(p),
        switches(p),
        constants(c),
        year_stack(c),
        _static(c),
        (c.gdp0, c.capability0, c.milex0, c.credibility0),
    )
    return Prepared(
        c=c,
        model=model,
        keep=np.array([n in store for n in _NAMES]),
        checked=np.array([n in store or n in always or OUTPUTS[n].group == "region" for n in _NAMES]),
        outs=tuple(np.swapaxes(store[n], 0, 1) if n in store else _empty(n) for n in _NAMES),
    )


def kernel_cached() -> bool:
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
    The kernel makes its own draws (:mod:`alliancelab.engine.random`) and releases the GIL. A
    run's result depends only on the seed and its index, so any split into spans gives the same
    numbers.
    """
    k0, k1 = (np.uint64(k) for k in key(seed))
    kernel: Any = _kernel
    kernel(*prep.model, k0, k1, first_run, runs, first_row, TILE, prep.keep, prep.checked, prep.outs, status, fail_year)


@njit(inline="always")
def _mark(
    code: Any, when: Any, bad: Any, t: int, o: int, a: Any, lo: Any, hi: Any, nb: int
) -> None:  # pragma: no cover
    """Flag lanes where a value of output ``o`` in ``a`` (feature, lane) is not finite or leaves
    [lo, hi]; the first output flagged (in OUTPUTS order) in the first such year is the code,
    as in the NumPy backend's ``_check``."""
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


@njit(inline="always")
def _store(dst: Any, a: Any, nb: int) -> None:  # pragma: no cover - compiled
    """dst[b, i] = a[i, b] for the tile's lanes (a (feature, lane) block into (run, feature))."""
    for b in range(nb):
        for i in range(a.shape[0]):
            dst[b, i] = a[i, b]


@njit(inline="always")
def _store_pairs(dst: Any, a: Any, pi: Any, pj: Any, nb: int) -> None:  # pragma: no cover - compiled
    """dst[b, i, j] = dst[b, j, i] = a[pair (i, j), b]: pair form into the symmetric matrix."""
    for b in range(nb):
        for q in range(a.shape[0]):
            dst[b, pi[q], pj[q]] = a[q, b]
            dst[b, pj[q], pi[q]] = a[q, b]


@njit(cache=True, nogil=True, error_model="numpy")
def _kernel(
    k: Any,
    sw: Any,
    c: Any,
    y: Any,
    st: Any,
    start: Any,
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
    prefer_wide_vectors()  # type: ignore[call-arg]
    gdp0, K0, milex0, C0 = start
    Y = y.growth.shape[0]
    N = gdp0.shape[0]
    P = st.pair_i.shape[0]
    L = st.defended.shape[0]
    E = st.edge_u.shape[0]
    G = st.great.shape[0]
    Q = st.gp_pairs.shape[0]
    pi, pj, ld, lg = st.pair_i, st.pair_j, st.defended, st.defender
    one = f32(1.0)
    zero = f32(0.0)
    T = tile
    actor_outs = (outs[0], outs[1], outs[2], outs[3], outs[4], outs[5], outs[6], outs[7])
    region_outs = (outs[14], outs[15], outs[17], outs[18], outs[19])

    # per-run state (feature, lane)
    gdp = np.empty((N, T), np.float32)
    K = np.empty((N, T), np.float32)
    share = np.empty((N, T), np.float32)
    milex = np.empty((N, T), np.float32)
    H = np.empty((P, T), np.float32)
    C = np.empty((L, T), np.float32)
    S = np.empty((L, T), np.float32)
    # perceptual bias (Jervis 1976), drawn once per run
    zb = np.empty((padded(2 * P), T), np.float32)
    a_ij = np.empty((P, T), np.float32)
    a_ji = np.empty((P, T), np.float32)
    infl = np.empty((P, T), np.float32)
    # this year's draws
    u = np.empty((padded(P), T), np.float32)
    e_growth = np.empty((padded(N + 1), T), np.float32)
    e_stand = np.empty((padded(L), T), np.float32)
    e_support = np.empty((padded(L + 1), T), np.float32)
    # this year's values
    anchor = np.empty((N, T), np.float32)
    disc = np.empty((N, T), np.float32)
    threat = np.empty((N, T), np.float32)
    cov = np.empty((N, T), np.float32)
    net = np.empty((N, T), np.float32)
    fear = np.empty((N, T), np.float32)
    weight = np.empty(N, np.float32)
    new_share = np.empty((N, T), np.float32)
    new_milex = np.empty((N, T), np.float32)
    grow = np.empty((N, T), np.float32)
    buildup = np.empty((N, T), np.float32)
    crises = np.empty((N, T), np.float32)
    entrap = np.empty((N, T), np.float32)
    crisis = np.empty((P, T), np.float32)
    race = np.empty((P, T), np.float32)
    haz = np.empty((P, T), np.float32)
    esc = np.empty((P, T), np.float32)
    H_new = np.empty((P, T), np.float32)
    C_new = np.empty((L, T), np.float32)
    S_new = np.empty((L, T), np.float32)
    # region measures: arms race, security dilemma, crisis count, concentration, poles, centralization
    reg = np.empty((6, T), np.float32)
    hsum = np.empty(T, np.float32)
    tot = np.empty(T, np.float32)
    first = np.empty(T, np.float32)
    second = np.empty(T, np.float32)
    host = np.empty(T, np.float32)
    n_tied = np.empty(T, np.float32)
    top = np.empty(T, np.float32)
    order = np.empty(T, np.int8)
    edge = np.empty((E, T), np.float32)
    deg = np.empty((N, T), np.float32)
    bad = np.empty(T, np.bool_)
    code = np.zeros(T, np.int8)
    when = np.full(T, -1, np.int32)

    n_rivals = np.zeros(Y, np.float32)
    for t in range(Y):
        for q in range(P):
            if y.baseline[t, q] > zero:
                n_rivals[t] += one
        n_rivals[t] = max(n_rivals[t], one)

    for t0 in range(0, runs, T):
        nb = min(T, runs - t0)
        r0 = run0 + t0
        for i in range(N):
            for b in range(nb):
                gdp[i, b] = gdp0[i]
                K[i, b] = K0[i]
                share[i, b] = milex0[i] / gdp0[i]
                milex[i, b] = milex0[i]
        for q in range(P):
            for b in range(nb):
                H[q, b] = y.baseline[0, q]
        for m in range(L):
            for b in range(nb):
                C[m, b] = C0[m]
                S[m, b] = c.support0[m]
        for b in range(nb):
            code[b] = 0
            when[b] = -1
        normals(zb, 2 * P, BIAS, 0, r0, nb, k0, k1)

        for t in range(Y):
            uniforms(u, P, CRISIS, t, r0, nb, k0, k1)
            normals(e_growth, N + N % 2, GROWTH, t, r0, nb, k0, k1)
            uniforms(e_stand, L, STAND, t, r0, nb, k0, k1)
            normals(e_support, L + L % 2, SUPPORT, t, r0, nb, k0, k1)

            # --- perceptual bias (Jervis 1976): m = exp(σ z − σ²/2), folded into the weights
            if t == 0 or st.changed[t]:
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

            # --- threat (Walt 1987) with the restraint of anchored allies, and allied cover
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
                w = y.commitment[t, m]
                d = ld[m]
                g = lg[m]
                f = y.cover_factor[t, m]
                weight[d] += w
                for b in range(nb):
                    anchor[d, b] += C[m, b] * w
                    cov[d, b] += C[m, b] * w * f * K[g, b]
                    fear[d, b] += w * (one - C[m, b])
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
            for q in range(P):
                ti, tj, di, dj, Hq, aij, aji = (
                    threat[pi[q]],
                    threat[pj[q]],
                    disc[pi[q]],
                    disc[pj[q]],
                    H[q],
                    a_ij[q],
                    a_ji[q],
                )
                for b in range(nb):
                    ti[b] += Hq[b] * aij[b] * dj[b]
                for b in range(nb):
                    tj[b] += Hq[b] * aji[b] * di[b]

            # --- abandonment fear (Snyder 1984) and arms decisions (Richardson 1960, budgeted)
            afraid = sw.abandonment and L > 0
            for i in range(N):
                wsum = max(weight[i], f32(1e-6))
                g_ = c.grievance[i] + y.posture[t, i]
                for b in range(nb):
                    net[i, b] = threat[i, b] - k.cover_weight * cov[i, b]
                    fear[i, b] = fear[i, b] / wsum if afraid else zero
                    if sw.arms:
                        target = g_ + c.reaction[i] * net[i, b] / gdp[i, b] + k.abandonment_reaction * fear[i, b]
                        target = target - k.burden * share[i, b]
                        s_ = share[i, b] + k.adjustment * (target - share[i, b])
                        new_share[i, b] = min(max(s_, c.share_min[i]), c.share_max[i])
                    else:
                        new_share[i, b] = share[i, b]
                    new_milex[i, b] = new_share[i, b] * gdp[i, b]
                    grow[i, b] = new_milex[i, b] / milex[i, b] - one
                    buildup[i, b] = max(new_share[i, b] / share[i, b] - one, zero)
                    crises[i, b] = zero
                    entrap[i, b] = zero

            # --- crises: logit hazard per pair (Bremer 1992; Oneal & Russett 1999), then the
            # pair's hostility: history, confidence building, the spiral, crises. Each pass below
            # touches few rows, so that the compiler vectorises it over lanes.
            for b in range(nb):
                reg[0, b] = zero
                reg[1, b] = zero
                hsum[b] = zero
            for q in range(P):
                Ki, Kj, gi, gj, Hq = K[pi[q]], K[pj[q]], grow[pi[q]], grow[pj[q]], H[q]
                race_q, haz_q, infl_q = race[q], haz[q], infl[q]
                hs = y.hazard_static[t, q]
                for b in range(nb):
                    r_ = max(min(gi[b], gj[b]), zero)
                    race_q[b] = r_
                    parity = min(Ki[b], Kj[b]) / max(max(Ki[b], Kj[b]), f32(1e-9))
                    z = hs + k.hazard_hostility * Hq[b] + k.hazard_race * r_ + k.hazard_parity * parity
                    z = z + k.hazard_misperception * infl_q[b]
                    haz_q[b] = one / (one + exp32(-z))
            for q in range(P):
                ai, aj, u_q, haz_q, cr_q, es_q = anchor[pi[q]], anchor[pj[q]], u[q], haz[q], crisis[q], esc[q]
                teeth_q = one - k.escalation_teeth * y.teeth[t, q]
                if sw.crises:
                    for b in range(nb):
                        qq = k.escalation_base * (one - k.escalation_deterrence * max(ai[b], aj[b])) * teeth_q
                        cr_q[b] = one if u_q[b] < haz_q[b] else zero
                        es_q[b] = one if u_q[b] < haz_q[b] * qq else zero
                else:
                    for b in range(nb):
                        cr_q[b] = zero
                        es_q[b] = zero
            for q in range(P):
                ci, cj, cr_q = crises[pi[q]], crises[pj[q]], crisis[q]
                for b in range(nb):
                    ci[b] += cr_q[b]
                for b in range(nb):
                    cj[b] += cr_q[b]
            for q in range(P):
                bi, bj, Hq, cr_q, es_q, hn_q = buildup[pi[q]], buildup[pj[q]], H[q], crisis[q], esc[q], H_new[q]
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
            # regional indices: hostility-weighted co-growth; hostility beyond the baseline
            ari, sdi = reg[0], reg[1]
            for q in range(P):
                Hq, race_q = H[q], race[q]
                bl = y.baseline[t, q]
                rival = one if bl > zero else zero
                for b in range(nb):
                    ari[b] += Hq[b] * race_q[b]
                    hsum[b] += Hq[b]
                for b in range(nb):
                    sdi[b] += max(Hq[b] - bl, zero) * rival
            for b in range(nb):
                ari[b] = ari[b] / max(hsum[b], f32(1e-6))
                sdi[b] = sdi[b] / n_rivals[t]

            # --- alliances: credibility (Snyder 1984), crisis tests, entrapment, domestic support
            for m in range(L):
                w = y.commitment[t, m]
                d = ld[m]
                g = lg[m]
                eng = y.engagement_defender[t, m]
                rma = one - k.rma_penalty * y.rma_gap[t, m]
                conf = one - k.teeth_conflict * y.conflict[t, m]
                in_force = one if w > zero else zero
                for b in range(nb):
                    pc = crises[d, b]
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
                            stands * k.crisis_support_gain * (one - C[m, b])
                            - (one - stands) * k.crisis_support_loss * C[m, b]
                        )
                        C_new[m, b] = min(max(cn, zero), one)
                    else:
                        C_new[m, b] = C[m, b]
                    drawn_in = tested * stands * pc
                    if sw.entrapment:
                        entrap[g, b] += drawn_in * w
                    if sw.domestic:
                        ratio = new_share[d, b] / new_share[g, b]
                        net_d = c.reaction[d] * net[d, b] / gdp[d, b]
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
                        S_new[m, b] = min(max(sn, zero), one)
                    else:
                        S_new[m, b] = S[m, b]

            # --- region: crisis count; great-power capability (Ray & Singer 1973)
            for b in range(nb):
                reg[2, b] = zero
                tot[b] = zero
                first[b] = zero
                second[b] = zero
                reg[3, b] = zero
                host[b] = zero
            for i in range(N):
                for b in range(nb):
                    reg[2, b] += crises[i, b]
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
                    reg[3, b] += s_ * s_  # the Herfindahl sum, for now
                    lower = min(first[b], s_)
                    first[b] = max(first[b], s_)
                    second[b] = max(second[b], lower)
            inv = one / f32(max(G, 1))
            for b in range(nb):
                hhi = reg[3, b]
                reg[4, b] = one / hhi
                reg[3, b] = np.sqrt(min(max((hhi - inv) / (one - inv), zero), one)) if G >= 2 else one
            # Freeman (1979) centralization of the credible alliance network
            for e in range(E):
                for b in range(nb):
                    edge[e, b] = zero
            for m in range(L):
                w = y.commitment[t, m]
                e = st.link_edge[m]
                for b in range(nb):
                    if C[m, b] * w >= k.credible_tie:
                        edge[e, b] = one
            for i in range(N):
                for b in range(nb):
                    deg[i, b] = zero
            for e in range(E):
                eu = st.edge_u[e]
                ev = st.edge_v[e]
                for b in range(nb):
                    deg[eu, b] += edge[e, b]
                    deg[ev, b] += edge[e, b]
            for b in range(nb):
                n_tied[b] = zero
                top[b] = zero
                reg[5, b] = zero
            for i in range(N):
                for b in range(nb):
                    n_tied[b] += one if deg[i, b] > zero else zero
                    top[b] = max(top[b], deg[i, b])
            for i in range(N):
                for b in range(nb):
                    if deg[i, b] > zero:
                        reg[5, b] += top[b] - deg[i, b]
            for b in range(nb):
                n_ = n_tied[b]
                reg[5, b] = reg[5, b] / max((n_ - one) * (n_ - f32(2.0)), one) if n_ >= f32(3.0) else zero
            # the order type (measures.order.classify_order)
            for qq in range(Q):
                gq = st.gp_pairs[qq]
                for b in range(nb):
                    host[b] = max(host[b], H[gq, b])
            concert_ok = st.gp_overlap[t] >= k.concert_overlap
            community_ok = st.gp_teeth[t] >= k.community_teeth
            for b in range(nb):
                kind = 1
                if first[b] + second[b] >= k.bipolar_share and second[b] >= k.bipolar_parity * first[b]:
                    kind = 2
                if first[b] >= k.hegemony_share and reg[5, b] >= k.hub_centralization:
                    kind = 0
                if concert_ok and host[b] < k.concert_hostility:
                    kind = 3
                if community_ok and host[b] < k.community_hostility:
                    kind = 4
                order[b] = kind

            # --- checks: the first failing output (in OUTPUTS order) of the first failing year
            for o, a in enumerate((gdp, new_milex, new_share, K, threat, net, fear, entrap)):
                if checked[o]:
                    _mark(code, when, bad, t, o, a, st.lo, st.hi, nb)
            if checked[9]:
                _mark(code, when, bad, t, 9, C, st.lo, st.hi, nb)
            if checked[10]:
                _mark(code, when, bad, t, 10, S, st.lo, st.hi, nb)
            if checked[11]:
                _mark(code, when, bad, t, 11, H, st.lo, st.hi, nb)
            for o in (14, 15, 17, 18, 19):  # the float region outputs: reg rows 0, 1, 3, 4, 5
                if checked[o]:
                    _mark(code, when, bad, t, o, reg[o - 14 : o - 13], st.lo, st.hi, nb)

            # --- records: this year's values into the final arrays, laid out (year, run, …)
            rows = slice(row0 + t0, row0 + t0 + nb)
            for o, a in enumerate((gdp, new_milex, new_share, K, threat, net, fear, entrap)):
                if keep[o]:
                    _store(actor_outs[o][t, rows], a, nb)
            if keep[8]:
                _store(outs[8][t, rows], crises, nb)
            if keep[9]:
                _store(outs[9][t, rows], C, nb)
            if keep[10]:
                _store(outs[10][t, rows], S, nb)
            if keep[11]:
                _store_pairs(outs[11][t, rows], H, pi, pj, nb)
            if keep[12]:
                _store_pairs(outs[12][t, rows], crisis, pi, pj, nb)
            if keep[13]:
                _store_pairs(outs[13][t, rows], esc, pi, pj, nb)
            for n, o in enumerate((14, 15, 17, 18, 19)):  # reg rows 0, 1, 3, 4, 5
                if keep[o]:
                    dst = region_outs[n][t, rows]
                    src = reg[o - 14]
                    for b in range(nb):
                        dst[b] = src[b]
            if keep[16]:
                dst16 = outs[16][t, rows]
                for b in range(nb):
                    dst16[b] = np.int16(reg[2, b]) // np.int16(2)
            if keep[20]:
                dst8 = outs[20][t, rows]
                for b in range(nb):
                    dst8[b] = order[b]

            # --- economy and capability (perpetual inventory); the state moves on
            for i in range(N):
                dep = one - c.depreciation[i]
                gr = y.growth[t, i]
                for b in range(nb):
                    K[i, b] = dep * K[i, b] + new_milex[i, b]
                    if sw.economy:
                        gdp[i, b] = gdp[i, b] * (one + gr + k.growth_noise * e_growth[i, b])
                    share[i, b] = new_share[i, b]
                    milex[i, b] = new_milex[i, b]
            H, H_new = H_new, H
            C, C_new = C_new, C
            S, S_new = S_new, S

        for b in range(nb):
            status[row0 + t0 + b] = code[b]
            fail_year[row0 + t0 + b] = when[b]
