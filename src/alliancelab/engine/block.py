"""Simulate a chunk of canonical blocks: draws, the yearly steps, derived measures, checks."""

from __future__ import annotations

import functools
import math
import mmap
from dataclasses import dataclass
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from alliancelab.engine.backends import Years, run_years
from alliancelab.engine.outputs import OUTPUTS
from alliancelab.engine.random import BLOCK, block_draws
from alliancelab.measures import classify_order, concentration, effective_poles, freeman_centralization
from alliancelab.models.order.compile import Compiled
from alliancelab.models.order.params import Params
from alliancelab.models.order.step import State

__all__ = ["ChunkResult", "allocate", "great_power_context", "run_chunk", "run_rows"]

_STATUS_NAMES = tuple(OUTPUTS)


@dataclass
class ChunkResult:
    """Outputs of a chunk of consecutive blocks: name -> (years, runs, ...); status per run."""

    first_run: int
    data: dict[str, np.ndarray]
    status: np.ndarray  # (runs,) 0 ok, else 1 + index of the first failing output
    fail_year: np.ndarray  # (runs,) index of the first failing year, -1 if none


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


#: Canonical blocks the JAX backend computes as one array (its kernels gain from larger arrays).
JAX_GROUP = 16


def run_chunk(
    c: Compiled,
    p: Params,
    seed: int,
    blocks: list[tuple[int, int]],
    keep: tuple[str, ...],
    backend: str = "numpy",
) -> ChunkResult:
    """Simulate consecutive canonical blocks ``[(block, runs), …]`` for all years.

    Rows are always computed in whole, fixed units — one canonical block (BLOCK rows) for
    NumPy, an aligned group of :data:`JAX_GROUP` blocks for JAX — and then cut to the runs
    asked for: array kernels (BLAS reductions in particular) may sum in a different order for
    a different number of rows, so a run's bits must never depend on how many runs share its
    block or chunk.
    """
    group = JAX_GROUP if backend == "jax" else 1
    units: dict[int, list[tuple[int, int]]] = {}
    for b, n in blocks:
        units.setdefault(b // group, []).append((b, n))
    # the step's matrix products are tiny: BLAS threads only add overhead (and oversubscribe
    # the cores when several workers run), and one thread keeps the summation order fixed
    with threadpool_limits(limits=1, user_api="blas"):
        parts = [_run_unit(c, p, seed, u * group, group, members, keep, backend) for u, members in units.items()]
    data = {k: np.concatenate([part[0][k] for part in parts], axis=1) for k in keep}
    return ChunkResult(
        first_run=blocks[0][0] * BLOCK,
        data=data,
        status=np.concatenate([part[1] for part in parts]),
        fail_year=np.concatenate([part[2] for part in parts]),
    )


def run_rows(
    c: Compiled,
    p: Params,
    seed: int,
    rows: int,
    keep: tuple[str, ...],
    limit_threads: bool = True,
    backend: str = "numba",
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Simulate exactly runs ``0 … rows − 1`` (``rows`` ≤ one canonical block).

    For experiments, which run many small ensembles: row ``r`` draws run ``r``'s random stream
    (common random numbers across the points of a design), and only ``rows`` rows are computed.
    With the default fused kernel (``backend="numba"``) row ``r`` is exactly
    :func:`~alliancelab.engine.simulate`'s run ``r``; with ``backend="numpy"`` it may differ in
    the last bits, since array kernels may sum in a different order for a different number of
    rows (the result depends on ``(c, p, seed, rows)`` alone either way). Returns (outputs as
    (years, rows, ...), dyadic ones in pair form, status, fail_year), like a chunk.
    """
    if not 1 <= rows <= BLOCK:
        raise ValueError(f"rows must be in [1, {BLOCK}]; got {rows}")
    if backend == "numba":
        return _fused_rows(c, p, seed, rows, keep)
    Z, noise = _cached_draws(seed, rows, len(c.years), c.n, c.n_pairs, c.n_links)
    if not limit_threads:  # the caller holds one BLAS thread already (the limit costs ~2 ms to set)
        return _simulate_rows(c, p, initial_state(c, rows), Z, noise, keep, "numpy")
    with threadpool_limits(limits=1, user_api="blas"):
        return _simulate_rows(c, p, initial_state(c, rows), Z, noise, keep, "numpy")


def _fused_rows(
    c: Compiled, p: Params, seed: int, rows: int, keep: tuple[str, ...]
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    from alliancelab.engine.fused import prepare, run_span

    store = allocate(c, rows, tuple(dict.fromkeys(keep)))
    status = np.zeros(rows, np.int8)
    fail_year = np.full(rows, -1, np.int32)
    run_span(prepare(c, p, store), seed, 0, rows, 0, status, fail_year)
    out = {}
    for n, a in store.items():
        by_year = np.swapaxes(a, 0, 1)  # (years, rows, …), as laid out
        out[n] = by_year[..., c.pair_i, c.pair_j] if OUTPUTS[n].group == "dyad" else by_year
    return out, status, fail_year


def allocate(c: Compiled, runs: int, names: tuple[str, ...], shared: bool = False) -> dict[str, np.ndarray]:
    """Zeroed output arrays, indexed (run, year, …) but laid out year by year in memory.

    The engines produce a year of all runs at a time: in this layout each year's values of a
    block of runs are one contiguous stretch, written in one sweep. ``shared`` puts them in
    anonymous shared memory, which forked workers inherit.
    """
    Y, N, L = len(c.years), c.n, c.n_links
    shapes = {"actor": (Y, runs, N), "alliance": (Y, runs, L), "dyad": (Y, runs, N, N), "region": (Y, runs)}
    out = {}
    for n in names:
        shape, dtype = shapes[OUTPUTS[n].group], np.dtype(OUTPUTS[n].dtype)
        if shared:
            count = math.prod(shape)
            buffer = mmap.mmap(-1, max(count * dtype.itemsize, 1))  # anonymous, shared, zeroed
            year_major = np.frombuffer(buffer, dtype=dtype, count=count).reshape(shape)
        else:
            year_major = _zeros(shape, dtype)
        out[n] = np.swapaxes(year_major, 0, 1)
    return out


#: Arrays from this size up are backed by transparent huge pages where the OS offers them.
_HUGE_FROM = 32 * 2**20


def _zeros(shape: tuple[int, ...], dtype: np.dtype[Any]) -> np.ndarray:
    """A zeroed array; large ones in anonymous memory advised for transparent huge pages.

    A 100,000-run ensemble writes gigabytes of outputs, and faulting them in 4 KiB pages costs a
    large share of the run time; 2 MiB pages cut the page faults 512-fold (Linux ``madvise``;
    elsewhere, or below :data:`_HUGE_FROM`, a plain ``numpy.zeros``).
    """
    size = math.prod(shape) * dtype.itemsize
    if size < _HUGE_FROM or not hasattr(mmap, "MADV_HUGEPAGE"):
        return np.zeros(shape, dtype=dtype)
    buffer = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)  # zeroed by the OS
    buffer.madvise(mmap.MADV_HUGEPAGE)
    return np.frombuffer(buffer, dtype=dtype).reshape(shape)


@functools.lru_cache(maxsize=4)
def _cached_draws(seed: int, rows: int, years: int, n: int, pairs: int, links: int) -> tuple[np.ndarray, Any]:
    """Block 0's draws for ``rows`` rows, kept: every point of a design reuses them. Read-only."""
    Z, noise = block_draws(seed, 0, rows, years, n, pairs, links)
    for a in (Z, *noise):
        a.flags.writeable = False
    return Z, noise


#: What the region measures and the checks read, besides the kept outputs.
_ALWAYS = ("gdp", "share", "capability", "credibility", "crises")
_REGION = ("crisis_count", "concentration", "effective_poles", "centralization", "order")


def _great_power_pairs(c: Compiled) -> tuple[int, ...]:
    gp = set((c.great if len(c.great) >= 2 else np.arange(c.n)).tolist())
    return tuple(k for k, (i, j) in enumerate(zip(c.pair_i, c.pair_j, strict=True)) if i in gp and j in gp)


def great_power_context(c: Compiled) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The order type's inputs that do not depend on a run: the great powers (all states when
    fewer than two), the pairs among them, and per year their mean institutional overlap and
    mean teeth (zeros when there is no such pair)."""
    gp = c.great if len(c.great) >= 2 else np.arange(c.n)
    pairs = np.array(_great_power_pairs(c), dtype=np.intp)
    if len(pairs):
        return gp, pairs, c.shared[:, pairs].mean(axis=1), c.teeth[:, pairs].mean(axis=1)
    none = np.zeros(len(c.years), np.float32)
    return gp, pairs, none, none


def _run_unit(
    c: Compiled,
    p: Params,
    seed: int,
    first_block: int,
    n_blocks: int,
    members: list[tuple[int, int]],
    keep: tuple[str, ...],
    backend: str,
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Compute ``n_blocks`` whole canonical blocks from ``first_block``; keep the ``members``'
    runs (consecutive blocks from the unit's start)."""
    draws = [
        block_draws(seed, b, BLOCK, len(c.years), c.n, c.n_pairs, c.n_links)
        for b in range(first_block, first_block + n_blocks)
    ]
    Z = np.concatenate([d[0] for d in draws]) if n_blocks > 1 else draws[0][0]
    noise = (
        draws[0][1]
        if n_blocks == 1
        else type(draws[0][1])(
            *(np.concatenate([getattr(d[1], f) for d in draws], axis=1) for f in draws[0][1]._fields)
        )
    )
    lo = (members[0][0] - first_block) * BLOCK
    runs = sum(n for _, n in members)
    return _simulate_rows(c, p, initial_state(c, n_blocks * BLOCK), Z, noise, keep, backend, slice(lo, lo + runs))


def _simulate_rows(
    c: Compiled,
    p: Params,
    state: State,
    Z: np.ndarray,
    noise: Any,
    keep: tuple[str, ...],
    backend: str,
    cut: slice = slice(None),
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """All years for the rows of ``state``; keep rows ``cut``; region measures and checks."""
    gp_pairs = _great_power_pairs(c)
    recorded = [k for k in keep if k not in _REGION]
    needed = tuple(dict.fromkeys([*recorded, *_ALWAYS, "hostility" if "hostility" in keep else "hostility_gp"]))
    records = run_years(backend, Years(c, p, state, Z, noise, needed, gp_pairs))
    records = {k: v[:, cut] for k, v in records.items()}
    records.update(_region(c, p, records, gp_pairs))
    status, fail_year = _check(records)
    return {k: records[k] for k in keep}, status, fail_year


def _region(c: Compiled, p: Params, r: dict[str, Any], gp_pairs: tuple[int, ...]) -> dict[str, np.ndarray]:
    """Region-level measures over all years and runs at once."""
    gp, pairs, overlap, teeth = great_power_context(c)
    ties = (r["credibility"] * c.commitment[:, None, :] >= p.credible_tie).astype(np.float32)
    degree = ((ties @ c.link_edge) > 0).astype(np.float32) @ c.edge_incidence
    cap = r["capability"][..., gp]
    out: dict[str, np.ndarray] = {
        "crisis_count": (r["crises"].sum(axis=-1) // 2).astype(np.int16),
        "concentration": concentration(cap),
        "effective_poles": effective_poles(cap),
        "centralization": freeman_centralization(degree, drop_isolates=True).astype(np.float32),
    }
    if len(pairs):
        host = r["hostility"][..., pairs] if "hostility" in r else r["hostility_gp"]
        host = host.max(axis=-1)
    else:
        host = np.zeros(cap.shape[:2], np.float32)
    out["order"] = classify_order(cap, out["centralization"], host, overlap[:, None], teeth[:, None])
    return out


def _check(records: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Flag runs with a non-finite value or a value outside its output's bounds.

    Outputs that were not recorded are not checked: a NaN anywhere reaches the recorded
    stocks (GDP, share, capability, credibility) within a year, since each feeds them.

    One pass per float output: a comparison with NaN is false, so ``lo <= v <= hi`` (with
    ``hi = inf`` where there is no upper bound, and ``v < inf`` then) rejects NaN and ±inf too.
    Integer outputs are 0/1 indicators, counts and codes built from comparisons.
    """
    Y, runs = records["gdp"].shape[:2]
    status = np.zeros(runs, np.int8)
    fail_year = np.full(runs, -1, np.int32)
    for code, name in enumerate(_STATUS_NAMES, start=1):
        if name not in records:
            continue
        out = OUTPUTS[name]
        v = records[name]
        if v.dtype.kind != "f":
            continue
        lo = -np.inf if out.low is None else out.low - 1e-4
        ok = v >= lo
        ok &= (v <= out.high + 1e-4) if out.high is not None else (v < np.inf)
        ok_yr = ok.reshape(Y, runs, -1).all(axis=2)
        if ok_yr.all():
            continue
        bad_yr = ~ok_yr
        first = np.where(bad_yr.any(axis=0), bad_yr.argmax(axis=0), -1)
        new = (first >= 0) & ((status == 0) | (first < fail_year))
        status[new] = code
        fail_year[new] = first[new]
    return status, fail_year
