"""The ``numba`` backend (the default): a family's fused kernel over spans of runs, on threads.

The kernel (for the order model, :mod:`alliancelab.models.order.kernel`) makes its own draws,
runs the step, the derived measures and the checks, and writes straight into the store; it
releases the GIL, so threads share one store.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from alliancelab.engine.backends.base import RowsResult
from alliancelab.engine.block import ChunkResult, allocate
from alliancelab.engine.family import ModelFamily
from alliancelab.engine.random import BLOCK

__all__ = ["NumbaBackend"]


class NumbaBackend:
    name = "numba"
    group = 1

    def available(self) -> bool:
        return True

    def ready(self, family: ModelFamily) -> bool:
        return family.fused.compiled()

    def chunk_blocks(self, requested: int | None) -> int:
        return 1 if requested is None else requested  # spans are chosen per run; kept for the manifest

    def shared_store(self, workers: int, runs: int, chunk_blocks: int) -> bool:
        return False  # threads share the store

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
        """Run the ensemble through the fused kernel on ``workers`` threads, in place.

        Spans are at most a canonical block long, and short enough that every thread has several
        (a run's numbers never depend on the split). Each finished span is yielded, in order and
        without data, for the checks and the progress bar.
        """
        kernel = family.fused
        prep = kernel.prepare(c, p, store)
        tile = kernel.tile
        size = min(BLOCK, max(tile, tile * math.ceil(runs / (4 * workers * tile))))
        spans = [(r0, min(size, runs - r0)) for r0 in range(0, runs, size)]
        status = np.zeros(runs, np.int8)
        fail_year = np.full(runs, -1, np.int32)

        def one(span: tuple[int, int]) -> ChunkResult:
            r0, n = span
            kernel.run_span(prep, seed, r0, n, r0, status, fail_year)
            return ChunkResult(first_run=r0, data={}, status=status[r0 : r0 + n], fail_year=fail_year[r0 : r0 + n])

        if workers == 1 or len(spans) == 1:
            yield from map(one, spans)
            return
        pool = ThreadPoolExecutor(max_workers=workers)
        try:
            yield from pool.map(one, spans)
        finally:  # on a failure reported early, the spans not started are dropped
            pool.shutdown(wait=True, cancel_futures=True)

    def rows(
        self, family: ModelFamily, c: Any, p: Any, seed: int, rows: int, keep: tuple[str, ...], limit_threads: bool
    ) -> RowsResult:
        store = allocate(family, c, rows, tuple(dict.fromkeys(keep)))
        status = np.zeros(rows, np.int8)
        fail_year = np.full(rows, -1, np.int32)
        family.fused.run_span(family.fused.prepare(c, p, store), seed, 0, rows, 0, status, fail_year)
        out = {n: family.from_store(c, n, np.swapaxes(a, 0, 1)) for n, a in store.items()}
        return out, status, fail_year
