"""The order model's initial state: every run starts from the compiled start-year values."""

from __future__ import annotations

import numpy as np

from alliancelab.models.order.compile import Compiled
from alliancelab.models.order.step import State

__all__ = ["initial_state"]


def initial_state(c: Compiled, runs: int) -> State:
    """The start year's state, repeated for ``runs`` runs."""

    def rep(v: np.ndarray) -> np.ndarray:
        return np.repeat(v[None], runs, axis=0)

    return State(
        gdp=rep(c.gdp0),
        capability=rep(c.capability0),
        share=rep(c.milex0 / c.gdp0),
        milex=rep(c.milex0),
        hostility=rep(c.baseline[0]),
        credibility=rep(c.credibility0),
        support=rep(c.support0),
        peace=rep(c.peace0),
        escalated=np.zeros((runs, c.n), np.float32),
        base=np.zeros((runs, c.n), np.float32),
        fear0=np.zeros((runs, c.n), np.float32),
        esc0=np.zeros((runs, c.n), np.float32),
    )
