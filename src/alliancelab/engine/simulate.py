"""The one entry point: ``simulate(scenario, runs=…, years=…, seed=…)`` → ``xarray.Dataset``."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from alliancelab.engine.backends import BACKENDS
from alliancelab.engine.block import JAX_GROUP, ChunkResult, allocate, run_chunk
from alliancelab.engine.manifest import build_manifest, dumps
from alliancelab.engine.outputs import OUTPUTS, select_outputs
from alliancelab.engine.random import BLOCK
from alliancelab.errors import ParameterError, SimulationError
from alliancelab.measures.order import ORDER_TYPES
from alliancelab.models.order.compile import Compiled, compile_scenario
from alliancelab.models.order.params import Params
from alliancelab.scenario.load import load_scenario
from alliancelab.scenario.model import Scenario

__all__ = ["simulate"]


def _check_int(name: str, value: object, low: int, high: int | None = None) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or value < low
        or (high is not None and value > high)
    ):
        rng = f"an integer in [{low}, {high}]" if high is not None else f"an integer >= {low}"
        raise ParameterError(name, "simulate", rng, value)
    return int(value)


Job = tuple[Compiled, Params, int, list[tuple[int, int]], tuple[str, ...], str]

#: Output arrays in anonymous shared memory, inherited by forked workers (set while a pool runs).
_SHARED: dict[str, np.ndarray] | None = None


def _chunk_job(args: Job) -> ChunkResult:
    comp, params, seed, blocks, keep, backend = args
    return run_chunk(comp, params, seed, blocks, keep, backend)


def _shared_chunk_job(args: Job) -> ChunkResult:
    """Run a chunk in a forked worker and write its outputs straight into the shared arrays."""
    assert _SHARED is not None
    res = _chunk_job(args)
    _fill(_SHARED, args[0], res, res.first_run, res.first_run + len(res.status))
    return ChunkResult(first_run=res.first_run, data={}, status=res.status, fail_year=res.fail_year)


def simulate(
    scenario: Scenario | str | Path,
    *,
    runs: int = 1000,
    years: int | None = None,
    seed: int = 0,
    params: Params | None = None,
    keep: str | Sequence[str] | None = None,
    workers: int = 1,
    backend: str = "numba",
    chunk_blocks: int | None = None,
    throw: bool = True,
    progress: Callable[[int], None] | None = None,
) -> xr.Dataset:
    """Run a scenario as a Monte Carlo ensemble of ``runs`` runs for ``years`` years.

    Parameters
    ----------
    scenario : a :class:`~alliancelab.scenario.Scenario`, a preset name or a TOML path.
    runs : ensemble size.
    years : horizon; default the scenario's ``years``.
    seed : the explicit seed. Run ``r`` depends only on ``(seed, r)``: the result is identical
        whatever ``runs``, the chunking or ``workers``.
    params : behavioural parameters and mechanism switches (:class:`Params`).
    keep : outputs to keep: None/"all", groups ("actor", "alliance", "dyad", "region") and/or
        output names. The dyadic outputs are the heavy part (N² per run-year).
    workers : threads (numba) or processes (numpy, jax) to spread the blocks over.
    backend : "numba" (default: the step, region measures and checks fused in one compiled
        kernel, :mod:`alliancelab.engine.fused`; compiled once and cached on first use), "numpy"
        (the reference step, :mod:`alliancelab.models.order.step`) or "jax" (the same step
        jit-compiled; needs ``jax`` installed). All share the random streams and agree to float32
        rounding.
    chunk_blocks : canonical blocks of 1024 runs per task for NumPy and JAX (default 1 for
        NumPy, which keeps the working set in cache; JAX computes aligned groups of 16 blocks, so
        its chunks are rounded up to whole groups); the numba backend splits the runs into spans
        of at most a block, several per thread. Never changes the result.
    throw : raise :class:`SimulationError` on the first run with a non-finite or out-of-bounds
        value; with False, keep going and report per run in the ``status`` variable.
    progress : called with the number of runs finished after each chunk or span.

    Returns
    -------
    xarray.Dataset with dimensions ``run``, ``year``, ``actor``, ``other``, ``link``; the
    manifest is in ``attrs["manifest"]`` (JSON).

    Examples
    --------
    >>> ds = simulate("asia-pacific-2001", runs=8, years=5, seed=1)
    >>> ds["share"].sizes["run"], int(ds.year[0]), str(ds.actor[0].values)
    (8, 2001, 'usa')
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    runs = _check_int("runs", runs, 1)
    seed = _check_int("seed", seed, 0)
    workers = _check_int("workers", workers, 1, 256)
    if years is not None:
        years = _check_int("years", years, 1, 200)
    if params is not None and not isinstance(params, Params):
        raise ParameterError("params", "simulate", "a Params instance (see make_params)", type(params).__name__)
    if backend not in BACKENDS:
        raise ParameterError("backend", "simulate", f"one of {list(BACKENDS)}", backend)
    if chunk_blocks is None:
        chunk_blocks = 16 if backend == "jax" else 1
    chunk_blocks = _check_int("chunk_blocks", chunk_blocks, 1)
    if backend == "jax":  # JAX computes aligned groups of JAX_GROUP blocks: chunks hold whole groups
        chunk_blocks = JAX_GROUP * math.ceil(chunk_blocks / JAX_GROUP)
    p = params or Params()
    names = select_outputs(keep)
    comp = compile_scenario(sc, p, years)
    plan = [(b, min(BLOCK, runs - b * BLOCK)) for b in range(math.ceil(runs / BLOCK))]
    chunks = [plan[i : i + chunk_blocks] for i in range(0, len(plan), chunk_blocks)]
    shared = workers > 1 and len(chunks) > 1 and backend == "numpy" and _can_fork()
    store = allocate(comp, runs, names, shared)
    status = np.zeros(runs, np.int8)
    fail_year = np.full(runs, -1, np.int32)

    def collect(results: Iterable[ChunkResult]) -> None:
        for res in results:
            r0 = res.first_run
            r1 = r0 + len(res.status)
            if res.data:
                _fill(store, comp, res, r0, r1)
            status[r0:r1] = res.status
            fail_year[r0:r1] = res.fail_year
            if throw and res.status.any():
                _raise_first(res, r0, comp)
            if progress is not None:
                progress(r1 - r0)

    jobs: list[Job] = [(comp, p, seed, chunk, names, backend) for chunk in chunks]
    if backend == "numba":
        collect(_fused_spans(comp, p, seed, runs, store, status, fail_year, workers))
    elif workers == 1 or len(chunks) == 1:
        collect(_chunk_job(job) for job in jobs)
    elif shared:
        # NumPy workers are forked after the outputs are allocated in shared memory, so they
        # write results in place and send back only the per-run status.
        global _SHARED
        _SHARED = store
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=_context("fork")) as pool:
                collect(pool.map(_shared_chunk_job, jobs))
        finally:
            _SHARED = None
    else:
        # JAX is multithreaded and must not be forked: fresh interpreters, results pickled back.
        with ProcessPoolExecutor(max_workers=workers, mp_context=_context("forkserver")) as pool:
            collect(pool.map(_chunk_job, jobs))

    options = {
        "runs": runs,
        "years": len(comp.years),
        "seed": seed,
        "keep": list(names),
        "workers": workers,
        "backend": backend,
        "chunk_blocks": chunk_blocks,
    }
    return _dataset(comp, sc, p, store, status, fail_year, options)


def _fused_spans(
    c: Compiled,
    p: Params,
    seed: int,
    runs: int,
    store: dict[str, np.ndarray],
    status: np.ndarray,
    fail_year: np.ndarray,
    workers: int,
) -> Iterable[ChunkResult]:
    """Run the ensemble through the fused kernel on ``workers`` threads, in place.

    Spans are at most a canonical block long, and short enough that every thread has several
    (a run's numbers never depend on the split). The kernel releases the GIL and writes straight
    into ``store``; each finished span is yielded, in order and without data, for the checks and
    the progress bar.
    """
    from concurrent.futures import ThreadPoolExecutor

    from alliancelab.engine.fused import TILE, prepare, run_span

    prep = prepare(c, p, store)
    size = min(BLOCK, max(TILE, TILE * math.ceil(runs / (4 * workers * TILE))))
    spans = [(r0, min(size, runs - r0)) for r0 in range(0, runs, size)]

    def one(span: tuple[int, int]) -> ChunkResult:
        r0, n = span
        run_span(prep, seed, r0, n, r0, status, fail_year)
        return ChunkResult(first_run=r0, data={}, status=status[r0 : r0 + n], fail_year=fail_year[r0 : r0 + n])

    if workers == 1 or len(spans) == 1:
        yield from map(one, spans)
        return
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        yield from pool.map(one, spans)
    finally:  # on a failure reported early, the spans not started are dropped
        pool.shutdown(wait=True, cancel_futures=True)


def _can_fork() -> bool:
    """Fork only where it is safe: a POSIX start method, and no multithreaded JAX runtime loaded."""
    import multiprocessing as mp
    import sys

    return "fork" in mp.get_all_start_methods() and "jax" not in sys.modules


def _context(method: str) -> Any:
    import multiprocessing as mp

    return mp.get_context(method if method in mp.get_all_start_methods() else "spawn")


def _fill(store: dict[str, np.ndarray], c: Compiled, res: ChunkResult, r0: int, r1: int) -> None:
    for name, v in res.data.items():
        v = np.swapaxes(v, 0, 1)
        if OUTPUTS[name].group == "dyad":
            target = store[name]
            target[r0:r1, :, c.pair_i, c.pair_j] = v
            target[r0:r1, :, c.pair_j, c.pair_i] = v
        else:
            store[name][r0:r1] = v


def _raise_first(res: ChunkResult, r0: int, c: Compiled) -> None:
    k = int(np.flatnonzero(res.status)[0])
    name = tuple(OUTPUTS)[int(res.status[k]) - 1]
    out = OUTPUTS[name]
    bounds = (
        f"within [{out.low}, {out.high}]"
        if out.high is not None
        else (f">= {out.low}" if out.low is not None else "finite")
    )
    raise SimulationError(
        run=r0 + k,
        year=int(c.years[int(res.fail_year[k])]),
        variable=name,
        mechanism=out.mechanism,
        detail=f"is not finite or leaves its bounds (must be finite and {bounds})",
    )


def _dataset(
    c: Compiled,
    sc: Scenario,
    p: Params,
    store: dict[str, np.ndarray],
    status: np.ndarray,
    fail_year: np.ndarray,
    options: dict[str, Any],
) -> xr.Dataset:
    runs = len(status)
    dims = {
        "actor": ("run", "year", "actor"),
        "alliance": ("run", "year", "link"),
        "dyad": ("run", "year", "actor", "other"),
        "region": ("run", "year"),
    }
    data_vars = {}
    for name, arr in store.items():
        o = OUTPUTS[name]
        attrs: dict[str, object] = {"units": o.units, "long_name": o.description, "mechanism": o.mechanism}
        if name == "order":
            attrs["flag_values"] = list(range(len(ORDER_TYPES)))
            attrs["flag_meanings"] = " ".join(t.replace(" ", "_") for t in ORDER_TYPES)
        data_vars[name] = xr.Variable(dims[o.group], arr, attrs)
    status_names = ["ok", *OUTPUTS]
    data_vars["status"] = xr.Variable(
        ("run",),
        status,
        {
            "long_name": "0 = ok, else 1 + index of the first failing output",
            "flag_meanings": " ".join(status_names),
        },
    )
    data_vars["fail_year"] = xr.Variable(("run",), np.where(fail_year >= 0, c.years[np.maximum(fail_year, 0)], -1))
    link_label = [
        f"{a}:{c.ids[d]}<-{c.ids[g]}" for a, d, g in zip(c.link_alliance, c.link_defended, c.link_defender, strict=True)
    ]
    coords = {
        "run": np.arange(runs),
        "year": c.years,
        "actor": list(c.ids),
        "other": list(c.ids),
        "actor_name": ("actor", list(c.names)),
        "link": link_label,
        "link_alliance": ("link", list(c.link_alliance)),
        "link_defended": ("link", [c.ids[d] for d in c.link_defended]),
        "link_defender": ("link", [c.ids[g] for g in c.link_defender]),
    }
    manifest = build_manifest(sc, p, options)
    attrs = {
        "title": f"alliancelab simulation of {sc.name}",
        "scenario": sc.name,
        "scenario_hash": manifest["scenario_hash"],
        "seed": options["seed"],
        "alliancelab_version": manifest["alliancelab"],
        "order_types": ", ".join(f"{k}: {t}" for k, t in enumerate(ORDER_TYPES)),
        "manifest": dumps(manifest),
    }
    return xr.Dataset(data_vars, coords=coords, attrs=attrs)
