"""``estimate crises``: fit the onset model on training years, score it on the years after, and
fit it again on every year for the engine.

The held-out years are never seen by the training fit: the sample's covariates are lagged, the
peace-year knots come from the training rows, and the baselines' rates are training rates (a
test checks that changing the held-out years leaves the training fit unchanged).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliancelab.estimation.onset import EstimationError, OnsetFit, Outcome, fit_onset, onset_rows
from alliancelab.estimation.sample import MID_LAST_YEAR, PREDICTORS, conflict_dyad_years
from alliancelab.estimation.scores import baseline_forecasts, politically_relevant_rows, score

__all__ = ["CrisisEstimates", "estimate_crises", "score_table"]


@dataclass(frozen=True)
class CrisisEstimates:
    """Stage 1's results: the training fit, its held-out scores, and the fit on every year."""

    outcome: str
    train: tuple[int, int]
    test: tuple[int, int]
    fit: OnsetFit  # on the training years (the one scored)
    full: OnsetFit  # on train start .. test end (the one the engine uses)
    no_history: OnsetFit  # the training fit without peace-years (how much the dyad's past adds)
    scores: pd.DataFrame  # model and baselines, on all dyads and politically relevant ones
    sample_rows: int
    complete_rows: int


def score_table(
    fit: OnsetFit, train: pd.DataFrame, test: pd.DataFrame, extra: dict[str, np.ndarray] | None = None
) -> pd.DataFrame:
    """Held-out scores of ``fit``, of any ``extra`` forecasts of the test rows and of the baselines,
    on all dyads and on politically relevant dyads; ``pr_auc_ratio`` is PR-AUC over the constant
    forecast's PR-AUC on the same rows."""
    outcome = fit.outcome
    forecasts = {"model": fit.predict(test), **(extra or {}), **baseline_forecasts(train, test, outcome)}
    prd = politically_relevant_rows(test)
    rows = []
    for subset, mask in (("all dyads", np.ones(len(test), bool)), ("politically relevant", prd)):
        y = test[outcome].to_numpy(int)[mask]
        for name, p in forecasts.items():
            rows.append({"dyads": subset, "forecast": name, **score(y, p[mask])})
    out = pd.DataFrame(rows)
    const = out[out["forecast"] == "constant"].set_index("dyads")["pr_auc"]
    out["pr_auc_ratio"] = out["pr_auc"] / out["dyads"].map(const)
    return out


def estimate_crises(
    outcome: Outcome = "onset",
    train: tuple[int, int] = (1950, 2000),
    test_end: int = MID_LAST_YEAR,
    splines: bool = True,
    sample: pd.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
) -> CrisisEstimates:
    """Stage 1 end to end: build the dyad-years, fit on ``train``, score on the years after it to
    ``test_end``, and refit on all of them. ``sample`` reuses a built
    :func:`~alliancelab.estimation.sample.conflict_dyad_years` table."""
    say = progress or (lambda _msg: None)
    first, last = train
    if not (1817 <= first <= last < test_end <= MID_LAST_YEAR):
        raise EstimationError(
            f"need 1817 <= train start <= train end < test end <= {MID_LAST_YEAR}; got {first}, {last}, {test_end}"
        )
    if sample is None:
        say(f"building dyad-years {first}-{test_end}")
        sample = conflict_dyad_years(first, test_end)
    say(f"fitting the {outcome} logit on {first}-{last}")
    fit = fit_onset(sample, outcome, train, splines=splines)
    say(f"scoring {last + 1}-{test_end}")
    tr = onset_rows(sample, first, last)
    te = onset_rows(sample, last + 1, test_end)
    if te[outcome].sum() == 0:
        raise EstimationError(f"no {outcome} events in the held-out years {last + 1}-{test_end}")
    history_free = [p for p in PREDICTORS if p != "peace_years"]
    no_history = fit_onset(sample, outcome, train, predictors=tuple(history_free), splines=False)
    scores = score_table(fit, tr, te, {"model without peace-years": no_history.predict(te)})
    say(f"fitting the {outcome} logit on {first}-{test_end} (for the engine)")
    full = fit_onset(sample, outcome, (first, test_end), splines=splines)
    years = sample["year"].between(first, test_end)
    return CrisisEstimates(
        outcome=outcome,
        train=(first, last),
        test=(last + 1, test_end),
        fit=fit,
        full=full,
        no_history=no_history,
        scores=scores,
        sample_rows=int(years.sum()),
        complete_rows=int((years & sample["complete"]).sum()),
    )
