"""Vectorised Monte Carlo: explicit random streams, blocks of runs, labelled results."""

from alliancelab.engine.outputs import GROUPS, OUTPUTS
from alliancelab.engine.random import BLOCK
from alliancelab.engine.simulate import simulate

__all__ = ["BLOCK", "GROUPS", "OUTPUTS", "simulate"]
