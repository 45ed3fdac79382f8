"""Estimation: the two-stage model of Nordhaus, Oneal & Russett (2012) on alliancelab's own
dyad-years — crisis onset (stage 1) and military spending on the threat it implies (stage 2) —
with held-out scores against baselines.

Sits between ``measures`` and ``models`` in the pipeline: it reads the data, and the engine
reads what it writes (``models/order/estimates/``), never the other way round.
"""

from alliancelab.estimation.crises import CrisisEstimates, estimate_crises
from alliancelab.estimation.onset import EstimationError, OnsetFit, fit_onset
from alliancelab.estimation.sample import PREDICTORS, conflict_dyad_years
from alliancelab.estimation.spending import SpendingEstimates, estimate_threat_response, spending_panel, state_threat

__all__ = [
    "PREDICTORS",
    "CrisisEstimates",
    "EstimationError",
    "OnsetFit",
    "SpendingEstimates",
    "conflict_dyad_years",
    "estimate_crises",
    "estimate_threat_response",
    "fit_onset",
    "spending_panel",
    "state_threat",
]
