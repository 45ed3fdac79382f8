"""Proper scores of the spending forecasts: CRPS and the interval score against hand-computed
cases, the baselines' ensembles against closed forms, the state-block bootstrap, and the
backtest's table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alliancelab.experiments.probabilistic import (
    ar1_ensemble,
    block_ratio,
    noisy_fixed_share,
    probabilistic_scores,
    state_year_scores,
)


def test_crps_and_interval_score_on_hand_computed_ensembles() -> None:
    # CRPS = E|X - y| - E|X - X'| / 2: members {0, 2} at y = 1 give 1 - 1/2 = 0.5
    got = state_year_scores(1.0, {"model": np.array([0.0, 2.0])})
    assert got["crps_model"] == pytest.approx(0.5)
    # one member is the absolute error
    assert state_year_scores(3.0, {"model": np.array([1.0])})["crps_model"] == pytest.approx(2.0)
    # 80 % interval [q10, q90] of 0..10 is [1, 9]; y = 11 lies 2 above: 8 + (2 / 0.2) * 2 = 28
    wide = state_year_scores(11.0, {"model": np.arange(11.0)})
    assert wide["is80_model"] == pytest.approx(28.0)


def test_the_noisy_fixed_share_is_the_start_share_of_each_runs_gdp_with_an_ar1() -> None:
    rng = np.random.default_rng(0)
    gdp = np.array([[100.0, 110.0, 121.0], [100.0, 90.0, 99.0]])
    exact = noisy_fixed_share(5.0, gdp, rho=0.9, sigma=0.0, rng=rng)
    assert np.allclose(exact, np.log(5.0 * gdp[:, 1:] / 100.0))
    flat = np.ones((40_000, 4))
    e = noisy_fixed_share(1.0, flat, rho=0.5, sigma=0.1, rng=rng)
    # AR(1) from 0: var e_1 = s^2, var e_2 = s^2 (1 + rho^2), var e_3 = s^2 (1 + rho^2 + rho^4)
    assert e.std(axis=0) == pytest.approx(0.1 * np.sqrt([1, 1.25, 1.3125]), rel=0.03)


def test_the_ar1_ensemble_recovers_a_planted_process() -> None:
    rng = np.random.default_rng(1)
    c, phi, s = 1.0, 0.8, 0.3
    x = [c / (1 - phi)]
    for _ in range(3000):
        x.append(c + phi * x[-1] + s * rng.standard_normal())
    history = np.exp(np.array(x))
    ens = ar1_ensemble(history, last=float(np.exp(4.0)), steps=1, runs=20_000, rng=rng)
    assert ens[:, 0].mean() == pytest.approx(c + phi * 4.0, abs=0.02)
    assert ens[:, 0].std() == pytest.approx(s, rel=0.1)
    short = ar1_ensemble(np.array([1.0, 2.0, 4.0]), last=4.0, steps=2, runs=5, rng=rng)
    assert short.shape == (5, 2)


def test_the_state_block_bootstrap_resamples_whole_states() -> None:
    frame = pd.DataFrame({"actor": ["a", "a", "b", "b"], "x": [1.0, 1.0, 3.0, 3.0], "y": [2.0, 2.0, 2.0, 2.0]})
    ratio, lo, hi = block_ratio(frame, "x", "y", reps=2000, seed=0)
    assert ratio == pytest.approx(1.0)  # (2 + 6) / (4 + 4)
    # resampling states: only a,a (0.5), a,b (1.0) and b,b (1.5) can occur
    assert lo == pytest.approx(0.5) and hi == pytest.approx(1.5)
    same = pd.DataFrame({"actor": ["a", "b"], "x": [1.0, 1.0], "y": [2.0, 2.0]})
    assert block_ratio(same, "x", "y", reps=100)[1:] == (0.5, 0.5)


def test_the_scores_by_horizon_and_overall() -> None:
    rows = pd.DataFrame(
        {
            "actor": ["a", "b", "a", "b"],
            "horizon": [1, 1, 2, 2],
            **{f"crps_{m}": [1.0, 1.0, 2.0, 2.0] for m in ("model", "ar1")},
            "crps_fixed_noisy": [2.0, 2.0, 2.0, 2.0],
            **{f"is80_{m}": [1.0, 1.0, 1.0, 1.0] for m in ("model", "fixed_noisy", "ar1")},
        }
    )
    table = probabilistic_scores(rows, reps=50).set_index("horizon")
    assert table.loc["1", "crps_ratio_fixed_noisy"] == pytest.approx(0.5)
    assert table.loc["all", "crps_model"] == pytest.approx(1.5) and table.loc["all", "n"] == 4


def test_the_backtest_scores_its_ensemble_against_the_noisy_fixed_share(shared_data: Path) -> None:
    from alliancelab.experiments.calibrate import backtest

    bt = backtest(runs=24)
    table = bt.probabilistic.set_index("horizon")
    assert table.loc["all", "n"] == len(bt.forecasts) == len(bt.state_year_scores)
    assert set(table.index) == {*map(str, range(1, 19)), "all"}
    assert (table[["crps_model", "crps_fixed_noisy", "crps_ar1"]] > 0).all().all()
    assert table.loc["all", "ratio_low"] <= table.loc["all", "crps_ratio_fixed_noisy"] <= table.loc["all", "ratio_high"]
    assert any(line.startswith("Probabilistic: CRPS on log spending") for line in bt.verdict())
