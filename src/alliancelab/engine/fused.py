"""The ``numba`` backend: the yearly step, the region measures and the checks fused in one kernel.

The NumPy step (:mod:`alliancelab.models.order.step`) is the reference; this module transcribes
the same equations (each block names the mechanism; ``docs/models/order.md`` gives them in full)
into one compiled loop per canonical block of runs, so that no intermediate array ever leaves the
cache. Runs are processed in tiles of :data:`TILE` lanes: every per-run quantity is an array
``(feature, lane)`` and the innermost loops run over lanes, which the compiler turns into SIMD
instructions. The loops over actors, pairs and links are fixed and small; there is no branch per
run.

Each run's arithmetic is the same whatever tile or lane it sits in (no fast-math reassociation
and no sum across lanes), so a run's result depends only on ``(seed, run)``: it is identical
whatever the number of runs, the chunking or the number of threads. The random draws are those
of :func:`~alliancelab.engine.random.block_draws`, shared with the NumPy and JAX backends, so the
backends agree to float32 rounding (the logistic hazard uses :func:`exp32`, within 2 ulp of the
exact value; sums run in a different order than NumPy's matrix products).

The kernel writes its outputs straight into the final ``(run, year, …)`` arrays and releases the
GIL, so threads share one set of output arrays.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

from alliancelab.engine.outputs import OUTPUTS
from alliancelab.engine.random import BLOCK, block_draws
from alliancelab.models.order.compile import Compiled, constants, year_stack
from alliancelab.models.order.params import Params

__all__ = ["TILE", "exp32", "run_block"]

#: Runs per tile: the lane count of the kernel's inner loops (its arrays stay in L1/L2 cache).
TILE = 64

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


@intrinsic
def _bits_as_f32(typingctx: Any, bits: Any) -> Any:
    """Reinterpret an int32's bits as a float32 (LLVM ``bitcast``; vectorises)."""
    sig = types.float32(types.int32)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], context.get_value_type(types.float32))

    return sig, codegen


@njit(inline="always")
def exp32(x: float) -> float:  # pragma: no cover - compiled
    """exp(x) in float32, within 2 ulp, in straight-line code the compiler can vectorise.

    Cody–Waite range reduction x = n ln 2 + r and the degree-6 minimax polynomial of Cephes'
    ``expf`` (Moshier, S. L. (1989), *Methods and Programs for Mathematical Functions*, Ellis
    Horwood; Cody, W. J. & Waite, W. (1980), *Software Manual for the Elementary Functions*,
    Prentice-Hall); 2^n is built from its exponent bits. x is clamped to [−87, 88].
    """
    x = min(max(x, f32(-87.0)), f32(88.0))
    n = (x * f32(1.44269504088896341) + f32(12582912.0)) - f32(12582912.0)  # round to nearest
    r = x - n * f32(0.693359375) - n * f32(-2.12194440e-4)
    q = f32(1.9875691500e-4)
    q = q * r + f32(1.3981999507e-3)
    q = q * r + f32(8.3334519073e-3)
    q = q * r + f32(4.1665795894e-2)
    q = q * r + f32(1.6666665459e-1)
    q = q * r + f32(5.0000001201e-1)
    q = q * r * r + r + f32(1.0)
    return q * _bits_as_f32((np.int32(n) + np.int32(127)) << np.int32(23))


@njit(cache=True)
def _exp32_array(x: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    out = np.empty_like(x)
    for k in range(x.size):
        out.flat[k] = exp32(x.flat[k])
    return out


def exp32_array(x: np.ndarray) -> np.ndarray:
    """:func:`exp32` over a float32 array (for tests and docs)."""
    return _exp32_array(np.ascontiguousarray(x, dtype=np.float32))


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
    from alliancelab.engine.block import _great_power_pairs

    gp = c.great if len(c.great) >= 2 else np.arange(c.n)
    pairs = np.array(_great_power_pairs(c), dtype=np.int64)
    if len(pairs):
        overlap = c.shared[:, pairs].mean(axis=1)
        teeth = c.teeth[:, pairs].mean(axis=1)
    else:
        overlap = teeth = np.zeros(len(c.years), np.float32)
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
        gp_pairs=pairs,
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
    outs: tuple[np.ndarray, ...]  # the store's arrays in output order (empty where not kept)


def prepare(c: Compiled, p: Params, store: dict[str, np.ndarray]) -> Prepared:
    """Arrange a compiled scenario, its parameters and the output arrays for :func:`run_block`.

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
        outs=tuple(store.get(n, _empty(n)) for n in _NAMES),
    )


def run_block(
    prep: Prepared, seed: int, block: int, runs: int, first_row: int, status: np.ndarray, fail_year: np.ndarray
) -> None:
    """Simulate the first ``runs`` runs of canonical block ``block``; write rows ``first_row…``.

    Outputs go straight into the store's ``(run, year, …)`` arrays; ``status`` and
    ``fail_year`` (per row) receive each run's check result, with the NumPy backend's codes.
    Releases the GIL while it computes.
    """
    c = prep.c
    Z, noise = block_draws(seed, block, runs, len(c.years), c.n, c.n_pairs, c.n_links)
    _kernel(*prep.model, Z, noise, runs, first_row, TILE, prep.keep, prep.checked, prep.outs, status, fail_year)


@njit(inline="always")
def _column_bad(a: Any, b: int, lo: float, hi: float) -> bool:  # pragma: no cover - compiled
    for i in range(a.shape[0]):
        v = a[i, b]
        if not (v >= lo and v <= hi and v < np.inf):
            return True
    return False


@njit(inline="always")
def _first_bad(  # noqa: PLR0911, PLR0913
    b: int, checked: Any, lo: Any, hi: Any, gdp: Any, milex: Any, share: Any, K: Any, threat: Any, net: Any,
    fear: Any, entrap: Any, C: Any, S: Any, H: Any, region: Any,
) -> int:  # pragma: no cover - compiled
    """1 + the index (in OUTPUTS order) of the first checked output out of bounds in lane b, else 0.

    The same test as the NumPy backend's ``_check``: ``lo <= v <= hi`` and finite.
    """
    actor = (gdp, milex, share, K, threat, net, fear, entrap)
    for o in range(8):
        if checked[o] and _column_bad(actor[o], b, lo[o], hi[o]):
            return o + 1
    if checked[9] and _column_bad(C, b, lo[9], hi[9]):
        return 10
    if checked[10] and _column_bad(S, b, lo[10], hi[10]):
        return 11
    if checked[11] and _column_bad(H, b, lo[11], hi[11]):
        return 12
    for o in (14, 15, 17, 18, 19):  # the float region outputs; region[2] stands for crisis_count
        v = region[o - 14]
        if checked[o] and not (v >= lo[o] and v <= hi[o] and v < np.inf):
            return o + 1
    return 0


@njit(cache=True, nogil=True, error_model="numpy")
def _kernel(  # noqa: C901, PLR0912, PLR0915 - one fused loop by design
    k: Any,
    sw: Any,
    c: Any,
    y: Any,
    st: Any,
    start: Any,
    Z: Any,
    noise: Any,
    runs: int,
    row0: int,
    tile: int,
    keep: Any,
    checked: Any,
    outs: Any,
    status: Any,
    fail_year: Any,
) -> None:  # pragma: no cover - compiled
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

    # per-run state (feature, lane)
    gdp = np.empty((N, T), np.float32)
    K = np.empty((N, T), np.float32)
    share = np.empty((N, T), np.float32)
    milex = np.empty((N, T), np.float32)
    H = np.empty((P, T), np.float32)
    C = np.empty((L, T), np.float32)
    S = np.empty((L, T), np.float32)
    # perceptual bias
    zij = np.empty((P, T), np.float32)
    zji = np.empty((P, T), np.float32)
    a_ij = np.empty((P, T), np.float32)
    a_ji = np.empty((P, T), np.float32)
    infl = np.empty((P, T), np.float32)
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
    race = np.empty((P, T), np.float32)
    crisis = np.empty((P, T), np.float32)
    esc = np.empty((P, T), np.float32)
    H_new = np.empty((P, T), np.float32)
    C_new = np.empty((L, T), np.float32)
    S_new = np.empty((L, T), np.float32)
    ari = np.empty(T, np.float32)
    sdi = np.empty(T, np.float32)
    hsum = np.empty(T, np.float32)
    u = np.empty(T, np.float32)
    ok = np.empty(T, np.bool_)
    code = np.zeros(T, np.int8)
    when = np.full(T, -1, np.int32)
    edge_on = np.zeros(E, np.bool_)
    deg = np.zeros(N, np.float32)
    capg = np.zeros(G, np.float32)

    for t0 in range(0, runs, T):
        nb = min(T, runs - t0)
        for i in range(N):
            for b in range(nb):
                gdp[i, b] = gdp0[i]
                K[i, b] = K0[i]
                share[i, b] = milex0[i] / gdp0[i]
                milex[i, b] = milex0[i]
        for q in range(P):
            for b in range(nb):
                H[q, b] = y.baseline[0, q]
                zij[q, b] = Z[t0 + b, 0, q]
                zji[q, b] = Z[t0 + b, 1, q]
        for m in range(L):
            for b in range(nb):
                C[m, b] = C0[m]
                S[m, b] = c.support0[m]
        for b in range(nb):
            code[b] = 0
            when[b] = -1

        for t in range(Y):
            # --- perceptual bias (Jervis 1976): m = exp(σ z − σ²/2), folded into the weights
            if t == 0 or st.changed[t]:
                for q in range(P):
                    sig = y.sigma[t, q]
                    half = f32(0.5) * sig * sig
                    wij = y.weight_ij[t, q]
                    wji = y.weight_ji[t, q]
                    for b in range(nb):
                        a_ij[q, b] = wij * np.exp(sig * zij[q, b] - half)
                        a_ji[q, b] = wji * np.exp(sig * zji[q, b] - half)
                        infl[q, b] = sig * (max(zij[q, b], zero) + max(zji[q, b], zero))

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
            for i in range(N):
                for b in range(nb):
                    anchor[i, b] = min(max(anchor[i, b], zero), one)
                    disc[i, b] = K[i, b] * (one - k.restraint * anchor[i, b]) if sw.restraint and L else K[i, b]
            for q in range(P):
                i = pi[q]
                j = pj[q]
                for b in range(nb):
                    threat[i, b] += H[q, b] * a_ij[q, b] * disc[j, b]
                    threat[j, b] += H[q, b] * a_ji[q, b] * disc[i, b]
            # --- abandonment fear (Snyder 1984) and arms decisions (Richardson 1960, budgeted)
            for i in range(N):
                wsum = max(weight[i], f32(1e-6))
                g_ = c.grievance[i] + y.posture[t, i]
                for b in range(nb):
                    net[i, b] = threat[i, b] - k.cover_weight * cov[i, b]
                    fear[i, b] = fear[i, b] / wsum if sw.abandonment and L else zero
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

            # --- crises: logit hazard per pair (Bremer 1992; Oneal & Russett 1999)
            for b in range(nb):
                ari[b] = zero
                hsum[b] = zero
                sdi[b] = zero
            n_rivals = zero
            for q in range(P):
                if y.baseline[t, q] > zero:
                    n_rivals += one
            n_rivals = max(n_rivals, one)
            for q in range(P):
                i = pi[q]
                j = pj[q]
                hs = y.hazard_static[t, q]
                base_q = y.baseline[t, q]
                rival = one if base_q > zero else zero
                for b in range(nb):
                    u[b] = noise.crisis[t, t0 + b, q]
                for b in range(nb):
                    r_ = max(min(grow[i, b], grow[j, b]), zero)
                    race[q, b] = r_
                    hi_ = max(max(K[i, b], K[j, b]), f32(1e-9))
                    parity = min(K[i, b], K[j, b]) / hi_
                    h = H[q, b]
                    ari[b] += h * r_
                    hsum[b] += h
                    sdi[b] += max(h - base_q, zero) * rival
                    if sw.crises:
                        z = hs + k.hazard_hostility * h + k.hazard_race * r_ + k.hazard_parity * parity
                        z = z + k.hazard_misperception * infl[q, b]
                        hazard = one / (one + exp32(-z))
                        deter = max(anchor[i, b], anchor[j, b])
                        # the NumPy step multiplies as base·(1 − deterrence·d)·(1 − teeth·t)
                        qq = k.escalation_base * (one - k.escalation_deterrence * deter)
                        qq = qq * (one - k.escalation_teeth * y.teeth[t, q])
                        cr = one if u[b] < hazard else zero
                        es = one if u[b] < hazard * qq else zero
                    else:
                        cr = zero
                        es = zero
                    crisis[q, b] = cr
                    esc[q, b] = es
                    crises[i, b] += cr
                    crises[j, b] += cr
            for b in range(nb):
                ari[b] = ari[b] / max(hsum[b], f32(1e-6))
                sdi[b] = sdi[b] / n_rivals

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
                    stands = one if noise.stand[t, t0 + b, m] < C[m, b] else zero
                    if sw.alliances:
                        bs = (
                            k.credibility_base
                            + k.credibility_presence * y.presence[t, m]
                            + k.credibility_support * (S[m, b] - f32(0.5))
                        )
                        tgt = eng * bs * rma * conf
                        tgt = min(max(tgt, zero), one) * in_force
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
                        sn = S[m, b] + k.support_speed * (s_t - S[m, b]) + k.support_noise * noise.support[t, t0 + b, m]
                        if sw.entrapment:
                            sn = sn - k.entrapment_cost * drawn_in
                        S_new[m, b] = min(max(sn, zero), one)
                    else:
                        S_new[m, b] = S[m, b]

            # --- hostility: history, confidence building, the spiral, crises
            for q in range(P):
                i = pi[q]
                j = pj[q]
                dec = y.decay[t, q]
                bl = y.baseline[t, q]
                for b in range(nb):
                    h = H[q, b]
                    hn = h + dec * (bl - h)
                    if sw.spiral:
                        hn = hn + k.spiral * h * (buildup[i, b] + buildup[j, b])
                    hn = hn + (k.crisis_hostility * crisis[q, b] + k.escalation_hostility * esc[q, b]) * (one - h)
                    H_new[q, b] = min(max(hn, zero), one)

            # --- records, region measures and checks, lane by lane
            for b in range(nb):
                row = row0 + t0 + b
                # capability distribution among great powers (Ray & Singer 1973)
                tot = zero
                for g in range(G):
                    capg[g] = K[st.great[g], b]
                    tot += capg[g]
                tot = max(tot, f32(1e-30))
                hhi = zero
                first = zero
                second = zero
                for g in range(G):
                    s_ = capg[g] / tot
                    hhi += s_ * s_
                    if s_ > first:
                        second = first
                        first = s_
                    elif s_ > second:
                        second = s_
                if G < 2:
                    conc = one
                else:
                    inv = one / f32(G)
                    conc = np.sqrt(min(max((hhi - inv) / (one - inv), zero), one))
                poles = one / hhi
                # Freeman (1979) centralization of the credible alliance network
                for e in range(E):
                    edge_on[e] = False
                for m in range(L):
                    if C[m, b] * y.commitment[t, m] >= k.credible_tie:
                        edge_on[st.link_edge[m]] = True
                for i in range(N):
                    deg[i] = zero
                for e in range(E):
                    if edge_on[e]:
                        deg[st.edge_u[e]] += one
                        deg[st.edge_v[e]] += one
                n_ = zero
                top = zero
                for i in range(N):
                    if deg[i] > zero:
                        n_ += one
                    top = max(top, deg[i])
                spread = zero
                for i in range(N):
                    if deg[i] > zero:
                        spread += top - deg[i]
                cent = spread / max((n_ - one) * (n_ - f32(2.0)), one) if n_ >= f32(3.0) else zero
                # order type (measures.order.classify_order)
                host = zero
                for qq in range(Q):
                    host = max(host, H[st.gp_pairs[qq], b])
                order = 1
                if first + second >= k.bipolar_share and second >= k.bipolar_parity * first:
                    order = 2
                if first >= k.hegemony_share and cent >= k.hub_centralization:
                    order = 0
                if host < k.concert_hostility and st.gp_overlap[t] >= k.concert_overlap:
                    order = 3
                if host < k.community_hostility and st.gp_teeth[t] >= k.community_teeth:
                    order = 4
                n_crises = zero
                for i in range(N):
                    n_crises += crises[i, b]

                # checks: the first failing output (in OUTPUTS order) of the first failing year
                if code[b] == 0:
                    bad = _first_bad(
                        b, checked, st.lo, st.hi, gdp, new_milex, new_share, K, threat, net, fear, entrap, C, S, H,
                        (ari[b], sdi[b], zero, conc, poles, cent),
                    )
                    if bad:
                        code[b] = bad
                        when[b] = t

                # records: this year's values into the final (run, year, …) arrays
                if keep[0]:
                    for i in range(N):
                        outs[0][row, t, i] = gdp[i, b]
                if keep[1]:
                    for i in range(N):
                        outs[1][row, t, i] = new_milex[i, b]
                if keep[2]:
                    for i in range(N):
                        outs[2][row, t, i] = new_share[i, b]
                if keep[3]:
                    for i in range(N):
                        outs[3][row, t, i] = K[i, b]
                if keep[4]:
                    for i in range(N):
                        outs[4][row, t, i] = threat[i, b]
                if keep[5]:
                    for i in range(N):
                        outs[5][row, t, i] = net[i, b]
                if keep[6]:
                    for i in range(N):
                        outs[6][row, t, i] = fear[i, b]
                if keep[7]:
                    for i in range(N):
                        outs[7][row, t, i] = entrap[i, b]
                if keep[8]:
                    for i in range(N):
                        outs[8][row, t, i] = np.int16(crises[i, b])
                if keep[9]:
                    for m in range(L):
                        outs[9][row, t, m] = C[m, b]
                if keep[10]:
                    for m in range(L):
                        outs[10][row, t, m] = S[m, b]
                if keep[11]:
                    for q in range(P):
                        outs[11][row, t, pi[q], pj[q]] = H[q, b]
                        outs[11][row, t, pj[q], pi[q]] = H[q, b]
                if keep[12]:
                    for q in range(P):
                        outs[12][row, t, pi[q], pj[q]] = np.int8(crisis[q, b])
                        outs[12][row, t, pj[q], pi[q]] = np.int8(crisis[q, b])
                if keep[13]:
                    for q in range(P):
                        outs[13][row, t, pi[q], pj[q]] = np.int8(esc[q, b])
                        outs[13][row, t, pj[q], pi[q]] = np.int8(esc[q, b])
                if keep[14]:
                    outs[14][row, t] = ari[b]
                if keep[15]:
                    outs[15][row, t] = sdi[b]
                if keep[16]:
                    outs[16][row, t] = np.int16(n_crises) // np.int16(2)
                if keep[17]:
                    outs[17][row, t] = conc
                if keep[18]:
                    outs[18][row, t] = poles
                if keep[19]:
                    outs[19][row, t] = cent
                if keep[20]:
                    outs[20][row, t] = np.int8(order)

            # --- economy and capability (perpetual inventory); the state moves on
            for i in range(N):
                dep = one - c.depreciation[i]
                gr = y.growth[t, i]
                for b in range(nb):
                    K[i, b] = dep * K[i, b] + new_milex[i, b]
                    if sw.economy:
                        gdp[i, b] = gdp[i, b] * (one + gr + k.growth_noise * noise.growth[t, t0 + b, i])
                    share[i, b] = new_share[i, b]
                    milex[i, b] = new_milex[i, b]
            for q in range(P):
                for b in range(nb):
                    H[q, b] = H_new[q, b]
            for m in range(L):
                for b in range(nb):
                    C[m, b] = C_new[m, b]
                    S[m, b] = S_new[m, b]

        for b in range(nb):
            status[row0 + t0 + b] = code[b]
            fail_year[row0 + t0 + b] = when[b]
