"""Validation a reader can see: simulated crises against the MID record of the same states.

From a historical start (:func:`~alliancelab.experiments.history.history_scenario`: the states of
the start year with the period's shocks), the engine's crises per pair and year are set beside the
MID 5.0 dyadic onsets among the same states (:func:`alliancelab.data.mids.mid_dyad_years`, built
from the participant records). Region-wide: is the observed number of onset dyad-years inside the
ensemble's 90 % interval? Per pair: how do the pairs' simulated and observed rates rank
(Spearman's ρ over every pair of states)?

Two references from the packaged stage-1 fit mark what the engine could reach. ``estimated``: the
fit on each year's observed covariates, peace-years included, so it knows when the record's
disputes happened (an upper mark, not a forecast). ``forward``: the fit run forward from the
start year on the observed covariates with peace-years of its own making (a dispute it draws
resets them), so it knows only the start year's dispute history, as the engine does; the gap
between it and the engine is what the engine's own state (hostility, growth) adds or loses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alliancelab.errors import ParameterError
from alliancelab.models.order.params import Params

if TYPE_CHECKING:
    from alliancelab.estimation.onset import OnsetFit

__all__ = ["CrisisValidation", "validate_crises"]


@dataclass(frozen=True)
class CrisisValidation:
    """Simulated crises beside the MID record for one historical window."""

    start: int
    end: int
    runs: int
    observed: int  # dyad-years with a MID onset among the scenario's states
    simulated_median: float
    simulated_low: float  # 5 % of runs
    simulated_high: float  # 95 % of runs
    rank_correlation: float  # Spearman's rho over pairs, observed vs simulated mean counts
    #: actor1, actor2, observed, simulated (mean per run; _low, _high: 5 %, 95 % of runs), estimated, forward
    pairs: pd.DataFrame
    estimated_total: float  # onsets the packaged stage-1 fit expects on the observed covariates
    estimated_rank_correlation: float
    forward_total: float  # onsets the fit expects run forward from the start (its own peace-years)
    forward_rank_correlation: float
    scored_rank_correlation: float  # the engine's, over the pairs the references can score
    fit_end: int = 2014  # the last year of the stage-1 fit the engine and the estimated model read
    persistence_rank_correlation: float = float("nan")  # each pair's onsets in the window before
    #: forecast, pairs, brier, log_score (per pair-year) and, against persistence, the difference
    #: in Brier score with its 90 % dyad-block bootstrap interval
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def out_of_sample(self) -> bool:
        return self.fit_end < self.start

    def _inside(self, recorded: bool = False) -> pd.Series:
        """Pairs whose observed count lies inside their 90 % of runs (only those with a recorded onset)."""
        d = self.pairs[self.pairs["observed"] > 0] if recorded else self.pairs
        return (d["simulated_low"] <= d["observed"]) & (d["observed"] <= d["simulated_high"])

    @property
    def inside(self) -> bool:
        return self.simulated_low <= self.observed <= self.simulated_high

    @property
    def ratio(self) -> float:
        """Observed onsets over the ensemble's median count (1 = right on average)."""
        return self.observed / max(self.simulated_median, 1e-9)

    def verdict(self) -> list[str]:
        years = self.end - self.start + 1
        lines = [
            f"MID 5.0 records {self.observed} dyad-years with an onset among these states in "
            f"{self.start}-{self.end} ({self.observed / years:.1f} a year); the engine gives a median of "
            f"{self.simulated_median:.0f} (90 % of runs {self.simulated_low:.0f}-{self.simulated_high:.0f}): the "
            f"record is {'inside' if self.inside else 'outside'} the interval, "
            f"{self.ratio:.1f} times the median.",
            f"Per pair, the rank correlation of simulated and observed crisis rates is {self.rank_correlation:.2f} "
            f"over {len(self.pairs)} pairs (goal: 0.6). The observed count lies inside the pair's 90 % of runs in "
            f"{self._inside().sum()} of them and in {self._inside(recorded=True).sum()} of the "
            f"{int((self.pairs['observed'] > 0).sum())} pairs with a recorded onset (90 % or more where the "
            "spread is right: counts are whole numbers).",
            f"For reference, over the {self.pairs['estimated'].notna().sum()} pairs the estimated onset model "
            "(docs/estimation.md) can score (the engine there: "
            f"{self.scored_rank_correlation:.2f}): on each year's observed covariates, dispute history included, "
            f"it expects {self.estimated_total:.0f} onsets with a rank correlation of "
            f"{self.estimated_rank_correlation:.2f}; run forward from {self.start} with peace-years of its own, as "
            f"the engine runs, {self.forward_total:.0f} onsets and {self.forward_rank_correlation:.2f}. The engine "
            "adds its own state (hostility, growth) to that forward run.",
            f"Stage-1 fit: 1950-{self.fit_end}, "
            + (
                f"so {self.start}-{self.end} is scored out of sample."
                if self.out_of_sample
                else f"which includes {self.start}-{min(self.end, self.fit_end)}: an in-sample score."
            ),
            f"Persistence: each pair's own onsets in the {years} years before {self.start} rank {self.start}-"
            f"{self.end} with a correlation of {self.persistence_rank_correlation:.2f}, against the engine's "
            f"{self.rank_correlation:.2f}"
            + (
                ": the engine adds nothing to the record's momentum here."
                if self.persistence_rank_correlation >= self.rank_correlation
                else "."
            ),
        ]
        if not self.scores.empty:
            sc = self.scores.set_index("forecast")
            engine: Any = sc.loc["engine"]
            diff, low, high = (float(engine[k]) for k in ("brier_minus_persistence", "low", "high"))
            lines.append(
                f"Per pair-year, over the {int(sc['pairs'].iloc[0])} pairs every forecast covers (Brier, lower is "
                "better; log score, higher is better): "
                + "; ".join(f"{name} {row.brier:.4f} / {row.log_score:.4f}" for name, row in sc.iterrows())
                + f". The engine's Brier score minus persistence's: {diff:+.4f}"
                f" (90 % dyad bootstrap {low:+.4f} to {high:+.4f}). "
                "Persistence is each pair's rate in as many years before, (onsets + 0.5)/(years + 1)."
            )
        return lines


def validate_crises(
    start: int = 2001,
    end: int = 2014,
    *,
    runs: int = 300,
    seed: int = 0,
    region: str = "asia-pacific",
    params: Params | None = None,
    progress: Callable[[int], None] | None = None,
    fit_end: int | None = None,
) -> CrisisValidation:
    """Run the history scenario ``start``–``end`` and score its crises against MID onsets.

    The engine's hazard and the estimated model beside it read the packaged stage-1 fit ending in
    ``fit_end``; by default the latest that ends before ``start`` (1950–2000 for a 2001 start),
    so the window is scored out of sample. A fit reaching into the window is allowed when named
    and said in the verdict (in sample)."""
    from scipy.stats import spearmanr

    from alliancelab.data.mids import mid_dyad_years
    from alliancelab.estimation.sample import MID_LAST_YEAR
    from alliancelab.experiments.history import history_scenario
    from alliancelab.models.order.simulate import simulate

    if end > MID_LAST_YEAR:
        raise ParameterError("end", "validate_crises", f"a year up to {MID_LAST_YEAR} (MID 5.0 ends there)", end)
    if end < start:
        raise ParameterError("end", "validate_crises", f"a year from the start ({start}) on", end)
    from alliancelab.models.order.estimated import FITS

    if fit_end is None:
        before = [e for e in FITS if e < start]
        if not before:
            raise ParameterError(
                "fit_end", "validate_crises", f"one of {sorted(FITS)} (no packaged fit ends before {start})", fit_end
            )
        fit_end = max(before)
    if fit_end not in FITS:
        raise ParameterError(
            "fit_end", "validate_crises", f"one of the packaged fits' last years {sorted(FITS)}", fit_end
        )
    params = (params or Params()).model_copy(update={"hazard_fit_end": fit_end})
    sc = history_scenario(start, end, region=region)
    ds = simulate(
        sc, runs=runs, years=end - start + 1, seed=seed, params=params, keep="crisis", progress=progress, throw=False
    )
    ok = (ds["status"] == 0).to_numpy()
    crisis = ds["crisis"].to_numpy()[ok]  # (runs, years, actor, other), symmetric
    ids = list(ds["actor"].to_numpy())
    iu, ju = np.triu_indices(len(ids), 1)
    per_pair = crisis[:, :, iu, ju].sum(axis=1)  # (runs, pairs)
    engine_p = crisis[:, :, iu, ju].mean(axis=0).T  # (pairs, years): the share of runs with a crisis
    totals = per_pair.sum(axis=1)
    code = {a.id: a.ccode for a in sc.actor}
    missing = [a for a in ids if code[a] is None]
    if missing:
        raise ParameterError("scenario", "validate_crises", "states with COW codes", missing)
    codes = [int(code[a] or 0) for a in ids]
    mids = mid_dyad_years(start, end)
    mids = mids[mids["onset"] == 1]
    observed = mids.groupby(["ccode1", "ccode2"]).size()
    obs = np.array(
        [observed.get((min(codes[i], codes[j]), max(codes[i], codes[j])), 0) for i, j in zip(iu, ju, strict=True)]
    )
    pair_low, pair_high = np.quantile(per_pair, [0.05, 0.95], axis=0)
    pairs = pd.DataFrame(
        {
            "actor1": [ids[i] for i in iu],
            "actor2": [ids[j] for j in ju],
            "observed": obs,
            "simulated": per_pair.mean(axis=0),
            "simulated_low": pair_low,  # 5 % of runs
            "simulated_high": pair_high,  # 95 % of runs
        }
    ).sort_values(["observed", "simulated"], ascending=False, ignore_index=True)
    pairs["estimated"], pairs["forward"] = _estimated_onsets(pairs, code, start, end, seed, fit_end)
    span = end - start + 1
    earlier = mid_dyad_years(start - span, start - 1)
    recent = earlier[earlier["onset"] == 1].groupby(["ccode1", "ccode2"]).size()
    pairs["recent"] = [
        recent.get((min(code[a] or 0, code[b] or 0), max(code[a] or 0, code[b] or 0)), 0)
        for a, b in zip(pairs["actor1"], pairs["actor2"], strict=True)
    ]
    onset_years = mids.groupby(["ccode1", "ccode2"])["year"].apply(set)
    keys = [(min(codes[i], codes[j]), max(codes[i], codes[j])) for i, j in zip(iu, ju, strict=True)]
    observed_py = np.array([[y in onset_years.get(k, set()) for y in range(start, end + 1)] for k in keys], float)
    # pairs was sorted; engine_p and observed_py are in the upper triangle's order
    rows = {(ids[i], ids[j]): n for n, (i, j) in enumerate(zip(iu, ju, strict=True))}
    back = np.array([rows[(a, b)] for a, b in zip(pairs["actor1"], pairs["actor2"], strict=True)])
    scores = pair_year_scores(
        observed_py[back],
        {
            "engine": engine_p[back],
            "persistence": np.repeat(((pairs["recent"].to_numpy(float) + 0.5) / (span + 1))[:, None], span, axis=1),
            "stage 1 forward": np.repeat((pairs["forward"].to_numpy(float) / span)[:, None], span, axis=1),
        },
        seed=seed,
    )

    def rank(a: pd.Series, b: pd.Series) -> float:
        return float(spearmanr(a, b).statistic) if len(a) > 2 else float("nan")

    scored = pairs.dropna(subset=["estimated"])
    low, median, high = np.quantile(totals, [0.05, 0.5, 0.95])
    return CrisisValidation(
        start=start,
        end=end,
        runs=int(ok.sum()),
        observed=int(obs.sum()),
        simulated_median=float(median),
        simulated_low=float(low),
        simulated_high=float(high),
        rank_correlation=rank(pairs["observed"], pairs["simulated"]),
        pairs=pairs,
        estimated_total=float(scored["estimated"].sum()),
        estimated_rank_correlation=rank(scored["observed"], scored["estimated"]),
        forward_total=float(scored["forward"].sum()),
        forward_rank_correlation=rank(scored["observed"], scored["forward"]),
        scored_rank_correlation=rank(scored["observed"], scored["simulated"]),
        fit_end=fit_end,
        persistence_rank_correlation=rank(pairs["observed"], pairs["recent"]),
        scores=scores,
    )


#: Dyad-block bootstrap draws for the score intervals.
BOOTSTRAP = 2000
#: Probabilities are kept inside [EPS, 1 − EPS] for the log score (a forecast of exactly 0 for an
#: event that happened would score −∞).
EPS = 1e-4


def pair_year_scores(observed: np.ndarray, forecasts: dict[str, np.ndarray], seed: int = 0) -> pd.DataFrame:
    """Brier and log scores per pair-year of each forecast (``pairs × years`` probabilities)
    against ``observed`` (0/1), over the pairs every forecast covers; and each forecast's Brier
    difference from ``persistence`` with a 90 % interval from resampling whole pairs (dyad-block
    bootstrap, :data:`BOOTSTRAP` draws). Lower Brier and higher log score are better."""
    from sklearn.metrics import brier_score_loss, log_loss

    covered = np.all([np.isfinite(f).all(axis=1) for f in forecasts.values()], axis=0)
    y = observed[covered]
    rng = np.random.default_rng([seed, 2])
    draws = rng.integers(0, len(y), size=(BOOTSTRAP, len(y)))
    base = np.clip(forecasts["persistence"][covered], EPS, 1 - EPS)
    base_pair = ((base - y) ** 2).mean(axis=1)
    rows = []
    for name, f in forecasts.items():
        p = np.clip(f[covered], EPS, 1 - EPS)
        per_pair = ((p - y) ** 2).mean(axis=1)
        diff = (per_pair - base_pair)[draws].mean(axis=1)
        rows.append(
            {
                "forecast": name,
                "pairs": int(covered.sum()),
                "brier": float(brier_score_loss(y.ravel(), p.ravel())),
                "log_score": -float(log_loss(y.ravel(), p.ravel(), labels=[0, 1])),
                "brier_minus_persistence": float((per_pair - base_pair).mean()),
                "low": float(np.quantile(diff, 0.05)),
                "high": float(np.quantile(diff, 0.95)),
            }
        )
    return pd.DataFrame(rows)


#: Draws of each pair's dispute history in the forward reference.
FORWARD_DRAWS = 2000


def _estimated_onsets(
    pairs: pd.DataFrame, code: dict[str, int | None], start: int, end: int, seed: int, fit_end: int = 2014
) -> tuple[pd.Series, pd.Series]:
    """Expected onsets per pair from the packaged stage-1 fit on the observed covariates, and run
    forward from ``start`` with its own peace-years (NA for a pair with a year lacking a
    predictor)."""
    from alliancelab.estimation.sample import conflict_dyad_years
    from alliancelab.models.order.estimated import onset_fit

    fit = onset_fit(fit_end)
    dy = conflict_dyad_years(start, end)
    c1 = [min(code[a] or 0, code[b] or 0) for a, b in zip(pairs["actor1"], pairs["actor2"], strict=True)]
    c2 = [max(code[a] or 0, code[b] or 0) for a, b in zip(pairs["actor1"], pairs["actor2"], strict=True)]
    want = pd.DataFrame({"ccode1": c1, "ccode2": c2, "row": np.arange(len(pairs))})
    dy = dy.merge(want, on=["ccode1", "ccode2"])
    complete = dy.groupby("row")["complete"].all()
    ok = complete[complete].index
    forward = _forward(fit, dy[dy["row"].isin(ok)], start, seed)
    dy = dy[(dy["continuing"] == 0) & dy["complete"].to_numpy(bool)]
    expected = pd.Series(fit.predict(dy), index=dy.index).groupby(dy["row"]).sum()
    out = pd.Series(np.nan, index=np.arange(len(pairs)))
    fwd = out.copy()
    out[ok] = expected.reindex(ok).to_numpy()
    fwd[ok] = forward.reindex(ok).to_numpy()
    return out.set_axis(pairs.index), fwd.set_axis(pairs.index)


def _forward(fit: OnsetFit, rows: pd.DataFrame, start: int, seed: int) -> pd.Series:
    """Expected onsets per ``row`` when the fit runs forward from ``start``: each year's observed
    covariates, but peace-years from the start year's value on, reset by the disputes the fit
    itself draws (:data:`FORWARD_DRAWS` histories per pair; the count adds each year's hazard,
    so only the histories are random)."""
    rng = np.random.default_rng([seed, start])
    rows = rows.sort_values(["year", "row"])
    ids = np.sort(rows["row"].unique())
    first = rows[rows["year"] == start].set_index("row")["peace_years"].reindex(ids).to_numpy(float)
    peace = np.repeat(first[:, None], FORWARD_DRAWS, axis=1)
    total = np.zeros(len(ids))
    for _year, now in rows.groupby("year", sort=True):
        at = np.searchsorted(ids, now["row"].to_numpy())
        grid = now.loc[now.index.repeat(FORWARD_DRAWS)].assign(peace_years=peace[at].reshape(-1))
        h = fit.predict(grid).reshape(len(at), FORWARD_DRAWS)
        total[at] += h.mean(axis=1)
        onset = rng.random(h.shape) < h
        peace[at] = np.where(onset, 0.0, peace[at] + 1.0)
    return pd.Series(total, index=ids)
