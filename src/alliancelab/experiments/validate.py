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

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from alliancelab.errors import ParameterError
from alliancelab.estimation.forward import ForwardRun, forward_onsets
from alliancelab.estimation.onset import OnsetFit
from alliancelab.experiments.crisis_scores import (
    HORIZONS,
    horizon_scores,
    pair_year_scores,
    persistence_dispersion,
    reliability,
)
from alliancelab.models.order.params import Params

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
    #: per lead (:data:`~alliancelab.experiments.crisis_scores.HORIZONS`) and forecast: the
    #: pair-year scores in that year and the count scores of the years to it, against persistence
    horizons: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: per forecast and bin of forecast probability: the data of a reliability diagram
    reliability: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: actor1, actor2, year, onset (0/1) and each forecast's probability: the scored pair-years
    pair_years: pd.DataFrame = field(default_factory=pd.DataFrame)

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
        lines += self._horizon_lines()
        return lines

    def _horizon_lines(self) -> list[str]:
        """The horizon table in words: each forecast's gain over persistence at each lead."""
        if self.horizons.empty:
            return []

        def gain(row: Any, key: str, digits: int) -> str:
            value, low, high = (float(row[k]) for k in (f"{key}_vs_persistence", f"{key}_low", f"{key}_high"))
            return f"{value:+.{digits}f} ({low:+.{digits}f} to {high:+.{digits}f})"

        out = []
        for name in ("engine", "stage 1 forward", "peace-years only"):
            rows = self.horizons[self.horizons["forecast"] == name]
            if rows.empty:
                continue
            parts = [
                f"h={int(r['horizon'])}: Brier {gain(r, 'brier', 4)}, count log score {gain(r, 'count_log_score', 3)}"
                for _, r in rows.iterrows()
            ]
            out.append(
                f"{name.capitalize()} minus persistence by lead (the year's Brier, lower is better; the log score "
                "of each pair's count to that year, higher is better; 90 % dyad bootstrap): " + "; ".join(parts) + "."
            )
        return out


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
    from alliancelab.data.mids import mid_dyad_years
    from alliancelab.experiments.history import history_scenario
    from alliancelab.models.order.simulate import simulate

    fit_end = _window_fit(start, end, fit_end)
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
    totals = per_pair.sum(axis=1)
    code = {a.id: a.ccode for a in sc.actor}
    missing = [a for a in ids if code[a] is None]
    if missing:
        raise ParameterError("scenario", "validate_crises", "states with COW codes", missing)
    codes = [int(code[a] or 0) for a in ids]
    mids = mid_dyad_years(start, end)
    mids = mids[mids["onset"] == 1]
    keys = [(min(codes[i], codes[j]), max(codes[i], codes[j])) for i, j in zip(iu, ju, strict=True)]
    observed_py = _onset_matrix(mids, keys, start, end)
    pairs = _pair_table([ids[i] for i in iu], [ids[j] for j in ju], observed_py.sum(axis=1).astype(int), per_pair)
    refs = _references(pairs, code, start, end, seed, fit_end)
    pairs["estimated"] = refs.estimated
    pairs["forward"] = refs.forward.expected.reindex(pairs.index)
    span = end - start + 1
    # the record before the window: persistence's rate and, a window further back, its dispersion
    prior = mid_dyad_years(start - 2 * span, start - 1)
    before_py = _onset_matrix(prior[prior["onset"] == 1], keys, start - 2 * span, start - 1)
    # pairs was sorted; the crisis arrays and observed_py are in the upper triangle's order
    rows = {(ids[i], ids[j]): n for n, (i, j) in enumerate(zip(iu, ju, strict=True))}
    back = np.array([rows[(a, b)] for a, b in zip(pairs["actor1"], pairs["actor2"], strict=True)])
    pairs["recent"] = before_py[back][:, -span:].sum(axis=1).astype(int)
    engine_runs = np.moveaxis(crisis[:, :, iu, ju][:, :, back], (0, 1, 2), (2, 1, 0))  # (pairs, years, runs)
    scored_rows = _scored(pairs, observed_py[back], before_py[back], engine_runs, refs, seed)

    return _validation(start, end, int(ok.sum()), totals, pairs, fit_end, scored_rows)


@dataclass(frozen=True)
class _Scored:
    scores: pd.DataFrame
    horizons: pd.DataFrame
    reliability: pd.DataFrame
    pair_years: pd.DataFrame


def _rank(a: pd.Series, b: pd.Series) -> float:
    """Spearman's ρ (NaN with fewer than three pairs)."""
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).statistic) if len(a) > 2 else float("nan")


def _validation(
    start: int, end: int, runs: int, totals: np.ndarray, pairs: pd.DataFrame, fit_end: int, scored_rows: _Scored
) -> CrisisValidation:
    """The validation's record from its parts: region-wide quantiles of ``totals`` (per run), the
    pair table's rank correlations and the scores."""
    scored = pairs.dropna(subset=["estimated"])
    low, median, high = np.quantile(totals, [0.05, 0.5, 0.95])
    return CrisisValidation(
        start=start,
        end=end,
        runs=runs,
        observed=int(pairs["observed"].sum()),
        simulated_median=float(median),
        simulated_low=float(low),
        simulated_high=float(high),
        rank_correlation=_rank(pairs["observed"], pairs["simulated"]),
        pairs=pairs,
        estimated_total=float(scored["estimated"].sum()),
        estimated_rank_correlation=_rank(scored["observed"], scored["estimated"]),
        forward_total=float(scored["forward"].sum()),
        forward_rank_correlation=_rank(scored["observed"], scored["forward"]),
        scored_rank_correlation=_rank(scored["observed"], scored["simulated"]),
        fit_end=fit_end,
        persistence_rank_correlation=_rank(pairs["observed"], pairs["recent"]),
        scores=scored_rows.scores,
        horizons=scored_rows.horizons,
        reliability=scored_rows.reliability,
        pair_years=scored_rows.pair_years,
    )


def _window_fit(start: int, end: int, fit_end: int | None) -> int:
    """The packaged stage-1 fit a window ``start``–``end`` is scored with: ``fit_end`` if named
    (one of :data:`~alliancelab.models.order.estimated.FITS`), else the latest that ends before
    ``start``."""
    from alliancelab.estimation.sample import MID_LAST_YEAR
    from alliancelab.models.order.estimated import FITS

    if end > MID_LAST_YEAR:
        raise ParameterError("end", "validate_crises", f"a year up to {MID_LAST_YEAR} (MID 5.0 ends there)", end)
    if end < start:
        raise ParameterError("end", "validate_crises", f"a year from the start ({start}) on", end)
    if fit_end is None:
        before = [e for e in FITS if e < start]
        if not before:
            raise ParameterError(
                "fit_end", "validate_crises", f"one of {sorted(FITS)} (no packaged fit ends before {start})", fit_end
            )
        return max(before)
    if fit_end not in FITS:
        raise ParameterError(
            "fit_end", "validate_crises", f"one of the packaged fits' last years {sorted(FITS)}", fit_end
        )
    return fit_end


def _pair_table(actor1: list[str], actor2: list[str], observed: np.ndarray, per_pair: np.ndarray) -> pd.DataFrame:
    """Per pair: the recorded onsets and the runs' crisis counts (``per_pair``: runs × pairs),
    their mean and 5–95 % of runs; the busiest pairs first."""
    low, high = np.quantile(per_pair, [0.05, 0.95], axis=0)
    return pd.DataFrame(
        {
            "actor1": actor1,
            "actor2": actor2,
            "observed": observed,
            "simulated": per_pair.mean(axis=0),
            "simulated_low": low,  # 5 % of runs
            "simulated_high": high,  # 95 % of runs
        }
    ).sort_values(["observed", "simulated"], ascending=False, ignore_index=True)


def _onset_matrix(onsets: pd.DataFrame, keys: list[tuple[int, int]], first: int, last: int) -> np.ndarray:
    """pairs × years 0/1: whether each pair (``keys``: (ccode1, ccode2)) has an onset in ``onsets``
    (MID onset dyad-years) in each year ``first``–``last``."""
    years = onsets.groupby(["ccode1", "ccode2"])["year"].apply(set)
    return np.array([[y in years.get(k, set()) for y in range(first, last + 1)] for k in keys], float)


def _scored(
    pairs: pd.DataFrame,
    observed: np.ndarray,
    before: np.ndarray,
    engine_runs: np.ndarray,
    refs: _References,
    seed: int,
) -> _Scored:
    """Every forecast's scores over the pairs the references cover (``pairs`` order; ``observed``
    pairs × years, ``before`` the record of twice as many years before the window, ``engine_runs``
    pairs × years × runs): per pair-year over the window, by horizon against persistence, the
    reliability tables and the pair-years themselves."""
    at = refs.forward.ids
    span = observed.shape[1]
    rate = (pairs["recent"].to_numpy(float)[at] + 0.5) / (span + 1)
    forecasts = {
        "engine": engine_runs[at].mean(axis=2),
        "persistence": np.repeat(rate[:, None], span, axis=1),
        "stage 1 forward": refs.forward.hazard,
        "peace-years only": refs.peace.hazard,
    }
    y = observed[at]
    members = {"engine": engine_runs[at]}
    if refs.forward.onsets is not None and refs.peace.onsets is not None:
        members |= {"stage 1 forward": refs.forward.onsets, "peace-years only": refs.peace.onsets}
    alpha = {h: persistence_dispersion(before[at], h, span) for h in HORIZONS if h <= span}
    start = int(refs.forward.years[0])
    pair_years = pd.DataFrame(
        {
            "actor1": np.repeat(pairs["actor1"].to_numpy()[at], span),
            "actor2": np.repeat(pairs["actor2"].to_numpy()[at], span),
            "year": np.tile(np.arange(start, start + span), len(at)),
            "onset": y.ravel().astype(int),
            **{name: f.ravel() for name, f in forecasts.items()},
        }
    )
    return _Scored(
        scores=pair_year_scores(y, forecasts, seed=seed),
        horizons=horizon_scores(y, forecasts, members, seed=seed, dispersion={"persistence": alpha}),
        reliability=reliability(y, forecasts),
        pair_years=pair_years,
    )


#: Draws of each pair's dispute history in the forward references.
FORWARD_DRAWS = 2000


@functools.cache
def peace_years_fit(fit_end: int) -> OnsetFit:
    """The peace-years-only baseline: a logit of MID onset on peace-years and their splines alone,
    fitted on 1950–``fit_end`` over every dyad (the clock of Beck, Katz & Tucker 1998 with no
    covariate: how much of the forecast is the time since the last dispute)."""
    from alliancelab.estimation.onset import fit_onset
    from alliancelab.estimation.sample import conflict_dyad_years

    return fit_onset(conflict_dyad_years(1950, fit_end), train=(1950, fit_end), predictors=("peace_years",))


@dataclass(frozen=True)
class _References:
    estimated: pd.Series  # expected onsets on the observed covariates (NA: a pair the fit cannot score)
    forward: ForwardRun  # the stage-1 fit run forward, over the pairs it can score
    peace: ForwardRun  # the peace-years-only fit run forward, over the same pairs


def _references(
    pairs: pd.DataFrame, code: dict[str, int | None], start: int, end: int, seed: int, fit_end: int = 2014
) -> _References:
    """Expected onsets per pair from the packaged stage-1 fit on the observed covariates; that fit
    and the peace-years-only baseline run forward from ``start`` with peace-years of their own
    (only the pairs with every predictor in every year)."""
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
    rows = dy[dy["row"].isin(ok)]
    forward = forward_onsets(fit, rows, start, FORWARD_DRAWS, seed, keep_draws=True)
    peace = forward_onsets(peace_years_fit(fit_end), rows, start, FORWARD_DRAWS, seed + 1, keep_draws=True)
    dy = dy[(dy["continuing"] == 0) & dy["complete"].to_numpy(bool)]
    expected = pd.Series(fit.predict(dy), index=dy.index).groupby(dy["row"]).sum()
    out = pd.Series(np.nan, index=np.arange(len(pairs)))
    out[ok] = expected.reindex(ok).to_numpy()
    return _References(estimated=out.set_axis(pairs.index), forward=forward, peace=peace)
