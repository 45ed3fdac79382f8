"""Explicit, counter-based random streams: every draw is a function of (seed, run, year, slot).

Each draw comes from the Philox4x32-10 counter-based generator (Salmon, J. K., Moraes, M. A.,
Dror, R. O. & Shaw, D. E. (2011), "Parallel random numbers: as easy as 1, 2, 3", SC '11): the
key is two 32-bit words derived from the seed by :class:`numpy.random.SeedSequence`, and the
128-bit counter names the draw — (word group, year, run, stream). Run ``r``'s draws therefore
depend only on ``(seed, r)``: the same seed gives the same result whatever the number of runs,
the chunking, the number of workers or threads, or the backend. No draw is generated for a run
that is not simulated, and a model family's fused kernel makes its draws where it uses them,
with the same functions as its array backends' draws. The stream (the counter's last word) is
the family's name for a kind of draw (e.g. :mod:`alliancelab.models.order.noise`).

Uniforms are cut from 32-bit words as ``(w + ½) · 2⁻³²`` rounded to float32, in (0, 1]; normal
shocks come from the Box–Muller transform (Box & Muller 1958) of consecutive pairs of uniforms.
Runs are still grouped into canonical blocks of :data:`BLOCK` runs: the array backends compute
whole blocks, since their matrix products may sum in a different order for a different number
of rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from alliancelab.engine.vecmath import log32, sincos_turn32

__all__ = [
    "BLOCK",
    "key",
    "normals",
    "padded",
    "philox4x32",
    "uniforms",
]

#: Runs per canonical block.
BLOCK = 1024

_MASK = np.uint64(0xFFFFFFFF)
_M0 = np.uint64(0xD2511F53)
_M1 = np.uint64(0xCD9E8D57)
_W0 = np.uint64(0x9E3779B9)
_W1 = np.uint64(0xBB67AE85)
_S32 = np.uint64(32)
_U32 = np.float32(2.0**-32)
_HALF_U32 = np.float32(2.0**-33)


def key(seed: int) -> tuple[int, int]:
    """The Philox key of a seed: two 32-bit words from :class:`numpy.random.SeedSequence`."""
    k = np.random.SeedSequence(seed).generate_state(2, np.uint32)
    return int(k[0]), int(k[1])


@njit(inline="always")
def philox4x32(c0: Any, c1: Any, c2: Any, c3: Any, k0: Any, k1: Any) -> tuple[Any, Any, Any, Any]:  # pragma: no cover
    """Philox4x32-10 (Salmon et al. 2011): four 32-bit words (as uint64) from counter and key.

    Each round multiplies two counter words by the constants 0xD2511F53 and 0xCD9E8D57, mixes
    the high halves with the other words and the round key, and bumps the key by the Weyl
    constants 0x9E3779B9 and 0xBB67AE85. Arguments and results are uint64 holding 32 bits.
    """
    for _ in range(10):
        p0 = _M0 * c0
        p1 = _M1 * c2
        c0 = ((p1 >> _S32) ^ c1 ^ k0) & _MASK
        c1 = p1 & _MASK
        c2 = ((p0 >> _S32) ^ c3 ^ k1) & _MASK
        c3 = p0 & _MASK
        k0 = (k0 + _W0) & _MASK
        k1 = (k1 + _W1) & _MASK
    return c0, c1, c2, c3


@njit(inline="always")
def _uniform(word: Any) -> Any:  # pragma: no cover - compiled
    return np.float32(np.uint32(word)) * _U32 + _HALF_U32


@njit(inline="always")
def uniforms(
    out: Any, count: int, stream: int, year: int, run0: int, lanes: int, k0: Any, k1: Any
) -> None:  # pragma: no cover
    """Fill ``out[m, b]`` (m < count, rounded up to a multiple of 4) with run ``run0 + b``'s
    uniforms of ``stream`` in ``year``: word group g holds uniforms 4g … 4g + 3."""
    s = np.uint64(stream)
    yr = np.uint64(year)
    for g in range((count + 3) // 4):
        c0 = np.uint64(g)
        o0, o1, o2, o3 = out[4 * g], out[4 * g + 1], out[4 * g + 2], out[4 * g + 3]
        for b in range(lanes):
            w0, w1, w2, w3 = philox4x32(c0, yr, np.uint64(run0 + b), s, k0, k1)
            o0[b] = _uniform(w0)
            o1[b] = _uniform(w1)
            o2[b] = _uniform(w2)
            o3[b] = _uniform(w3)


@njit(inline="always")
def normals(
    out: Any, count: int, stream: int, year: int, run0: int, lanes: int, k0: Any, k1: Any
) -> None:  # pragma: no cover
    """Standard normals: Box–Muller on consecutive uniform pairs of the stream, in place.

    z = sqrt(−2 ln u1) · (cos 2πu2, sin 2πu2) (Box, G. E. P. & Muller, M. E. (1958), "A Note on
    the Generation of Random Normal Deviates", Annals of Mathematical Statistics 29(2): 610-611),
    with the vectorisable :func:`~alliancelab.engine.vecmath.log32` and
    :func:`~alliancelab.engine.vecmath.sincos_turn32`.
    """
    uniforms(out, count, stream, year, run0, lanes, k0, k1)
    radius = np.empty(lanes, np.float32)
    for m in range(0, count, 2):
        # one store per loop: stores to two rows of one array keep the loop from vectorising
        u1, u2 = out[m], out[m + 1]
        for b in range(lanes):
            radius[b] = np.sqrt(np.float32(-2.0) * log32(u1[b]))
        for b in range(lanes):
            u1[b] = radius[b] * sincos_turn32(u2[b])[1]
        for b in range(lanes):
            u2[b] = radius[b] * sincos_turn32(u2[b])[0]


@njit(inline="always")
def padded(n: int) -> int:  # pragma: no cover - compiled
    """Rows a buffer needs for ``n`` draws: whole word groups of four."""
    return 4 * ((n + 3) // 4)
