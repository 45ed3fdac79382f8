"""Simulate a chunk of canonical blocks: draws, the yearly steps, derived measures, checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from alliancelab.engine.backends import run_years
from alliancelab.engine.outputs import OUTPUTS
from alliancelab.engine.random import block_draws
from alliancelab.measures import classify_order, concentration, effective_poles, freeman_centralization
from alliancelab.models.order.compile import Compiled
from alliancelab.models.order.params import Params
from alliancelab.models.order.step import Constants, Noise, State

__all__ = ["ChunkResult", "run_chunk"]

_STATUS_NAMES = tuple(OUTPUTS)


@dataclass
class ChunkResult:
    """Outputs of a chunk of consecutive blocks: name -> (years, runs, ...); status per run."""

    first_run: int
    data: dict[str, np.ndarray]
    status: np.ndarray  # (runs,) 0 ok, else 1 + index of the first failing output
    fail_year: np.ndarray  # (runs,) index of the first failing year, -1 if none


def constants(c: Compiled) -> Constants:
    return Constants(
        grievance=c.grievance,
        reaction=c.reaction,
        depreciation=c.depreciation,
        share_min=c.share_min,
        share_max=c.share_max,
        full_index=c.full_index,
        pair_i=c.pair_i,
        pair_j=c.pair_j,
        pair_incidence=c.pair_incidence,
        pair_incidence_t=np.ascontiguousarray(c.pair_incidence.T),
        defended=c.link_defended,
        defender=c.link_defender,
        defended_incidence=c.defended_incidence,
        defender_incidence=c.defender_incidence,
        support0=c.support0,
        burden_ratio0=c.burden_ratio0,
        net_threat0=c.net_threat0,
    )


def initial_state(c: Compiled, runs: int) -> State:
    def rep(v: np.ndarray) -> np.ndarray:
        return np.repeat(v[None], runs, axis=0)

    return State(
        gdp=rep(c.gdp0),
        capability=rep(c.capability0),
        share=rep(c.milex0 / c.gdp0),
        milex=rep(c.milex0),
        hostility=rep(c.baseline[0]),
        credibility=rep(c.credibility0),
        support=rep(c.support0),
    )


def run_chunk(
    c: Compiled,
    p: Params,
    seed: int,
    blocks: list[tuple[int, int]],
    keep: tuple[str, ...],
    backend: str = "numpy",
) -> ChunkResult:
    """Simulate consecutive canonical blocks ``[(block, runs), …]`` for all years."""
    Y = len(c.years)
    draws = [block_draws(seed, b, n, Y, c.n, c.n_pairs, c.n_links) for b, n in blocks]
    Z = np.concatenate([d[0] for d in draws], axis=0)
    noise = Noise(*(np.concatenate([getattr(d[1], f) for d in draws], axis=1) for f in Noise._fields))
    runs = Z.shape[0]
    records = run_years(backend, c, p, constants(c), initial_state(c, runs), Z, noise)
    records.pop("race")
    records.update(_region(c, p, records))
    status, fail_year = _check(records)
    from alliancelab.engine.random import BLOCK

    return ChunkResult(
        first_run=blocks[0][0] * BLOCK,
        data={k: records[k] for k in keep},
        status=status,
        fail_year=fail_year,
    )


def _region(c: Compiled, p: Params, r: dict[str, Any]) -> dict[str, np.ndarray]:
    """Region-level measures over all years and runs at once."""
    gp = c.great if len(c.great) >= 2 else np.arange(c.n)
    pairs = [k for k, (i, j) in enumerate(zip(c.pair_i, c.pair_j, strict=True)) if i in gp and j in gp]
    gp_pairs = np.array(pairs, dtype=np.intp)
    ties = (r["credibility"] * c.commitment[:, None, :] >= p.credible_tie).astype(np.float32)
    degree = ((ties @ c.link_edge) > 0).astype(np.float32) @ c.edge_incidence
    cap = r["capability"][..., gp]
    out: dict[str, np.ndarray] = {
        "crisis_count": r["crisis"].sum(axis=-1),
        "concentration": concentration(cap),
        "effective_poles": effective_poles(cap),
        "centralization": freeman_centralization(degree, drop_isolates=True).astype(np.float32),
    }
    if len(gp_pairs):
        host = r["hostility"][..., gp_pairs].max(axis=-1)
        overlap = c.shared[:, gp_pairs].mean(axis=1)[:, None]
        teeth = c.teeth[:, gp_pairs].mean(axis=1)[:, None]
    else:
        host = np.zeros(cap.shape[:2], np.float32)
        overlap = teeth = np.zeros((len(c.years), 1), np.float32)
    out["order"] = classify_order(cap, out["centralization"], host, overlap, teeth)
    return out


def _check(records: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Flag runs with a non-finite value or a value outside its output's bounds."""
    Y, runs = records["gdp"].shape[:2]
    status = np.zeros(runs, np.int8)
    fail_year = np.full(runs, -1, np.int32)
    for code, name in enumerate(_STATUS_NAMES, start=1):
        out = OUTPUTS[name]
        v = records[name]
        bad = ~np.isfinite(v) if v.dtype.kind == "f" else np.zeros(v.shape, bool)
        if out.low is not None:
            bad |= v < out.low - 1e-4
        if out.high is not None:
            bad |= v > out.high + 1e-4
        bad_yr = bad.reshape(Y, runs, -1).any(axis=2)
        first = np.where(bad_yr.any(axis=0), bad_yr.argmax(axis=0), -1)
        new = (first >= 0) & ((status == 0) | (first < fail_year))
        status[new] = code
        fail_year[new] = first[new]
    return status, fail_year
