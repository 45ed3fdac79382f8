"""Simulate one canonical block of runs: the engine's unit of work (a worker runs blocks)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alliancelab.engine.outputs import OUTPUTS
from alliancelab.engine.random import BlockStream
from alliancelab.measures import classify_order, concentration, effective_poles, freeman_centralization
from alliancelab.models.order.compile import Compiled
from alliancelab.models.order.params import Params
from alliancelab.models.order.step import Constants, State, YearInputs, step

__all__ = ["BlockResult", "run_block"]

_STATUS_NAMES = tuple(OUTPUTS)


@dataclass
class BlockResult:
    """Outputs of one block, run-major: name -> (runs, years, ...); status per run."""

    block: int
    data: dict[str, np.ndarray]
    status: np.ndarray          # (runs,) 0 ok, else 1 + index of the failing output
    fail_year: np.ndarray       # (runs,) index of the first failing year, -1 if none


def constants(c: Compiled) -> Constants:
    return Constants(
        grievance=c.grievance, reaction=c.reaction, depreciation=c.depreciation, share_min=c.share_min,
        share_max=c.share_max, full_index=c.full_index, pair_i=c.pair_i, pair_j=c.pair_j,
        pair_incidence=c.pair_incidence, pair_incidence_t=np.ascontiguousarray(c.pair_incidence.T),
        defended=c.link_defended, defender=c.link_defender,
        defended_incidence=c.defended_incidence, defender_incidence=c.defender_incidence,
        support0=c.support0, burden_ratio0=c.burden_ratio0, net_threat0=c.net_threat0,
    )


def year_inputs(c: Compiled, t: int) -> YearInputs:
    return YearInputs(
        growth=c.growth[t], posture=c.posture[t],
        engagement_defender=c.engagement[t][c.link_defender],
        peacekeeping_defended=c.peacekeeping[t][c.link_defended],
        commitment=c.commitment[t], presence=c.presence[t], cover_factor=c.cover_factor[t],
        rma_gap=c.rma_gap[t], incidents=c.incidents[t], conflict=c.conflict[t],
        baseline=c.baseline[t], teeth=c.teeth[t], hazard_static=c.hazard_static[t],
        sigma=c.sigma[t], teeth_cover=c.teeth_cover[t], decay=c.decay[t],
    )


def initial_state(c: Compiled, runs: int) -> State:
    def rep(v: np.ndarray) -> np.ndarray:
        return np.repeat(v[None], runs, axis=0)

    return State(
        gdp=rep(c.gdp0), capability=rep(c.capability0), share=rep(c.milex0 / c.gdp0),
        milex=rep(c.milex0), hostility=rep(c.baseline[0]), credibility=rep(c.credibility0),
        support=rep(c.support0),
    )


def run_block(c: Compiled, p: Params, seed: int, block: int, runs: int, keep: tuple[str, ...]) -> BlockResult:
    """Simulate ``runs`` runs (≤ BLOCK) of canonical block ``block`` for all years."""
    xp = np
    N, P, L, Y = c.n, c.n_pairs, c.n_links, len(c.years)
    stream = BlockStream(seed, block, N, P, L)
    const = constants(c)
    state = initial_state(c, runs)
    Z = stream.bias(runs)
    Zpos = np.maximum(Z, 0)
    Zp = Zpos[:, c.pair_i, c.pair_j] + Zpos[:, c.pair_j, c.pair_i]
    gp = c.great
    gp_pairs = np.array(
        [k for k, (i, j) in enumerate(zip(c.pair_i, c.pair_j, strict=True)) if i in gp and j in gp], dtype=np.intp
    )
    buf: dict[str, np.ndarray] = {}
    weight = np.zeros((runs, N, N), np.float32)
    for t in range(Y):
        if c.changed[t]:
            sig = np.zeros((N, N), np.float32)
            sig[c.pair_i, c.pair_j] = c.sigma[t]
            sig[c.pair_j, c.pair_i] = c.sigma[t]
            weight = c.threat_weight[t] * np.exp(sig * Z - np.float32(0.5) * sig * sig)
        y = year_inputs(c, t)
        state, rec = step(xp, p, const, y, weight, Zp, state, stream.year(runs))
        values = rec._asdict()
        values.pop("race")
        # region-level measures
        ties = (rec.credibility * y.commitment >= p.credible_tie).astype(np.float32)
        edges = (ties @ c.link_edge > 0).astype(np.float32)
        degree = edges @ c.edge_incidence
        cap = rec.capability[:, gp]
        values["crisis_count"] = rec.crisis.sum(axis=1)
        values["concentration"] = concentration(cap)
        values["effective_poles"] = effective_poles(cap)
        values["centralization"] = freeman_centralization(degree, drop_isolates=True)
        gp_host = rec.hostility[:, gp_pairs].max(axis=1) if len(gp_pairs) else np.zeros(runs, np.float32)
        overlap = float(c.shared[t][gp_pairs].mean()) if len(gp_pairs) else 0.0
        teeth = float(c.teeth[t][gp_pairs].mean()) if len(gp_pairs) else 0.0
        values["order"] = classify_order(cap, values["centralization"], gp_host, overlap, teeth)
        if t == 0:
            for name, v in values.items():
                arr = np.asarray(v)
                buf[name] = np.empty((runs, Y, *arr.shape[1:]), dtype=OUTPUTS[name].dtype)
        for name, v in values.items():
            buf[name][:, t] = v
    status, fail_year = _check(buf, runs)
    return BlockResult(block=block, data={k: buf[k] for k in keep}, status=status, fail_year=fail_year)


def _check(buf: dict[str, np.ndarray], runs: int) -> tuple[np.ndarray, np.ndarray]:
    """Flag runs with a non-finite value or a value outside its output's bounds."""
    status = np.zeros(runs, np.int8)
    fail_year = np.full(runs, -1, np.int32)
    for code, name in enumerate(_STATUS_NAMES, start=1):
        out = OUTPUTS[name]
        v = buf[name]
        bad = ~np.isfinite(v) if v.dtype.kind == "f" else np.zeros(v.shape, bool)
        if out.low is not None:
            bad |= v < out.low - 1e-4
        if out.high is not None:
            bad |= v > out.high + 1e-4
        bad_ry = bad.reshape(runs, v.shape[1], -1).any(axis=2)
        first = np.where(bad_ry.any(axis=1), bad_ry.argmax(axis=1), -1)
        new = (first >= 0) & ((status == 0) | ((first < fail_year) & (fail_year >= 0)))
        status[new] = code
        fail_year[new] = first[new]
    return status, fail_year
