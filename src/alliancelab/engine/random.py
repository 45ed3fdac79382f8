"""Explicit random streams, fixed per block of runs so results never depend on chunking.

Runs are grouped into canonical blocks of :data:`BLOCK` runs. Block ``k`` draws from its own
generator, ``PCG64(SeedSequence(seed, spawn_key=(k,)))``, always for the whole block and in a
fixed order, so run ``r``'s draws depend only on ``(seed, r)``: the same seed gives the same
result whatever the number of runs, the chunking or the number of workers.
"""

from __future__ import annotations

import numpy as np

from alliancelab.models.order.step import Noise

__all__ = ["BLOCK", "BlockStream"]

#: Runs per canonical block (also the engine's cache-sized unit of work).
BLOCK = 1024
_U16 = np.float32(1.0 / 65536.0)


class BlockStream:
    """The random draws of one block: a perceptual-bias draw at the start, then one set a year.

    Crisis and escalation uniforms come from 16-bit slices of raw 64-bit words (resolution
    1/65536, centred), four per word: the dyadic draws are the engine's main random cost.
    """

    def __init__(self, seed: int, block: int, n_actors: int, n_pairs: int, n_links: int) -> None:
        self.rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))
        self.n, self.p, self.l = n_actors, n_pairs, n_links
        self._words = (2 * n_pairs + 3) // 4

    def bias(self, runs: int) -> np.ndarray:
        """Standardised perceptual bias z_ij per run (persistent over the run), (runs, N, N)."""
        return self.rng.standard_normal((BLOCK, self.n, self.n), dtype=np.float32)[:runs]

    def year(self, runs: int) -> Noise:
        """This year's draws for the first ``runs`` runs of the block."""
        rng = self.rng
        growth = rng.standard_normal((BLOCK, self.n), dtype=np.float32)
        raw = rng.bit_generator.random_raw(BLOCK * self._words)
        u16 = np.asarray(raw, dtype=np.uint64).view(np.uint16).reshape(BLOCK, 4 * self._words)
        u = (u16[:runs, : 2 * self.p].astype(np.float32) + np.float32(0.5)) * _U16
        stand = rng.random((BLOCK, self.l), dtype=np.float32)
        support = rng.standard_normal((BLOCK, self.l), dtype=np.float32)
        return Noise(
            growth=growth[:runs], crisis=u[:, : self.p], escalation=u[:, self.p :],
            stand=stand[:runs], support=support[:runs],
        )
