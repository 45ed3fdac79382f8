"""Explicit random streams, fixed per block of runs so results never depend on chunking.

Runs are grouped into canonical blocks of :data:`BLOCK` runs. Block ``k`` draws from its own
generator, ``PCG64(SeedSequence(seed, spawn_key=(k,)))``, always for the whole block and in a
fixed order, so run ``r``'s draws depend only on ``(seed, r)``: the same seed gives the same
result whatever the number of runs, the chunking, the number of workers or the array backend.

All draws are cut from raw 64-bit words (two 32-bit uniforms each); normal shocks come from the
Box–Muller transform (Box & Muller 1958), several times cheaper here than a ziggurat draw.
"""

from __future__ import annotations

import numpy as np

from alliancelab.models.order.step import Noise

__all__ = ["BLOCK", "block_draws", "box_muller"]

#: Runs per canonical block.
BLOCK = 1024
_U32 = np.float32(2.0**-32)
_TWO_PI = np.float32(2 * np.pi)


def _uniform(words: np.ndarray) -> np.ndarray:
    """Two float32 uniforms in (0, 1] per raw 64-bit word, shape (..., 2 * words)."""
    u32 = words.view(np.uint32)
    out = np.multiply(u32, _U32, dtype=np.float32)
    out += np.float32(0.5) * _U32
    return out


def box_muller(u: np.ndarray) -> np.ndarray:
    """Standard normals from uniforms in (0, 1] paired along the last axis (even length).

    z = sqrt(−2 ln u1) · (cos 2πu2, sin 2πu2) (Box, G. E. P. & Muller, M. E. (1958), "A Note on
    the Generation of Random Normal Deviates", Annals of Mathematical Statistics 29(2): 610-611).
    """
    u1, u2 = u[..., 0::2], u[..., 1::2]
    r = np.sqrt(np.float32(-2.0) * np.log(u1))
    theta = _TWO_PI * u2
    out = np.empty_like(u)
    out[..., 0::2] = r * np.cos(theta)
    out[..., 1::2] = r * np.sin(theta)
    return out


def block_draws(
    seed: int, block: int, runs: int, years: int, n_actors: int, n_pairs: int, n_links: int
) -> tuple[np.ndarray, Noise]:
    """All draws of one block: the perceptual bias (runs, 2, P) — z_ij and z_ji of each pair —
    and every year's :class:`Noise` stacked on a leading year axis.

    The stream order is fixed: the bias words, then for all years at once the words of the
    crisis uniforms, the growth shocks, the stand-by uniforms and the support shocks. Crisis uniforms have
    32-bit resolution: the dyadic draws are the engine's main random cost.
    """
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))
    N, P, L = n_actors, n_pairs, n_links
    bias = box_muller(_uniform(rng.bit_generator.random_raw(BLOCK * P).reshape(BLOCK, P)[:runs]))

    def uniforms(width: int) -> np.ndarray:
        words = (width + 1) // 2
        raw = rng.bit_generator.random_raw(years * BLOCK * words).reshape(years, BLOCK, words)
        return _uniform(raw[:, :runs])

    crisis = uniforms(P)[..., :P]
    growth = box_muller(uniforms(N + N % 2))[..., :N]
    stand = uniforms(L)[..., :L]
    support = box_muller(uniforms(L + L % 2))[..., :L]
    return bias.reshape(runs, 2, P), Noise(growth=growth, crisis=crisis, stand=stand, support=support)
