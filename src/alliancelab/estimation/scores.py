"""Out-of-sample scores for rare-event forecasts, and the baselines a conflict model must beat.

ROC-AUC alone flatters rare-event models (Beger 2016): most dyads are far apart and never fight,
so ranking them last is easy. The table therefore also reports the area under the
precision–recall curve (average precision; a constant forecast scores the event rate), the
Brier score and the log loss (Beck, King & Zeng 2000; Ward, Greenhill & Bakke 2010).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["baseline_forecasts", "brier_log", "politically_relevant_rows", "score"]


def brier_log(y: np.ndarray, p: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """Element by element, the Brier score (p − y)² and the log-likelihood of ``y`` (0/1) under
    forecasts ``p`` kept inside [``eps``, 1 − ``eps``] (so an event forecast at 0 is finite)."""
    q = np.clip(p, eps, 1 - eps)
    return (q - y) ** 2, np.where(y > 0, np.log(q), np.log1p(-q))


def score(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """ROC-AUC, PR-AUC (average precision), Brier score and log loss of forecasts ``p`` of ``y``."""
    from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

    y = np.asarray(y, dtype=int)
    p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
    both = y.min() != y.max()
    return {
        "n": float(len(y)),
        "events": float(y.sum()),
        "event_rate": float(y.mean()) if len(y) else float("nan"),
        "roc_auc": float(roc_auc_score(y, p)) if both else float("nan"),
        "pr_auc": float(average_precision_score(y, p)) if both else float("nan"),
        "brier": float(brier_score_loss(y, p)),
        "log_loss": float(log_loss(y, p, labels=[0, 1])),
    }


def _group_rate(train_y: np.ndarray, train_g: np.ndarray, test_g: np.ndarray) -> np.ndarray:
    """Each test row gets its group's training event rate (a saturated logit on a 0/1 rule),
    with one pseudo-event of shrinkage so an empty group is never exactly 0."""
    rates = {}
    for g in np.unique(np.concatenate([train_g, test_g])):
        hit = train_g == g
        rates[g] = (train_y[hit].sum() + train_y.mean()) / (hit.sum() + 1.0)
    return np.array([rates[g] for g in test_g])


def politically_relevant_rows(rows: pd.DataFrame) -> np.ndarray:
    """Which rows of the estimation sample are politically relevant dyad-years (Maoz & Russett
    1993; Lemke & Reed 2001): directly contiguous, by land or by up to 400 miles of water (COW
    types 1–5), or with a major power; :func:`alliancelab.data.dyads.politically_relevant` with
    ``max_conttype=5`` keeps the same dyad-years of a ``conttype`` table."""
    near = (rows["contiguous"] == 1) | (rows["sea_contiguous"] == 1)
    return (near | (rows["major"] == 1)).to_numpy(bool)


def baseline_forecasts(train: pd.DataFrame, test: pd.DataFrame, outcome: str) -> dict[str, np.ndarray]:
    """The baselines' forecasts for ``test``, each fitted on ``train``:

    - ``constant``: the training event rate for every dyad-year;
    - ``politically relevant``: the training rate of politically relevant dyads
      (:func:`politically_relevant_rows`) and of the rest;
    - ``rivalry``: the training rate of strategic rivals and of the rest (Thompson 2001).
    """
    y = train[outcome].to_numpy(int)
    prd_tr = politically_relevant_rows(train).astype(int)
    prd_te = politically_relevant_rows(test).astype(int)
    return {
        "constant": np.full(len(test), y.mean()),
        "politically relevant": _group_rate(y, prd_tr, prd_te),
        "rivalry": _group_rate(y, train["rivalry"].to_numpy(int), test["rivalry"].to_numpy(int)),
    }
