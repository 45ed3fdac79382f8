"""The backend protocol, and what the two array backends (NumPy, JAX) share.

A backend runs a model family's ensemble: :meth:`Backend.ensemble` fills an output store for
runs ``0 … runs − 1`` and yields each finished chunk (for the checks and the progress bar);
:meth:`Backend.rows` runs the first ``rows`` runs of one canonical block, for experiments that
run many small ensembles. Every backend gives run ``r`` a result that depends only on
``(seed, r)``, whatever the chunking, workers or threads.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from typing import Any, Protocol

import numpy as np
from threadpoolctl import threadpool_limits

from alliancelab.engine.block import ChunkResult, fill
from alliancelab.engine.family import ArrayOps, ArrayProgram, ModelFamily
from alliancelab.engine.outputs import check_records
from alliancelab.engine.random import BLOCK
from alliancelab.engine.workers import worker_pool

__all__ = ["ArrayBackend", "ArrayOps", "Backend", "EagerOps", "RowsResult", "at_year"]

#: (outputs as (years, rows, …) in the records' form, status, fail_year)
RowsResult = tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]


class Backend(Protocol):
    """How an ensemble is computed."""

    name: str
    #: Canonical blocks computed as one unit of rows (chunks hold whole units).
    group: int

    def available(self) -> bool: ...

    def ready(self, family: ModelFamily) -> bool:
        """False where the first run must compile a kernel first (it takes a while)."""
        ...

    def chunk_blocks(self, requested: int | None) -> int:
        """Blocks per task: the default where ``requested`` is None, rounded up to whole units."""
        ...

    def shared_store(self, workers: int, runs: int, chunk_blocks: int) -> bool:
        """Whether the store should be allocated in shared memory (forked workers write to it)."""
        ...

    def ensemble(
        self,
        family: ModelFamily,
        c: Any,
        p: Any,
        seed: int,
        runs: int,
        store: dict[str, np.ndarray],
        workers: int,
        chunk_blocks: int,
    ) -> Iterable[ChunkResult]:
        """Fill ``store`` for runs ``0 … runs − 1``; yield each finished chunk without data."""
        ...

    def rows(
        self, family: ModelFamily, c: Any, p: Any, seed: int, rows: int, keep: tuple[str, ...], limit_threads: bool
    ) -> RowsResult: ...


#: Output arrays in anonymous shared memory, inherited by forked workers (set while a pool runs).
_SHARED: dict[str, np.ndarray] | None = None

Job = tuple[ModelFamily, Any, Any, int, list[tuple[int, int]], tuple[str, ...], str]


def _chunk_job(job: Job) -> ChunkResult:
    from alliancelab.engine.backends import get_backend

    family, c, p, seed, blocks, keep, name = job
    backend = get_backend(name)
    assert isinstance(backend, ArrayBackend)
    return backend.run_chunk(family, c, p, seed, blocks, keep)


def _shared_chunk_job(job: Job) -> ChunkResult:
    """Run a chunk in a forked worker and write its outputs straight into the shared arrays."""
    assert _SHARED is not None
    res = _chunk_job(job)
    fill(job[0], job[1], _SHARED, res)
    return ChunkResult(first_run=res.first_run, data={}, status=res.status, fail_year=res.fail_year)


class ArrayBackend:
    """A backend that runs a family's :class:`ArrayProgram` over whole units of canonical blocks.

    Rows are always computed in whole, fixed units — one canonical block (BLOCK rows), or an
    aligned group of :attr:`group` blocks — and then cut to the runs asked for: array kernels
    (BLAS reductions in particular) may sum in a different order for a different number of
    rows, so a run's bits must never depend on how many runs share its block or chunk.
    """

    name = "array"
    group = 1
    default_chunk = 1
    #: The start method of worker processes: "fork" shares the store; "forkserver" pickles back.
    start_method = "fork"

    def available(self) -> bool:
        return True

    def ready(self, family: ModelFamily) -> bool:
        return True

    def years(self, program: ArrayProgram, p: Any, plan: Hashable, carry: Any, xs: Any, static: Any) -> dict[str, Any]:
        """Run all years; the recorded fields stacked as (years, rows, …) arrays."""
        raise NotImplementedError

    def chunk_blocks(self, requested: int | None) -> int:
        blocks = self.default_chunk if requested is None else requested
        return self.group * math.ceil(blocks / self.group)

    def shared_store(self, workers: int, runs: int, chunk_blocks: int) -> bool:
        chunks = math.ceil(math.ceil(runs / BLOCK) / chunk_blocks)
        return workers > 1 and chunks > 1 and self.start_method == "fork" and _can_fork()

    def ensemble(
        self,
        family: ModelFamily,
        c: Any,
        p: Any,
        seed: int,
        runs: int,
        store: dict[str, np.ndarray],
        workers: int,
        chunk_blocks: int,
    ) -> Iterable[ChunkResult]:
        plan = [(b, min(BLOCK, runs - b * BLOCK)) for b in range(math.ceil(runs / BLOCK))]
        chunks = [plan[i : i + chunk_blocks] for i in range(0, len(plan), chunk_blocks)]
        keep = tuple(store)
        jobs: list[Job] = [(family, c, p, seed, chunk, keep, self.name) for chunk in chunks]
        if workers == 1 or len(chunks) == 1:
            yield from (_filled(family, c, store, res) for res in map(_chunk_job, jobs))
        elif self.shared_store(workers, runs, chunk_blocks):
            # workers are forked after the outputs are allocated in shared memory, so they write
            # results in place and send back only the per-run status
            global _SHARED
            _SHARED = store
            try:
                with worker_pool(workers, _context("fork")) as pool:
                    yield from pool.map(_shared_chunk_job, jobs)
            finally:
                _SHARED = None
        else:
            # a multithreaded runtime (JAX) must not be forked: fresh interpreters, results pickled
            with worker_pool(workers, _context("forkserver")) as pool:
                yield from (_filled(family, c, store, res) for res in pool.map(_chunk_job, jobs))

    def run_chunk(
        self, family: ModelFamily, c: Any, p: Any, seed: int, blocks: list[tuple[int, int]], keep: tuple[str, ...]
    ) -> ChunkResult:
        """Simulate consecutive canonical blocks ``[(block, runs), …]`` for all years."""
        group = self.group
        units: dict[int, list[tuple[int, int]]] = {}
        for b, n in blocks:
            units.setdefault(b // group, []).append((b, n))
        # the step's matrix products are tiny: BLAS threads only add overhead (and oversubscribe
        # the cores when several workers run), and one thread keeps the summation order fixed
        with threadpool_limits(limits=1, user_api="blas"):
            parts = []
            for u, members in units.items():
                first = u * group
                draws = family.draws(c, seed, first * BLOCK, group * BLOCK)
                lo = (members[0][0] - first) * BLOCK
                cut = slice(lo, lo + sum(n for _, n in members))
                parts.append(self._simulate(family, c, p, draws, group * BLOCK, keep, cut))
        return ChunkResult(
            first_run=blocks[0][0] * BLOCK,
            data={k: np.concatenate([part[0][k] for part in parts], axis=1) for k in keep},
            status=np.concatenate([part[1] for part in parts]),
            fail_year=np.concatenate([part[2] for part in parts]),
        )

    def rows(
        self, family: ModelFamily, c: Any, p: Any, seed: int, rows: int, keep: tuple[str, ...], limit_threads: bool
    ) -> RowsResult:
        draws = family.draws(c, seed, 0, rows, reuse=True)
        if not limit_threads:  # the caller holds one BLAS thread already (the limit costs ~2 ms to set)
            return self._simulate(family, c, p, draws, rows, keep)
        with threadpool_limits(limits=1, user_api="blas"):
            return self._simulate(family, c, p, draws, rows, keep)

    def _simulate(
        self,
        family: ModelFamily,
        c: Any,
        p: Any,
        draws: Any,
        rows: int,
        keep: tuple[str, ...],
        cut: slice = slice(None),
    ) -> RowsResult:
        """All years for ``rows`` rows; keep rows ``cut``; derived outputs and checks."""
        program = family.arrays
        plan = program.plan(c, keep)
        carry, xs, static = program.inputs(c, draws, rows)
        records = self.years(program, p, plan, carry, xs, static)
        records = {k: v[:, cut] for k, v in records.items()}
        records.update(program.finish(c, p, records))
        status, fail_year = check_records(family.outputs, records)
        return {k: records[k] for k in keep}, status, fail_year


class EagerOps:
    """Array operations for an eager namespace: a value is recomputed only when stale."""

    def __init__(self, xp: Any) -> None:
        self.xp = xp

    def reuse(self, fresh: Any, compute: Any, old: Any) -> Any:
        return compute() if fresh else old


def at_year(tree: Any, t: int) -> Any:
    """Index ``t`` along the leading (year) axis of every array in a tree of named tuples."""
    if isinstance(tree, tuple):
        items = [at_year(v, t) for v in tree]
        return type(tree)(*items) if hasattr(tree, "_fields") else tuple(items)
    return tree[t]


def _filled(family: ModelFamily, c: Any, store: dict[str, np.ndarray], res: ChunkResult) -> ChunkResult:
    fill(family, c, store, res)
    return ChunkResult(first_run=res.first_run, data={}, status=res.status, fail_year=res.fail_year)


def _can_fork() -> bool:
    """Fork only where it is safe: a POSIX start method, and no multithreaded JAX runtime loaded."""
    import multiprocessing as mp
    import sys

    return "fork" in mp.get_all_start_methods() and "jax" not in sys.modules


def _context(method: str) -> Any:
    import multiprocessing as mp

    return mp.get_context(method if method in mp.get_all_start_methods() else "spawn")
