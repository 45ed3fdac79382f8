"""The order model as a model family of the generic engine (:mod:`alliancelab.engine.family`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from alliancelab.engine.family import ArrayProgram, FusedProgram
from alliancelab.engine.outputs import Catalogue
from alliancelab.models.order.arrays import OrderArrays
from alliancelab.models.order.compile import Compiled
from alliancelab.models.order.kernel import OrderKernel
from alliancelab.models.order.noise import Draws, draws
from alliancelab.models.order.outputs import OUTPUTS

__all__ = ["ORDER", "OrderFamily"]


class OrderFamily:
    """The security-order model: states, alliances (directed defence links) and pairs.

    Dyadic outputs are stored as symmetric (actor, other) matrices and recorded in pair form
    (one value per undirected pair i < j).
    """

    name = "order"
    outputs: Catalogue = OUTPUTS
    arrays: ArrayProgram = OrderArrays()
    fused: FusedProgram = OrderKernel()

    def years(self, c: Compiled) -> np.ndarray:
        return c.years

    def shape(self, c: Compiled, group: str) -> tuple[int, ...]:
        return {"actor": (c.n,), "alliance": (c.n_links,), "dyad": (c.n, c.n), "region": ()}[group]

    def draws(self, c: Compiled, seed: int, first_run: int, runs: int, reuse: bool = False) -> Draws:
        return draws(c, seed, first_run, runs, reuse)

    def to_store(self, c: Compiled, name: str, target: np.ndarray, values: np.ndarray) -> None:
        if OUTPUTS[name].group == "dyad":
            target[:, :, c.pair_i, c.pair_j] = values
            target[:, :, c.pair_j, c.pair_i] = values
        else:
            target[...] = values

    def from_store(self, c: Compiled, name: str, by_year: np.ndarray) -> Any:
        return by_year[..., c.pair_i, c.pair_j] if OUTPUTS[name].group == "dyad" else by_year

    def __reduce__(self) -> str:  # workers find the one instance by name
        return "ORDER"


#: The order family (one instance: the engine's caches key on it).
ORDER = OrderFamily()
