"""Blocks of runs: the output store, and the results of a chunk of canonical blocks."""

from __future__ import annotations

import math
import mmap
from dataclasses import dataclass
from typing import Any

import numpy as np

from alliancelab.engine.family import ModelFamily

__all__ = ["ChunkResult", "allocate", "fill", "store_bytes"]


@dataclass
class ChunkResult:
    """Outputs of a chunk of consecutive runs: name -> (years, runs, ...); status per run.

    ``data`` is empty where the backend wrote the outputs into the store itself.
    """

    first_run: int
    data: dict[str, np.ndarray]
    status: np.ndarray  # (runs,) 0 ok, else 1 + index of the first failing output
    fail_year: np.ndarray  # (runs,) index of the first failing year, -1 if none


def allocate(
    family: ModelFamily, c: Any, runs: int, names: tuple[str, ...], shared: bool = False
) -> dict[str, np.ndarray]:
    """Zeroed output arrays, indexed (run, year, …) but laid out year by year in memory.

    The engines produce a year of all runs at a time: in this layout each year's values of a
    block of runs are one contiguous stretch, written in one sweep. ``shared`` puts them in
    anonymous shared memory, which forked workers inherit.
    """
    Y = len(family.years(c))
    out = {}
    for n in names:
        o = family.outputs[n]
        shape, dtype = (Y, runs, *family.shape(c, o.group)), np.dtype(o.dtype)
        if shared:
            count = math.prod(shape)
            buffer = mmap.mmap(-1, max(count * dtype.itemsize, 1))  # anonymous, shared, zeroed
            year_major = np.frombuffer(buffer, dtype=dtype, count=count).reshape(shape)
        else:
            year_major = _zeros(shape, dtype)
        out[n] = np.swapaxes(year_major, 0, 1)
    return out


def store_bytes(family: ModelFamily, c: Any, runs: int, names: tuple[str, ...]) -> int:
    """The bytes :func:`allocate` would take for ``runs`` runs of the outputs ``names``."""
    Y = len(family.years(c))
    return sum(
        runs * Y * math.prod(family.shape(c, family.outputs[n].group)) * np.dtype(family.outputs[n].dtype).itemsize
        for n in names
    )


def fill(family: ModelFamily, c: Any, store: dict[str, np.ndarray], res: ChunkResult) -> None:
    """Copy a chunk's outputs into the store's rows."""
    r0, r1 = res.first_run, res.first_run + len(res.status)
    for name, v in res.data.items():
        family.to_store(c, name, store[name][r0:r1], np.swapaxes(v, 0, 1))


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
