"""Explicit random streams, fixed per block of runs so results never depend on chunking.

Runs are grouped into canonical blocks of :data:`BLOCK` runs. Block ``k`` draws from its own
generator, ``PCG64(SeedSequence(seed, spawn_key=(k,)))``, always for the whole block and in a
fixed order, so run ``r``'s draws depend only on
``(seed, r)``: the same seed gives the same result whatever the number of runs, the chunking,
the number of workers or the array backend.
"""

from __future__ import annotations

import numpy as np

from alliancelab.models.order.step import Noise

__all__ = ["BLOCK", "block_draws"]

#: Runs per canonical block.
BLOCK = 1024
_U32 = np.float32(2.0**-32)


def block_draws(
    seed: int, block: int, runs: int, years: int, n_actors: int, n_pairs: int, n_links: int
) -> tuple[np.ndarray, Noise]:
    """All draws of one block: the perceptual bias (runs, 2, P) — z_ij and z_ji of each pair —
    and every year's :class:`Noise` stacked on a leading year axis. The stream order is fixed:
    bias, growth shocks, crisis words, stand-by uniforms, support shocks (each for all years).

    Crisis uniforms are 32-bit slices of raw 64-bit words, two per word: the dyadic draws are
    the engine's main random cost.
    """
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))
    N, P, L = n_actors, n_pairs, n_links
    words = (P + 1) // 2
    bias = rng.standard_normal((BLOCK, 2, P), dtype=np.float32)[:runs]
    growth = rng.standard_normal((years, BLOCK, N), dtype=np.float32)[:, :runs]
    raw = rng.bit_generator.random_raw(years * BLOCK * words)
    u32 = np.asarray(raw, dtype=np.uint64).view(np.uint32).reshape(years, BLOCK, 2 * words)[:, :runs, :P]
    crisis = np.multiply(u32, _U32, dtype=np.float32)
    stand = rng.random((years, BLOCK, L), dtype=np.float32)[:, :runs]
    support = rng.standard_normal((years, BLOCK, L), dtype=np.float32)[:, :runs]
    return bias, Noise(growth=growth, crisis=crisis, stand=stand, support=support)
