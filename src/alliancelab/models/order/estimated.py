"""The estimates the engine's ``estimated`` equations read, and the law each run draws them from.

Stage 1 (``estimates/onset.json``): the MID-onset logit fitted on world dyad-years 1950–2014 with
dyad-clustered errors. Stage 2 (``estimates/spending.json``): the spending equation, NOR's 2SLS
on 1952–2000, clustered by state. Both are refreshed from the data by ``alliancelab estimate``
(docs/estimation.md). Each run draws one coefficient vector per stage from the estimates'
normal sampling distribution, b = b̂ + chol(V) z with z ~ N(0, I) from the run's own stream, so
an ensemble carries estimation uncertainty; ``coefficient_draws = False`` fixes them at b̂.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from importlib.resources import files
from typing import NamedTuple

import numpy as np

from alliancelab.estimation.facts import HazardFacts, hazard_facts
from alliancelab.estimation.onset import OnsetFit
from alliancelab.estimation.sample import PREDICTORS

__all__ = [
    "FITS",
    "HAZARD_TERMS",
    "MAX_PERSISTENCE",
    "PEACE_YEARS",
    "PREPONDERANCE",
    "RIVALRY",
    "SPENDING_TERMS",
    "SPLINE1",
    "SPLINE2",
    "SPLINE3",
    "STATIC_COLUMNS",
    "STATIC_TERMS",
    "CoefficientLaw",
    "coefficient_law",
    "onset_fit",
    "scenario_facts",
    "spending_response",
]

#: The onset model's terms, in the order of its coefficient vector (and of the engine's draws).
HAZARD_TERMS: tuple[str, ...] = ("const", *PREDICTORS, "peace_spline1", "peace_spline2", "peace_spline3")
#: The hazard terms a scenario fixes for a year (the others move with each run's state).
STATIC_TERMS: tuple[str, ...] = tuple(
    t for t in HAZARD_TERMS if t not in ("preponderance", "rivalry", "peace_years") and not t.startswith("peace_")
)
#: Where each of them sits in a run's coefficient vector (HAZARD_TERMS order).
STATIC_COLUMNS: tuple[int, ...] = tuple(HAZARD_TERMS.index(t) for t in STATIC_TERMS)
PREPONDERANCE = HAZARD_TERMS.index("preponderance")
RIVALRY = HAZARD_TERMS.index("rivalry")
PEACE_YEARS = HAZARD_TERMS.index("peace_years")
SPLINE1, SPLINE2, SPLINE3 = (HAZARD_TERMS.index(f"peace_spline{k}") for k in (1, 2, 3))
#: The spending equation's terms the arms decision reads, in the order of the engine's draws.
SPENDING_TERMS: tuple[str, ...] = ("ln_milex_lag1", "threat", "ln_friends", "ln_foes", "conflict")
#: Drawn persistence above this is cut to it (an explosive draw, ρ ≥ 1, has no long run).
MAX_PERSISTENCE = 0.99


#: The packaged stage-1 fits by their last year: 1950–2014 (all of MID 5.0, the default) and
#: 1950–2000 (for scoring 2001–2014 out of sample), both written by ``alliancelab estimate
#: crises -o DIR`` (``onset_fit.json`` and ``onset_fit_train.json`` of ``--train-end 2000``).
FITS: dict[int, str] = {2014: "onset.json", 2000: "onset_1950_2000.json"}


@functools.cache
def onset_fit(end: int = 2014) -> OnsetFit:
    """The packaged stage-1 fit whose training years end in ``end`` (:data:`FITS`)."""
    if end not in FITS:
        raise ValueError(f"no packaged stage-1 fit ends in {end}; the packaged ones end in {sorted(FITS)}")
    name = FITS[end]
    fit = OnsetFit.from_json((files("alliancelab.models.order") / "estimates" / name).read_text())
    if tuple(fit.names) != HAZARD_TERMS:
        raise ValueError(f"estimates/{name} has terms {fit.names}; the engine reads {HAZARD_TERMS}")
    if fit.train[1] != end:
        raise ValueError(f"estimates/{name} was fitted on {fit.train[0]}-{fit.train[1]}, not to {end}")
    return fit


@functools.cache
def spending_response() -> dict[str, object]:
    """The packaged stage-2 response (NOR's 2SLS): terms, coefficients, covariance."""
    doc = json.loads((files("alliancelab.models.order") / "estimates" / "spending.json").read_text())
    iv: dict[str, object] = doc["iv"]
    return iv


def scenario_facts(codes: Iterable[int], year: int) -> HazardFacts:
    """What a scenario built from data needs for the estimated equations: the hazard's facts and
    each state's spending volatility at the packaged persistence
    (:func:`~alliancelab.estimation.facts.hazard_facts`)."""
    return hazard_facts(codes, year, persistence=float(spending_response()["ln_milex_lag1"]))  # type: ignore[arg-type]


class CoefficientLaw(NamedTuple):
    """Means and Cholesky factors of the coefficients each run draws (float32)."""

    hazard_mean: np.ndarray  # (len(HAZARD_TERMS),)
    hazard_chol: np.ndarray  # (terms, terms), zero without draws
    spending_mean: np.ndarray  # (5,)
    spending_chol: np.ndarray  # (5, 5)


def _chol(cov: np.ndarray) -> np.ndarray:
    """A lower-triangular square root of a covariance (eigenvalues below zero from rounding are cut)."""
    try:
        return np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        w, v = np.linalg.eigh(cov)
        root = v * np.sqrt(np.maximum(w, 0.0))
        _q, r = np.linalg.qr(root.T)
        lower: np.ndarray = (r.T * np.sign(np.diag(r))).astype(float)
        return lower


@functools.cache
def coefficient_law(draws: bool = True, fit_end: int = 2014) -> CoefficientLaw:
    """The law of each run's coefficients: N(b̂, V) per stage, or b̂ exactly without ``draws``;
    the hazard's from the packaged stage-1 fit ending in ``fit_end``."""
    fit = onset_fit(fit_end)
    h_mean = np.asarray(fit.coef, float)
    h_chol = _chol(np.asarray(fit.vcov, float))
    resp = spending_response()
    terms = list(map(str, resp["terms"]))  # type: ignore[call-overload]
    idx = [terms.index(t) for t in SPENDING_TERMS]
    s_mean = np.asarray(resp["coef"], float)[idx]
    s_cov = np.asarray(resp["vcov"], float)[np.ix_(idx, idx)]
    s_chol = _chol(s_cov)
    if not draws:
        h_chol = np.zeros_like(h_chol)
        s_chol = np.zeros_like(s_chol)
    f = np.float32
    return CoefficientLaw(h_mean.astype(f), h_chol.astype(f), s_mean.astype(f), s_chol.astype(f))
