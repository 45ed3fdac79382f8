"""The order model's random draws: its streams, and the draws of whole canonical blocks.

Every draw is a function of (seed, run, year, stream, slot) through the engine's Philox
streams (:mod:`alliancelab.engine.random`); the fused kernel (:mod:`.kernel`) makes the same
draws in place with the same functions.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from numba import njit

from alliancelab.engine.random import BLOCK, key, normals, padded, uniforms
from alliancelab.models.order.compile import Compiled
from alliancelab.models.order.estimated import HAZARD_TERMS, SPENDING_TERMS
from alliancelab.models.order.step import Noise

__all__ = [
    "BIAS",
    "COEF",
    "COEFS",
    "CRISIS",
    "GROWTH",
    "RESIDUAL",
    "STAND",
    "SUPPORT",
    "TREND",
    "Draws",
    "block_draws",
    "draws",
]

#: Stream numbers (the counter's last word): one per kind of draw.
BIAS, CRISIS, GROWTH, STAND, SUPPORT, COEF, RESIDUAL, TREND = 0, 1, 2, 3, 4, 5, 6, 7
#: Standard normals per run for its coefficients: one per hazard term, then one per spending term.
COEFS = len(HAZARD_TERMS) + len(SPENDING_TERMS)

#: A block's draws: the perceptual bias (runs, 2, P), the coefficient normals (runs, COEFS), the
#: normals of each state's lasting growth deviation (runs, N) and every year's noise (years, runs, …).
Draws = tuple[np.ndarray, np.ndarray, np.ndarray, Noise]


@njit(inline="always")
def _lanes_to_rows(dst: Any, buf: Any, count: int, t0: int, lanes: int) -> None:  # pragma: no cover
    """dst[t0 + b, m] = buf[m, b]: a (draw, lane) buffer into (run, draw) rows."""
    for b in range(lanes):
        for m in range(count):
            dst[t0 + b, m] = buf[m, b]


@njit(cache=True, nogil=True, error_model="numpy")
def _draws(
    k0: Any,
    k1: Any,
    run0: int,
    runs: int,
    years: int,
    N: int,
    P: int,
    L: int,
    Z: Any,
    Zc: Any,
    Zt: Any,
    cr: Any,
    gr: Any,
    st: Any,
    su: Any,
    re: Any,
) -> None:  # pragma: no cover - compiled
    lanes = 64
    buf = np.empty((padded(max(2 * P, COEFS)), lanes), np.float32)
    for t0 in range(0, runs, lanes):
        nb = min(lanes, runs - t0)
        normals(buf, 2 * P, BIAS, 0, run0 + t0, nb, k0, k1)
        _lanes_to_rows(Z[:, 0], buf, P, t0, nb)
        _lanes_to_rows(Z[:, 1], buf[P:], P, t0, nb)
        normals(buf, COEFS, COEF, 0, run0 + t0, nb, k0, k1)
        _lanes_to_rows(Zc, buf, COEFS, t0, nb)
        normals(buf, N + N % 2, TREND, 0, run0 + t0, nb, k0, k1)
        _lanes_to_rows(Zt, buf, N, t0, nb)
        for t in range(years):
            uniforms(buf, P, CRISIS, t, run0 + t0, nb, k0, k1)
            _lanes_to_rows(cr[t], buf, P, t0, nb)
            normals(buf, N + N % 2, GROWTH, t, run0 + t0, nb, k0, k1)
            _lanes_to_rows(gr[t], buf, N, t0, nb)
            uniforms(buf, L, STAND, t, run0 + t0, nb, k0, k1)
            _lanes_to_rows(st[t], buf, L, t0, nb)
            normals(buf, L + L % 2, SUPPORT, t, run0 + t0, nb, k0, k1)
            _lanes_to_rows(su[t], buf, L, t0, nb)
            normals(buf, N + N % 2, RESIDUAL, t, run0 + t0, nb, k0, k1)
            _lanes_to_rows(re[t], buf, N, t0, nb)


def block_draws(seed: int, block: int, runs: int, years: int, n_actors: int, n_pairs: int, n_links: int) -> Draws:
    """The draws of the first ``runs`` runs of canonical block ``block``: the perceptual bias
    (runs, 2, P) — z_ij and z_ji of each pair —, the coefficient normals (runs, COEFS), the growth
    deviations' normals (runs, N) and every year's :class:`Noise` stacked on a leading year axis
    (years, runs, …)."""
    return _run_draws(seed, block * BLOCK, runs, years, n_actors, n_pairs, n_links)


def draws(c: Compiled, seed: int, first_run: int, runs: int, reuse: bool = False) -> Draws:
    """The draws of runs ``first_run … first_run + runs − 1`` (each run's depend on it alone).

    With ``reuse`` the draws are kept (read-only) for the next call with the same arguments:
    every point of an experiment's design draws the same runs.
    """
    shape = (len(c.years), c.n, c.n_pairs, c.n_links)
    if reuse:
        return _kept(seed, first_run, runs, *shape)
    return _run_draws(seed, first_run, runs, *shape)


def _run_draws(seed: int, first_run: int, runs: int, years: int, N: int, P: int, L: int) -> Draws:
    k0, k1 = (np.uint64(k) for k in key(seed))
    Z = np.empty((runs, 2, P), np.float32)
    Zc = np.empty((runs, COEFS), np.float32)
    Zt = np.empty((runs, N), np.float32)
    noise = Noise(
        growth=np.empty((years, runs, N), np.float32),
        crisis=np.empty((years, runs, P), np.float32),
        stand=np.empty((years, runs, L), np.float32),
        support=np.empty((years, runs, L), np.float32),
        residual=np.empty((years, runs, N), np.float32),
    )
    _draws(
        k0, k1, first_run, runs, years, N, P, L, Z, Zc, Zt, noise.crisis, noise.growth, noise.stand,
        noise.support, noise.residual,
    )  # fmt: skip
    return Z, Zc, Zt, noise


@functools.lru_cache(maxsize=4)
def _kept(seed: int, first_run: int, runs: int, years: int, N: int, P: int, L: int) -> Draws:
    Z, Zc, Zt, noise = _run_draws(seed, first_run, runs, years, N, P, L)
    for a in (Z, Zc, Zt, *noise):
        a.flags.writeable = False
    return Z, Zc, Zt, noise
