"""Run a model family's ensemble: the store, the backend, the checks and the progress.

:func:`run_ensemble` is the generic core behind a family's ``simulate``; :func:`run_rows` runs
the first rows of one canonical block, for experiments that run many small ensembles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from alliancelab.engine.backends import get_backend
from alliancelab.engine.backends.base import RowsResult
from alliancelab.engine.block import ChunkResult, allocate, store_bytes
from alliancelab.engine.family import ModelFamily
from alliancelab.engine.outputs import bounds_text
from alliancelab.engine.random import BLOCK
from alliancelab.engine.resources import check_memory
from alliancelab.errors import ParameterError, SimulationError

__all__ = ["Ensemble", "check_int", "run_ensemble", "run_rows"]


@dataclass
class Ensemble:
    """The filled store (name -> (run, year, …)), per-run status and failing year, and options."""

    store: dict[str, np.ndarray]
    status: np.ndarray
    fail_year: np.ndarray
    options: dict[str, Any]


def check_int(name: str, value: object, low: int, high: int | None = None, where: str = "simulate") -> int:
    """``value`` as an int in [low, high]; a :class:`ParameterError` otherwise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or value < low
        or (high is not None and value > high)
    ):
        rng = f"an integer in [{low}, {high}]" if high is not None else f"an integer >= {low}"
        raise ParameterError(name, where, rng, value)
    return int(value)


#: Memory a run takes besides its outputs: the compiled kernel's code and the working arrays of
#: the blocks in flight. Measured with the built-in scenario on Linux x86-64 (the numba backend,
#: a warm cache): 94–99 MB at 1,000, 4,000 and 16,000 runs; an assumption elsewhere.
WORKING_BYTES = 100 * 2**20


def run_ensemble(
    family: ModelFamily,
    c: Any,
    p: Any,
    *,
    runs: int,
    seed: int,
    names: tuple[str, ...],
    workers: int = 1,
    backend: str = "numba",
    chunk_blocks: int | None = None,
    throw: bool = True,
    progress: Callable[[int], None] | None = None,
    max_memory: int | None = None,
    copies_after: float = 0.0,
    reserve_bytes: int = 0,
) -> Ensemble:
    """Simulate runs ``0 … runs − 1`` of a compiled model; keep the outputs ``names``.

    With ``throw`` the first run with a non-finite or out-of-bounds value raises
    :class:`SimulationError` (run, year, variable, mechanism); otherwise each run's status is
    reported. ``progress`` is called with the number of runs finished after each chunk. Outputs
    that would not fit in ``max_memory`` bytes (default: 80 % of physical memory) are refused
    before anything runs: the estimate is what the process holds, the outputs, ``copies_after``
    more of them (what the caller will make of them after the run: writing NetCDF takes about
    one), ``reserve_bytes`` (what else the caller will load, such as its writers' libraries) and
    :data:`WORKING_BYTES`.
    """
    engine = get_backend(backend)
    outputs = store_bytes(family, c, runs, names)
    needed = int(outputs * (1 + copies_after)) + WORKING_BYTES + int(reserve_bytes)
    check_memory(needed, f"{runs:,} runs", "simulate", max_memory)
    blocks = engine.chunk_blocks(chunk_blocks if chunk_blocks is None else check_int("chunk_blocks", chunk_blocks, 1))
    store = allocate(family, c, runs, names, engine.shared_store(workers, runs, blocks))
    status = np.zeros(runs, np.int8)
    fail_year = np.full(runs, -1, np.int32)
    for res in engine.ensemble(family, c, p, seed, runs, store, workers, blocks):
        r0 = res.first_run
        r1 = r0 + len(res.status)
        status[r0:r1] = res.status
        fail_year[r0:r1] = res.fail_year
        if throw and res.status.any():
            _raise_first(family, c, res)
        if progress is not None:
            progress(r1 - r0)
    options = {
        "runs": runs,
        "years": len(family.years(c)),
        "seed": seed,
        "keep": list(names),
        "workers": workers,
        "backend": backend,
        "chunk_blocks": blocks,
    }
    return Ensemble(store, status, fail_year, options)


def run_rows(
    family: ModelFamily,
    c: Any,
    p: Any,
    seed: int,
    rows: int,
    keep: tuple[str, ...],
    limit_threads: bool = True,
    backend: str = "numba",
) -> RowsResult:
    """Simulate exactly runs ``0 … rows − 1`` (``rows`` ≤ one canonical block).

    For experiments, which run many small ensembles: row ``r`` draws run ``r``'s random stream
    (common random numbers across the points of a design), and only ``rows`` rows are computed.
    With the default fused kernel (``backend="numba"``) row ``r`` is exactly the ensemble's run
    ``r``; with an array backend it may differ in the last bits, since array kernels may sum in
    a different order for a different number of rows (the result depends on
    ``(c, p, seed, rows)`` alone either way). Returns (outputs as (years, rows, ...) in the
    records' form, status, fail_year).
    """
    rows = check_int("rows", rows, 1, BLOCK, where="run_rows")
    return get_backend(backend, "run_rows").rows(family, c, p, seed, rows, keep, limit_threads)


def _raise_first(family: ModelFamily, c: Any, res: ChunkResult) -> None:
    k = int(np.flatnonzero(res.status)[0])
    name = tuple(family.outputs)[int(res.status[k]) - 1]
    out = family.outputs[name]
    raise SimulationError(
        run=res.first_run + k,
        year=int(family.years(c)[int(res.fail_year[k])]),
        variable=name,
        mechanism=out.mechanism,
        detail=f"is not finite or leaves its bounds (must be finite and {bounds_text(out)})",
    )
