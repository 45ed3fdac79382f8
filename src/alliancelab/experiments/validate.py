"""Validation a reader can see: simulated crises against the MID record of the same states.

From a historical start (:func:`~alliancelab.experiments.history.history_scenario`: the states of
the start year with the period's shocks), the engine's crises per pair and year are set beside the
MID 5.0 dyadic onsets among the same states (:func:`alliancelab.data.mids.mid_dyad_years`, built
from the participant records). Region-wide: is the observed number of onset dyad-years inside the
ensemble's 90 % interval? Per pair: how do the pairs' simulated and observed rates rank
(Spearman's ρ over every pair of states)?
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliancelab.errors import ParameterError
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
    pairs: pd.DataFrame  # actor1, actor2, observed, simulated (mean count per run), estimated
    estimated_total: float  # onsets the packaged stage-1 fit expects on the observed covariates
    estimated_rank_correlation: float

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
            f"over {len(self.pairs)} pairs (goal: 0.6).",
            f"For reference, the estimated onset model (docs/estimation.md) on the observed covariates expects "
            f"{self.estimated_total:.0f} onsets, with a rank correlation of {self.estimated_rank_correlation:.2f} "
            "over the pairs it can score. The engine runs the same model on its own simulated state (hostility,"
            " peace-years, growth), so it can fall short of this where the simulated history departs from the real.",
        ]
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
) -> CrisisValidation:
    """Run the history scenario ``start``–``end`` and score its crises against MID onsets."""
    from scipy.stats import spearmanr

    from alliancelab.data.mids import mid_dyad_years
    from alliancelab.estimation.sample import MID_LAST_YEAR
    from alliancelab.experiments.history import history_scenario
    from alliancelab.models.order.simulate import simulate

    if end > MID_LAST_YEAR:
        raise ParameterError("end", "validate_crises", f"a year up to {MID_LAST_YEAR} (MID 5.0 ends there)", end)
    if end < start:
        raise ParameterError("end", "validate_crises", f"a year from the start ({start}) on", end)
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
    observed = mids.groupby(["ccode1", "ccode2"]).size()
    obs = np.array(
        [observed.get((min(codes[i], codes[j]), max(codes[i], codes[j])), 0) for i, j in zip(iu, ju, strict=True)]
    )
    pairs = pd.DataFrame(
        {
            "actor1": [ids[i] for i in iu],
            "actor2": [ids[j] for j in ju],
            "observed": obs,
            "simulated": per_pair.mean(axis=0),
        }
    ).sort_values(["observed", "simulated"], ascending=False, ignore_index=True)
    pairs["estimated"] = _estimated_onsets(pairs, code, start, end)
    rho = float(spearmanr(pairs["observed"], pairs["simulated"]).statistic) if len(pairs) > 2 else float("nan")
    scored = pairs.dropna(subset=["estimated"])
    rho_est = float(spearmanr(scored["observed"], scored["estimated"]).statistic) if len(scored) > 2 else float("nan")
    low, median, high = np.quantile(totals, [0.05, 0.5, 0.95])
    return CrisisValidation(
        start=start,
        end=end,
        runs=int(ok.sum()),
        observed=int(obs.sum()),
        simulated_median=float(median),
        simulated_low=float(low),
        simulated_high=float(high),
        rank_correlation=rho,
        pairs=pairs,
        estimated_total=float(scored["estimated"].sum()),
        estimated_rank_correlation=rho_est,
    )


def _estimated_onsets(pairs: pd.DataFrame, code: dict[str, int | None], start: int, end: int) -> pd.Series:
    """Expected onsets per pair from the packaged stage-1 fit on the observed covariates (NA for a
    pair with a year lacking a predictor)."""
    from importlib.resources import files

    from alliancelab.estimation.onset import OnsetFit
    from alliancelab.estimation.sample import conflict_dyad_years

    fit = OnsetFit.from_json((files("alliancelab.models.order") / "estimates" / "onset.json").read_text())
    dy = conflict_dyad_years(start, end)
    c1 = [min(code[a] or 0, code[b] or 0) for a, b in zip(pairs["actor1"], pairs["actor2"], strict=True)]
    c2 = [max(code[a] or 0, code[b] or 0) for a, b in zip(pairs["actor1"], pairs["actor2"], strict=True)]
    want = pd.DataFrame({"ccode1": c1, "ccode2": c2, "row": np.arange(len(pairs))})
    dy = dy.merge(want, on=["ccode1", "ccode2"])
    dy = dy[dy["continuing"] == 0]
    complete = dy.groupby("row")["complete"].all()
    dy = dy[dy["complete"].to_numpy(bool)]
    expected = pd.Series(fit.predict(dy), index=dy.index).groupby(dy["row"]).sum()
    out = pd.Series(np.nan, index=np.arange(len(pairs)))
    ok = complete[complete].index
    out[ok] = expected.reindex(ok).to_numpy()
    return out.set_axis(pairs.index)
