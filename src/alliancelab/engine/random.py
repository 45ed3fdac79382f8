"""Explicit random streams, fixed per block of runs so results never depend on chunking.

Runs are grouped into canonical blocks of :data:`BLOCK` runs. Block ``k`` draws from its own
generator, ``PCG64(SeedSequence(seed, spawn_key=(k,)))``, always for the whole block and in a
fixed order (the perceptual bias, then each year's draws), so run ``r``'s draws depend only on
``(seed, r)``: the same seed gives the same result whatever the number of runs, the chunking,
the number of workers or the array backend.
"""

from __future__ import annotations

import numpy as np

from alliancelab.models.order.step import Noise

__all__ = ["BLOCK", "block_draws"]

#: Runs per canonical block.
BLOCK = 1024
_U16 = np.float32(1.0 / 65536.0)


def block_draws(
    seed: int, block: int, runs: int, years: int, n_actors: int, n_pairs: int, n_links: int
) -> tuple[np.ndarray, Noise]:
    """All draws of one block: the perceptual bias (runs, N, N) and each year's :class:`Noise`
    stacked on a leading year axis.

    Crisis and escalation uniforms come from 16-bit slices of raw 64-bit words (resolution
    1/65536, centred), four per word: the dyadic draws are the engine's main random cost.
    """
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))
    N, P, L = n_actors, n_pairs, n_links
    words = (2 * P + 3) // 4
    bias = rng.standard_normal((BLOCK, N, N), dtype=np.float32)[:runs]
    growth = np.empty((years, runs, N), np.float32)
    uniform = np.empty((years, runs, 2 * P), np.float32)
    stand = np.empty((years, runs, L), np.float32)
    support = np.empty((years, runs, L), np.float32)
    for t in range(years):
        growth[t] = rng.standard_normal((BLOCK, N), dtype=np.float32)[:runs]
        raw = rng.bit_generator.random_raw(BLOCK * words)
        u16 = np.asarray(raw, dtype=np.uint64).view(np.uint16).reshape(BLOCK, 4 * words)
        uniform[t] = (u16[:runs, : 2 * P].astype(np.float32) + np.float32(0.5)) * _U16
        stand[t] = rng.random((BLOCK, L), dtype=np.float32)[:runs]
        support[t] = rng.standard_normal((BLOCK, L), dtype=np.float32)[:runs]
    noise = Noise(growth=growth, crisis=uniform[..., :P], escalation=uniform[..., P:], stand=stand, support=support)
    return bias, noise
