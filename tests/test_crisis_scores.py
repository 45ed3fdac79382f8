"""The crisis forecasts' proper scores by horizon, the forward run of a stage-1 fit, and the
persistence baseline's dispersion, against hand-computed cases, closed forms and planted values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import nbinom, poisson

from alliancelab.estimation.forward import forward_onsets
from alliancelab.estimation.onset import OnsetFit
from alliancelab.experiments.crisis_scores import (
    count_scores,
    horizon_scores,
    persistence_dispersion,
    reliability,
)


def test_count_scores_of_a_two_member_ensemble_and_of_a_poisson_by_hand() -> None:
    """Members {0, 2} and an observed 1: CRPS = E|X − y| − ½E|X − X'| = 1 − ½ = 0.5; their mean 1
    and variance 1 give a Poisson(1) log-likelihood. A Poisson mean m scores log(e^−m m^y / y!)."""
    loglik, rps = count_scores(np.array([1.0]), members=np.array([[0, 2]]))
    assert rps[0] == pytest.approx(0.5)
    assert loglik[0] == pytest.approx(-1.0)  # Poisson(1) at 1: log(e^-1)
    loglik, rps = count_scores(np.array([0.0, 2.0]), mean=np.array([0.5, 0.5]))
    assert loglik == pytest.approx([-0.5, np.log(np.exp(-0.5) * 0.25 / 2)])
    # the CRPS of a count is the sum over thresholds k ≥ 0 of (F(k) − 1{y ≤ k})²
    k = np.arange(60)
    expected = [((poisson.cdf(k, 0.5) - (y <= k)) ** 2).sum() for y in (0, 2)]
    assert rps == pytest.approx(expected)


def test_an_overdispersed_ensemble_is_scored_by_its_moment_negative_binomial() -> None:
    members = np.array([[0, 0, 0, 1, 5]])  # mean 1.2, variance 3.76
    loglik, _ = count_scores(np.array([3.0]), members=members)
    m, v = 1.2, members.var()
    r = m**2 / (v - m)
    assert loglik[0] == pytest.approx(nbinom.logpmf(3, r, r / (r + m)))
    loglik, rps = count_scores(np.array([3.0]), mean=np.array([1.2]), alpha=0.5)
    assert loglik[0] == pytest.approx(nbinom.logpmf(3, 2.0, 2.0 / 3.2))
    k = np.arange(200)
    assert rps[0] == pytest.approx(((nbinom.cdf(k, 2.0, 2.0 / 3.2) - (3 <= k)) ** 2).sum())


def test_horizon_scores_by_lead_against_hand_computed_values() -> None:
    """Two pairs, three years: lead h scores year h per pair-year and the first h years' counts;
    persistence scores 0 against itself and a forecast equal to it gains nothing."""
    observed = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    flat = np.full((2, 3), 0.2)
    sharp = np.array([[0.9, 0.1, 0.9], [0.1, 0.1, 0.1]])
    h = horizon_scores(observed, {"persistence": flat, "sharp": sharp, "copy": flat.copy()}, {}, horizons=(1, 3, 9))
    assert sorted(h["horizon"].unique()) == [1, 3]  # a lead past the window is not scored
    at1 = h[h["horizon"] == 1].set_index("forecast")
    assert at1.loc["sharp", "brier"] == pytest.approx((0.01 + 0.01) / 2)
    assert at1.loc["persistence", "brier"] == pytest.approx((0.64 + 0.04) / 2)
    assert at1.loc["sharp", "log_score"] == pytest.approx((np.log(0.9) + np.log(0.9)) / 2)
    assert at1.loc["sharp", "brier_vs_persistence"] == pytest.approx(0.01 - 0.34)
    at3 = h[h["horizon"] == 3].set_index("forecast")
    # counts to year 3: 2 and 0; Poisson means 1.9 and 0.3 (sharp), 0.6 and 0.6 (persistence)
    assert at3.loc["sharp", "count_log_score"] == pytest.approx((poisson.logpmf(2, 1.9) + poisson.logpmf(0, 0.3)) / 2)
    assert at3.loc["copy", "count_log_score_vs_persistence"] == 0.0
    assert (at3.loc["persistence", [c for c in at3 if c.endswith("_vs_persistence")]] == 0).all()
    assert at3.loc["sharp", "count_log_score_low"] <= at3.loc["sharp", "count_log_score_high"]


def test_reliability_bins_by_hand() -> None:
    observed = np.array([[1.0, 0.0, 0.0, 1.0]])
    table = reliability(observed, {"f": np.array([[0.001, 0.002, 0.3, 0.4]])}, bins=(0.0, 0.1, 1.0))
    assert table["pair_years"].tolist() == [2, 2]
    assert table["mean_forecast"].tolist() == pytest.approx([0.0015, 0.35])
    assert table["observed_share"].tolist() == [0.5, 0.5]
    assert (table["low"] < 0.5).all() and (table["high"] > 0.5).all()


def test_persistence_dispersion_recovers_a_planted_alpha() -> None:
    """Counts drawn NB2 with α = 0.8 around each pair's earlier rate: the estimate is near 0.8; a
    Poisson record gives about 0."""
    rng = np.random.default_rng(5)
    pairs, span, h = 6000, 14, 5
    rate = rng.gamma(0.7, 0.1, size=pairs)
    prior = rng.poisson(rate * span)
    mean = h * (prior + 0.5) / (span + 1)
    alpha = 0.8
    counts = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mean))

    def record(total: np.ndarray, years: int) -> np.ndarray:
        out = np.zeros((pairs, years))
        for i, n in enumerate(total):  # the count spread over the years (only the sum is read)
            out[i, : min(n, years)] = 1
            out[i, 0] += max(n - years, 0)
        return out

    before = np.hstack([record(prior, span), record(counts, h)])
    assert persistence_dispersion(before, h, span) == pytest.approx(alpha, abs=0.15)
    calm = np.hstack([record(prior, span), record(rng.poisson(mean), h)])
    assert persistence_dispersion(calm, h, span) < 0.1
    with pytest.raises(ValueError, match="years of record"):
        persistence_dispersion(before[:, :10], h, span)


def _toy_fit(coef: tuple[float, ...]) -> OnsetFit:
    names = ("const", "contiguous", "peace_years", "peace_spline1", "peace_spline2", "peace_spline3")
    return OnsetFit(
        outcome="onset",
        names=names,
        coef=coef,
        vcov=tuple(tuple(float(i == j) for j in range(6)) for i in range(6)),
        knots=(0.0, 2.0, 5.0, 10.0, 40.0),
        train=(1950, 2000),
        n=1,
        events=1,
        dyads=1,
        log_likelihood=0.0,
        converged=True,
    )


def _rows(pairs: int, years: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "row": np.repeat(np.arange(pairs), years),
            "year": np.tile(np.arange(2001, 2001 + years), pairs),
            "contiguous": np.repeat(rng.integers(0, 2, pairs), years),
            "peace_years": np.repeat(rng.integers(0, 30, pairs), years).astype(float),
        }
    )


def test_forward_run_without_peace_terms_is_the_static_logit() -> None:
    """With zero peace-year coefficients the hazard is logistic(const + b·contiguous) in every
    year, whatever the histories draw."""
    run = forward_onsets(_toy_fit((-2.0, 1.5, 0.0, 0.0, 0.0, 0.0)), _rows(20, 6), 2001, draws=50, seed=0)
    contiguous = _rows(20, 6).groupby("row")["contiguous"].first().to_numpy()
    expected = 1 / (1 + np.exp(-(-2.0 + 1.5 * contiguous)))
    np.testing.assert_allclose(run.hazard, np.repeat(expected[:, None], 6, axis=1))
    assert run.expected.to_numpy() == pytest.approx(6 * expected)


def test_forward_run_matches_a_plain_loop_over_histories() -> None:
    """The vectorised run against a direct transcription: each history's peace-years counted by
    hand, the fit's own ``predict`` on every (pair, history), the same random stream."""
    fit = _toy_fit((-1.0, 0.8, -0.05, 0.002, -0.001, 0.0005))
    rows = _rows(12, 8)
    draws = 30
    run = forward_onsets(fit, rows, 2001, draws=draws, seed=3, keep_draws=True)
    rng = np.random.default_rng([3, 2001])
    peace = np.repeat(rows[rows["year"] == 2001]["peace_years"].to_numpy()[:, None], draws, axis=1)
    for t, year in enumerate(range(2001, 2009)):
        now = rows[rows["year"] == year]
        grid = now.loc[now.index.repeat(draws)].assign(peace_years=peace.reshape(-1))
        h = fit.predict(grid).reshape(len(now), draws)
        np.testing.assert_allclose(run.hazard[:, t], h.mean(axis=1), rtol=1e-12)
        onset = rng.random(h.shape) < h
        assert run.onsets is not None
        np.testing.assert_array_equal(run.onsets[:, t], onset)
        peace = np.where(onset, 0.0, peace + 1.0)


def _planted_sample(seed: int = 0) -> pd.DataFrame:
    """Dyad-years 1950-2014 whose onsets follow a known logit: geography (contiguity) and
    rivalry matter, an Asia-Pacific intercept of 0.7, every other predictor is noise, and the
    hazard does not depend on peace-years (which are still counted from the drawn onsets)."""
    from alliancelab.data.dyads import REGIONS
    from alliancelab.estimation.sample import PREDICTORS

    rng = np.random.default_rng(seed)
    region = sorted(REGIONS["asia-pacific"])
    others = list(range(1000, 1000 + 45))
    states = region + others
    i, j = np.triu_indices(len(states), 1)
    c1, c2 = np.array(states)[i], np.array(states)[j]
    years = np.arange(1950, 2015)
    n = len(c1)
    static = {p: rng.normal(size=n) for p in PREDICTORS if p != "peace_years"}
    static["contiguous"] = (rng.random(n) < 0.15).astype(float)
    static["rivalry"] = (rng.random(n) < 0.05).astype(float)
    asia = np.isin(c1, region) & np.isin(c2, region)
    z = -5.0 + 2.0 * static["contiguous"] + 1.5 * static["rivalry"] + 0.7 * asia
    hazard = 1 / (1 + np.exp(-z))
    onset = rng.random((n, len(years))) < hazard[:, None]
    peace = np.zeros((n, len(years)))
    for t in range(1, len(years)):
        peace[:, t] = np.where(onset[:, t - 1], 0.0, peace[:, t - 1] + 1.0)
    frame = pd.DataFrame(
        {
            "ccode1": np.repeat(c1, len(years)),
            "ccode2": np.repeat(c2, len(years)),
            "year": np.tile(years, n),
            "onset": onset.ravel().astype(int),
            "continuing": 0,
            "complete": True,
            "peace_years": peace.ravel(),
            **{p: np.repeat(v, len(years)) for p, v in static.items()},
        }
    )
    return frame


def test_block_gains_find_the_planted_blocks_and_region() -> None:
    """On a planted panel the block that drives onsets earns its place out of sample, a block of
    noise is not detectably useful, and the training fit recovers the Asia-Pacific intercept."""
    from alliancelab.estimation.blocks import block_gains

    g = block_gains(2000, 2014, sample=_planted_sample())
    gains = g.gains.set_index("block")
    assert gains.loc["geography", "verdict"] == "earns its place"
    assert gains.loc["geography", "log_score_gain"] > 0.005
    noise = gains.loc["liberal and power"]
    assert noise["log_score_low"] <= 0 <= noise["log_score_high"]
    assert abs(noise["log_score_gain"]) < gains.loc["geography", "log_score_gain"] / 5
    b, se = g.region_coef
    assert abs(b - 0.7) < 3 * se and se < 0.3
    assert g.window == (2001, 2014) and set(g.scores["model"]) >= {"full", "without history"}


def test_estimate_blocks_refuses_a_fit_end_after_the_window() -> None:
    from typer.testing import CliRunner

    from alliancelab.cli import app

    result = CliRunner().invoke(app, ["estimate", "blocks", "--fit-end", "2010", "--end", "2005", "-q"])
    assert result.exit_code != 0
    assert "fit end < end" in " ".join(result.output.split()), result.output
