"""Does each block of stage 1 earn its place at the engine's horizon?

Ward, Greenhill & Bakke (2010) ask of each term of a conflict model whether it improves forecasts
of years it never saw, not whether its coefficient is significant. Here each block of predictors
is dropped in turn, the onset logit refitted on the training years (1950 to the fit end), and both
models run forward from the first held-out year over every dyad of the world with peace-years of
their own making (:func:`alliancelab.estimation.forward.forward_onsets`), as the engine runs: the
forecast knows only the start year's dispute history. A block's gain is the full model's score
minus the model without it over the held-out pair-years, with a 90 % interval from resampling
whole dyads.

The same machinery tests regional heterogeneity: an Asia-Pacific intercept (both states in the
built-in region, :data:`alliancelab.data.dyads.REGIONS`) added to the full model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliancelab.data.dyads import REGIONS
from alliancelab.errors import EstimationError
from alliancelab.estimation.forward import forward_onsets
from alliancelab.estimation.onset import OnsetFit, fit_onset
from alliancelab.estimation.sample import MID_LAST_YEAR, PREDICTORS, conflict_dyad_years
from alliancelab.estimation.scores import brier_log

__all__ = ["BLOCKS", "BlockGains", "block_gains"]

#: Stage 1's predictors in the blocks the literature argues about (Oneal & Russett 1999's
#: liberal terms with the realist preponderance and alliance beside them; the history block is
#: peace-years with their splines, Beck, Katz & Tucker 1998).
BLOCKS: dict[str, tuple[str, ...]] = {
    "geography": ("contiguous", "sea_contiguous", "ln_distance"),
    "major power": ("major",),
    "rivalry": ("rivalry",),
    "history": ("peace_years",),
    "liberal and power": ("democracy_low", "democracy_high", "trade_low", "igos", "allied", "preponderance"),
}
#: The regional term tested beside the blocks.
REGION_TERM = "asia_pacific"
#: Histories per dyad in the forward runs (common random numbers across the models).
DRAWS = 200
#: Dyad-block bootstrap draws for the gains' intervals.
BOOTSTRAP = 200
EPS = 1e-6


@dataclass(frozen=True)
class BlockGains:
    """Each model's held-out scores at the engine's horizon and each block's gain."""

    fit_end: int
    window: tuple[int, int]
    dyads: int
    onsets: int
    #: model, terms, brier, log_score, pr_auc (held-out pair-years, run forward)
    scores: pd.DataFrame
    #: block, the full model's gain over the model without it in Brier (positive: the block helps),
    #: log score and PR-AUC, each with its 90 % dyad-block bootstrap interval, and a verdict
    gains: pd.DataFrame
    #: the Asia-Pacific intercept's coefficient and standard error in the full model's training fit
    region_coef: tuple[float, float]

    def verdict(self) -> list[str]:
        lines = [
            f"Stage 1 fitted on 1950-{self.fit_end} and run forward from {self.window[0]} with its own "
            f"peace-years over {self.dyads:,} dyads to {self.window[1]} ({self.onsets} onsets): "
            "each block's gain is the full model's score minus the model's without it (90 % dyad bootstrap)."
        ]
        for r in self.gains.itertuples():
            lines.append(
                f"{r.block}: Brier {r.brier_gain:+.6f} ({r.brier_low:+.6f} to {r.brier_high:+.6f}), log score "
                f"{r.log_score_gain:+.5f} ({r.log_score_low:+.5f} to {r.log_score_high:+.5f}), PR-AUC "
                f"{r.pr_auc_gain:+.3f} ({r.pr_auc_low:+.3f} to {r.pr_auc_high:+.3f}): {r.verdict}."
            )
        b, se = self.region_coef
        lines.append(f"The Asia-Pacific intercept in the training fit: {b:+.2f} (s.e. {se:.2f}).")
        return lines


def _region_column(sample: pd.DataFrame) -> pd.Series:
    region = set(REGIONS["asia-pacific"])
    return (sample["ccode1"].isin(region) & sample["ccode2"].isin(region)).astype(float)


def _forward_rows(sample: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """The held-out dyad-years of the dyads present in ``start`` with every predictor in every
    year to ``end``, with ``row`` naming the dyad."""
    test = sample[sample["year"].between(start, end)]
    whole = test.groupby(["ccode1", "ccode2"]).agg(first=("year", "min"), complete=("complete", "all"))
    keep = whole[(whole["first"] == start) & whole["complete"]].reset_index()[["ccode1", "ccode2"]]
    keep["row"] = np.arange(len(keep))
    return test.merge(keep, on=["ccode1", "ccode2"])


def _scores(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import average_precision_score

    brier, loglik = brier_log(y, p, EPS)
    return {
        "brier": float(brier.mean()),
        "log_score": float(loglik.mean()),
        "pr_auc": float(average_precision_score(y, np.clip(p, EPS, 1 - EPS))),
    }


def _fit(sample: pd.DataFrame, predictors: tuple[str, ...], fit_end: int) -> OnsetFit:
    history = "peace_years" in predictors
    return fit_onset(sample, "onset", (1950, fit_end), predictors=predictors, splines=history)


def _gain_rows(y: np.ndarray, full: np.ndarray, without: dict[str, np.ndarray], seed: int) -> pd.DataFrame:
    """Gains per block with dyad-block intervals (``y`` and forecasts: dyads × years)."""
    from sklearn.metrics import average_precision_score

    rng = np.random.default_rng([seed, 7])
    draws = rng.integers(0, len(y), size=(BOOTSTRAP, len(y)))

    def per_dyad(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        brier, loglik = brier_log(y, p, EPS)
        return brier.mean(axis=1), loglik.mean(axis=1)

    b_full, l_full = per_dyad(full)
    ap_full = np.array([average_precision_score(y[d].ravel(), full[d].ravel()) for d in draws])
    rows = []
    for block, p in without.items():
        b, lg = per_dyad(p)
        brier = (b - b_full)[draws].mean(axis=1)  # the block's gain: the error it takes away
        log = (l_full - lg)[draws].mean(axis=1)
        ap = ap_full - np.array([average_precision_score(y[d].ravel(), p[d].ravel()) for d in draws])
        row: dict[str, object] = {"block": block, "terms": ", ".join(BLOCKS.get(block, (REGION_TERM,)))}
        point = {
            "brier": float((b - b_full).mean()),
            "log_score": float((l_full - lg).mean()),
            "pr_auc": float(
                average_precision_score(y.ravel(), full.ravel()) - average_precision_score(y.ravel(), p.ravel())
            ),
        }
        detectable = []
        for key, boot in (("brier", brier), ("log_score", log), ("pr_auc", ap)):
            low, high = np.quantile(boot, [0.05, 0.95])
            row |= {f"{key}_gain": point[key], f"{key}_low": float(low), f"{key}_high": float(high)}
            detectable.append(low > 0)
        row["verdict"] = (
            "earns its place"
            if all(detectable)
            else "helps on some scores"
            if any(detectable)
            else "adds nothing detectable"
        )
        rows.append(row)
    return pd.DataFrame(rows)


def block_gains(
    fit_end: int = 2000,
    end: int = MID_LAST_YEAR,
    *,
    seed: int = 0,
    sample: pd.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
) -> BlockGains:
    """Each block's out-of-sample gain at the engine's horizon (fit 1950–``fit_end``, run forward
    from ``fit_end + 1`` to ``end``), and the Asia-Pacific intercept's."""
    say = progress or (lambda _msg: None)
    start = fit_end + 1
    if not 1960 <= fit_end < end <= MID_LAST_YEAR:
        raise EstimationError(f"need 1960 <= fit end < end <= {MID_LAST_YEAR}; got {fit_end}, {end}")
    if sample is None:
        say(f"building dyad-years 1950-{end}")
        sample = conflict_dyad_years(1950, end)
    sample = sample.assign(**{REGION_TERM: _region_column(sample)})
    rows = _forward_rows(sample, start, end)
    wide = rows.pivot(index="row", columns="year", values="onset").to_numpy(float)
    models = {"full": PREDICTORS, "full + Asia-Pacific": (*PREDICTORS, REGION_TERM)}
    models |= {f"without {b}": tuple(p for p in PREDICTORS if p not in terms) for b, terms in BLOCKS.items()}
    forecasts: dict[str, np.ndarray] = {}
    fits: dict[str, OnsetFit] = {}
    scores = []
    for name, predictors in models.items():
        say(f"fitting and running forward: {name}")
        fits[name] = _fit(sample, predictors, fit_end)
        run = forward_onsets(fits[name], rows, start, DRAWS, seed)
        forecasts[name] = run.hazard
        scores.append({"model": name, "terms": len(fits[name].names), **_scores(wide.ravel(), run.hazard.ravel())})
    say("bootstrapping the gains")
    without = {b: forecasts[f"without {b}"] for b in BLOCKS}
    gains = _gain_rows(wide, forecasts["full"], without, seed)
    # the regional intercept's gain: the model with it over the full model without it
    region = _gain_rows(wide, forecasts["full + Asia-Pacific"], {"Asia-Pacific intercept": forecasts["full"]}, seed)
    gains = pd.concat([gains, region], ignore_index=True)
    regional = fits["full + Asia-Pacific"]
    at = regional.names.index(REGION_TERM)
    return BlockGains(
        fit_end=fit_end,
        window=(start, end),
        dyads=len(wide),
        onsets=int(wide.sum()),
        scores=pd.DataFrame(scores),
        gains=gains,
        region_coef=(regional.coef[at], float(np.sqrt(regional.vcov[at][at]))),
    )
