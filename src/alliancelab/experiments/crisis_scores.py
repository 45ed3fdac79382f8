"""Proper scores of crisis forecasts by horizon, against history's own momentum.

Each forecast gives, per pair of states and year of the window, a probability of a crisis onset
(``pairs × years``) and, where it is an ensemble, each member's onsets (``pairs × years ×
members``). Two kinds of score, both proper (Gneiting & Raftery 2007), computed by
``scoringrules`` (the log-likelihoods by ``scipy.stats``):

- **per pair-year at lead h** (the window's h-th year, h = 1 the start year): the Brier score
  (lower is better) and the log score, the mean log-likelihood of what happened (higher is
  better), with probabilities kept inside [:data:`EPS`, 1 − EPS];
- **per pair, the count over the first h years**: the negative-binomial log score (an ensemble's
  counts summarised by a negative binomial with their mean and variance, a Poisson where the
  variance is not above the mean; a forecast without members is a Poisson with the sum of its
  probabilities as its mean) and the ranked probability score (the CRPS of a count: an ensemble
  scored by its members, a Poisson in closed form).

Each forecast's mean score minus persistence's comes with a 90 % interval from resampling whole
pairs (a dyad-block bootstrap, so a pair's years stay together; :data:`BOOTSTRAP` draws).
Reliability tables pool the pair-years into bins of forecast probability (the observed share with
its Wilson 90 % interval), the data of a reliability diagram; separation plots (Greenhill, Ward &
Sacks 2011) are drawn from the pair-years themselves.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import scoringrules as sr  # type: ignore[import-untyped]
from scipy.stats import nbinom, poisson

from alliancelab.estimation.scores import brier_log

__all__ = [
    "BINS",
    "BOOTSTRAP",
    "EPS",
    "HORIZONS",
    "count_scores",
    "horizon_scores",
    "pair_year_scores",
    "persistence_dispersion",
    "reliability",
]

#: Dyad-block bootstrap draws for the score intervals.
BOOTSTRAP = 2000
#: Probabilities are kept inside [EPS, 1 − EPS] for the log score (a forecast of exactly 0 for an
#: event that happened would score −∞), and a count forecast's mean is at least EPS a year.
EPS = 1e-4
#: The leads scored by default, in years from the start (the engine's horizon is the window).
HORIZONS = (1, 5, 10, 14)
#: Bin edges of forecast probability for the reliability tables (rare events: fine near 0).
BINS = (0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
#: An estimated α below this is taken as a Poisson (for counts below 1 the variance differs by
#: under 0.1 %, and scoringrules' negative-binomial CRPS is undefined for a size above 1e5).
MIN_DISPERSION = 1e-3


def _interval(per_pair: np.ndarray, draws: np.ndarray) -> tuple[float, float]:
    means = per_pair[draws].mean(axis=1)
    return float(np.quantile(means, 0.05)), float(np.quantile(means, 0.95))


def _brier_log(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-element Brier score and log-likelihood (``y`` 0/1), probabilities kept inside EPS."""
    return brier_log(y, p, EPS)


def pair_year_scores(observed: np.ndarray, forecasts: dict[str, np.ndarray], seed: int = 0) -> pd.DataFrame:
    """Brier and log scores per pair-year of each forecast (``pairs × years`` probabilities)
    against ``observed`` (0/1), over the pairs every forecast covers; and each forecast's Brier
    difference from ``persistence`` with a 90 % dyad-block bootstrap interval. Lower Brier and
    higher log score are better."""
    covered = np.all([np.isfinite(f).all(axis=1) for f in forecasts.values()], axis=0)
    y = observed[covered]
    draws = np.random.default_rng([seed, 2]).integers(0, len(y), size=(BOOTSTRAP, len(y)))
    base, _ = _brier_log(y, forecasts["persistence"][covered])
    rows = []
    for name, f in forecasts.items():
        brier, loglik = _brier_log(y, f[covered])
        diff = (brier - base).mean(axis=1)
        low, high = _interval(diff, draws)
        rows.append(
            {
                "forecast": name,
                "pairs": int(covered.sum()),
                "brier": float(brier.mean()),
                "log_score": float(loglik.mean()),
                "brier_minus_persistence": float(diff.mean()),
                "low": low,
                "high": high,
            }
        )
    return pd.DataFrame(rows)


def count_scores(
    counts: np.ndarray, members: np.ndarray | None = None, mean: np.ndarray | None = None, alpha: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Per pair, the log-likelihood of the observed ``counts`` and the ranked probability score,
    from an ensemble's ``members`` (``pairs × members`` counts) or a ``mean`` per pair: a Poisson,
    or with ``alpha`` > 0 a negative binomial of variance mean + alpha × mean² (NB2)."""
    y = np.asarray(counts, float)
    if members is not None:
        m = np.maximum(members.mean(axis=1), EPS)
        v = members.var(axis=1)
        over = v > m * (1 + 1e-9)
        r = np.where(over, m**2 / np.where(over, v - m, 1.0), 1.0)
        # scipy's log-pmf: scoringrules 0.10's logs_negbinom is infinite for a non-integer size
        loglik = np.where(over, nbinom.logpmf(y, r, r / (r + m)), poisson.logpmf(y, m))
        rps = np.asarray(sr.crps_ensemble(y, members.astype(float), m_axis=1), float)
    elif mean is not None and alpha > 0:
        m = np.maximum(np.asarray(mean, float), EPS)
        r = np.full_like(m, 1.0 / alpha)
        loglik = nbinom.logpmf(y, r, r / (r + m))
        rps = np.asarray(sr.crps_negbinom(y, r, mu=m), float)
    elif mean is not None:
        m = np.maximum(np.asarray(mean, float), EPS)
        loglik = poisson.logpmf(y, m)
        rps = np.asarray(sr.crps_poisson(y, m), float)
    else:
        raise ValueError("count_scores needs members or a mean")
    return loglik, rps


def horizon_scores(
    observed: np.ndarray,
    forecasts: dict[str, np.ndarray],
    members: dict[str, np.ndarray],
    horizons: tuple[int, ...] = HORIZONS,
    seed: int = 0,
    dispersion: dict[str, dict[int, float]] | None = None,
) -> pd.DataFrame:
    """Scores at each lead ``h`` of ``horizons``: per pair-year in the window's h-th year, and per
    pair on the count of its first h years, each against ``persistence`` with its dyad-block
    interval. ``observed`` and every forecast are ``pairs × years`` over the same pairs;
    ``members`` holds the ensembles' onsets (``pairs × years × members``) of the forecasts that
    have them; the rest count by a negative binomial where ``dispersion`` gives their α at that
    lead, else by a Poisson."""
    years = observed.shape[1]
    draws = np.random.default_rng([seed, 3]).integers(0, len(observed), size=(BOOTSTRAP, len(observed)))
    rows = []
    for h in horizons:
        if not 1 <= h <= years:
            continue
        y = observed[:, h - 1]
        n = observed[:, :h].sum(axis=1)
        scored = {}
        for name, f in forecasts.items():
            brier, loglik = _brier_log(y, f[:, h - 1])
            ens = members.get(name)
            c_log, rps = count_scores(
                n,
                members=None if ens is None else ens[:, :h].sum(axis=1),
                mean=f[:, :h].sum(axis=1),
                alpha=(dispersion or {}).get(name, {}).get(h, 0.0),
            )
            scored[name] = {"brier": brier, "log_score": loglik, "count_log_score": c_log, "rps": rps}
        base = scored["persistence"]
        for name, s in scored.items():
            row: dict[str, object] = {"horizon": h, "forecast": name, "pairs": len(y), "onsets": int(y.sum())}
            for key, values in s.items():
                diff = values - base[key]
                low, high = _interval(diff, draws)
                row |= {key: float(values.mean()), f"{key}_vs_persistence": float(diff.mean())}
                row |= {f"{key}_low": low, f"{key}_high": high}
            rows.append(row)
    return pd.DataFrame(rows)


def persistence_dispersion(before: np.ndarray, h: int, span: int) -> float:
    """The overdispersion α (NB2: variance m + α m²) of persistence's count forecast at lead ``h``,
    estimated on the record before the window: each pair's onsets in the ``h`` years just before
    it, on the persistence mean from the ``span`` years before those ((onsets + 0.5)/(span + 1)
    a year, as an offset), by statsmodels' negative binomial with a constant. ``before`` is
    pairs × years of recorded onsets, oldest first, at least ``h + span`` years. 0 (a Poisson)
    where the fit finds α below :data:`MIN_DISPERSION` or cannot run."""
    import statsmodels.api as sm

    if before.shape[1] < h + span:
        raise ValueError(f"need {h + span} years of record before the window; got {before.shape[1]}")
    y = before[:, -h:].sum(axis=1)
    prior = before[:, -h - span : -h].sum(axis=1)
    offset = np.log(h * (prior + 0.5) / (span + 1))
    if y.sum() == 0:
        return 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter; a failed fit falls back to Poisson
        try:
            res = sm.NegativeBinomial(y, np.ones((len(y), 1)), offset=offset).fit(disp=False, maxiter=200)
        except (np.linalg.LinAlgError, ValueError):
            return 0.0
    alpha = float(np.asarray(res.params)[-1])
    return alpha if np.isfinite(alpha) and alpha > MIN_DISPERSION else 0.0


def reliability(observed: np.ndarray, forecasts: dict[str, np.ndarray], bins: tuple[float, ...] = BINS) -> pd.DataFrame:
    """Per forecast and bin of forecast probability (pooled pair-years): the pair-years, the
    mean forecast, the observed share of onsets and its Wilson 90 % interval (statsmodels)."""
    from statsmodels.stats.proportion import proportion_confint

    y = observed.ravel()
    rows = []
    for name, f in forecasts.items():
        p = f.ravel()
        at = np.clip(np.digitize(p, bins[1:-1]), 0, len(bins) - 2)
        for b in np.unique(at):
            inside = at == b
            k, n = int(y[inside].sum()), int(inside.sum())
            low, high = proportion_confint(k, n, alpha=0.1, method="wilson")
            rows.append(
                {
                    "forecast": name,
                    "bin": f"{bins[b]:g}-{bins[b + 1]:g}",
                    "pair_years": n,
                    "mean_forecast": float(p[inside].mean()),
                    "observed_share": k / n,
                    "low": float(low),
                    "high": float(high),
                }
            )
    return pd.DataFrame(rows)
