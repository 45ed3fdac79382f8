"""The generic Monte Carlo engine: random streams, backends, blocks of runs, ensembles.

It runs any model family that implements :class:`~alliancelab.engine.family.ModelFamily`
(the order model, :mod:`alliancelab.models.order`, is the first); it imports no family.
"""

from alliancelab.engine.backends import BACKENDS, Backend, available_backends, get_backend
from alliancelab.engine.ensemble import Ensemble, run_ensemble, run_rows
from alliancelab.engine.family import ModelFamily
from alliancelab.engine.outputs import GROUPS, Output, select_outputs
from alliancelab.engine.random import BLOCK

__all__ = [
    "BACKENDS",
    "BLOCK",
    "GROUPS",
    "Backend",
    "Ensemble",
    "ModelFamily",
    "Output",
    "available_backends",
    "get_backend",
    "run_ensemble",
    "run_rows",
    "select_outputs",
]
