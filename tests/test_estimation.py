"""The two estimation stages against data they did not make: MID onsets against peacesciencer's
independent build, coefficients recovered from synthetic dyad-years and panels, the published
sign pattern on the real dyad-years, a leak test and the held-out goals."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alliancelab.data.mids import dispute_dyads, load_mid_dyads_reference, mid_dyad_years, peace_years
from alliancelab.estimation import PREDICTORS, EstimationError, OnsetFit, conflict_dyad_years, fit_onset
from alliancelab.estimation.crises import estimate_crises
from alliancelab.estimation.onset import king_zeng_bias
from alliancelab.estimation.spending import estimate_spending, nickell_bias, state_threat, threat_effects
from alliancelab.estimation.splines import PeaceSplines

# --- MID onsets --------------------------------------------------------------------------------


def test_dispute_dyads_match_peacesciencers_independent_build(shared_data: Path) -> None:
    """Every dispute-dyad onset built here is in peacesciencer's build (which also counts a
    handful of re-entries after a gap as new onsets), and at least 99 % of theirs are here."""
    ours = dispute_dyads()
    ref = load_mid_dyads_reference()
    ref = ref[(ref["ccode1"] < ref["ccode2"]) & (ref["disponset"] == 1)]
    theirs = set(map(tuple, ref[["dispnum", "ccode1", "ccode2", "year"]].astype(int).to_numpy()))
    mine = set(map(tuple, ours[["dispnum", "ccode1", "ccode2", "styear"]].to_numpy()))
    assert len(mine) > 3500
    assert mine <= theirs
    assert len(mine & theirs) / len(theirs) >= 0.99


def test_mid_dyad_years_know_the_korean_war_and_a_quiet_pair(shared_data: Path) -> None:
    years = mid_dyad_years(1945, 2014)
    korea = years[(years["ccode1"] == 2) & (years["ccode2"] == 731)]
    assert korea.loc[korea["year"] == 1950, "onset"].item() == 1
    assert korea.loc[korea["year"] == 1950, "fatal_onset"].item() == 1
    assert korea.loc[korea["year"] == 1952, "ongoing"].item() == 1
    # Canada and Australia never fought each other
    assert years[(years["ccode1"] == 20) & (years["ccode2"] == 900)].empty


def test_peace_years_restart_after_every_dispute_year(shared_data: Path) -> None:
    events = pd.DataFrame({"ccode1": [2, 2, 2], "ccode2": [731, 731, 731], "year": [1950, 1951, 1960]})
    rows = pd.DataFrame({"ccode1": [2] * 5, "ccode2": [731] * 5, "year": [1951, 1952, 1955, 1960, 1961]})
    got = peace_years(rows, events=events).tolist()
    # 1951: last dispute year 1950 -> 0; 1952: last 1951 -> 0; 1955 -> 3; 1960: last 1951 -> 8; 1961 -> 0
    assert got == [0, 0, 3, 8, 0]
    first = pd.DataFrame({"ccode1": [2], "ccode2": [20], "year": [1925]})  # Canada enters the system in 1920
    assert peace_years(first, events=events).item() == 5


# --- splines -----------------------------------------------------------------------------------


def test_peace_splines_are_continuous_and_linear_beyond_the_last_knot() -> None:
    s = PeaceSplines((0.0, 2.0, 5.0, 10.0, 30.0))
    below, at, above = s.basis(np.array([30.0 - 1e-7, 30.0, 30.0 + 1e-7]))
    assert np.allclose(below, at, atol=1e-3) and np.allclose(above, at, atol=1e-3)
    far = s.basis(np.array([40.0, 50.0, 60.0]))
    assert np.allclose(far[2] - far[1], far[1] - far[0])
    # inside the knots the basis is a cubic: its third differences are constant between knots
    x = np.arange(10.5, 11.5, 0.25)
    assert np.allclose(np.diff(s.basis(x), 3, axis=0)[0], np.diff(s.basis(x), 3, axis=0)[-1])


# --- stage 1 on synthetic data -----------------------------------------------------------------


def _synthetic(n: int, beta: dict[str, float], seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "ccode1": rng.integers(1, 400, n),
            "year": rng.integers(1950, 2001, n),
            "contiguous": rng.binomial(1, 0.1, n),
            "ln_distance": rng.normal(8.5, 1.0, n),
            "major": rng.binomial(1, 0.1, n),
            "democracy_low": rng.uniform(0, 1, n),
            "peace_years": rng.integers(0, 60, n),
        }
    )
    df["ccode2"] = df["ccode1"] + rng.integers(1, 400, n)
    z = beta["const"] + sum(beta[k] * df[k] for k in beta if k != "const")
    df["onset"] = rng.binomial(1, 1 / (1 + np.exp(-z)))
    df["fatal_onset"] = 0
    df["complete"] = True
    df["continuing"] = 0
    return df


def test_fit_onset_recovers_known_coefficients() -> None:
    beta = {
        "const": -1.0,
        "contiguous": 1.5,
        "ln_distance": -0.4,
        "major": 1.2,
        "democracy_low": -2.0,
        "peace_years": -0.05,
    }
    df = _synthetic(300_000, beta, seed=7)
    fit = fit_onset(df, "onset", (1950, 2000), predictors=tuple(k for k in beta if k != "const"), splines=False)
    t = fit.table().set_index("term")
    for k, b in beta.items():
        assert abs(t.loc[k, "coef"] - b) < 4 * t.loc[k, "se"], (k, t.loc[k, "coef"], b)
    # the rare-events bias is second order: far below a standard error at this size
    assert np.all(np.abs(np.asarray(fit.bias_correction)) < 0.2 * t["se"].to_numpy())
    # draws from the sampling distribution centre on the estimates with their covariance
    draws = fit.draw(20_000, seed=3)
    se = t["se"].to_numpy()
    assert np.all(np.abs(draws.mean(axis=0) - np.asarray(fit.coef)) < 5 * se / np.sqrt(20_000))
    assert np.allclose(draws.std(axis=0), se, rtol=0.05)
    V = np.asarray(fit.vcov)
    assert np.allclose(np.corrcoef(draws.T), V / np.outer(se, se), atol=0.03)
    # and the fit survives a JSON round trip exactly
    again = OnsetFit.from_json(fit.to_json())
    assert again == fit
    assert np.allclose(again.predict(df.head(50)), fit.predict(df.head(50)))


def test_king_zeng_bias_matches_the_simulated_bias_of_a_small_rare_sample() -> None:
    """With few events the MLE intercept is biased downward; the formula's bias tracks the
    simulated one (King & Zeng 2001, Fig. 1)."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=400)
    X = np.column_stack([np.ones_like(x), x])
    true = np.array([-3.5, 1.0])
    p = 1 / (1 + np.exp(-(X @ true)))
    import statsmodels.api as sm

    estimates = []
    for _ in range(300):
        y = rng.binomial(1, p)
        if 3 <= y.sum():
            estimates.append(sm.Logit(y, X).fit(disp=False).params)
    simulated = np.mean(estimates, axis=0) - true
    formula = king_zeng_bias(X, p)
    assert formula[0] < 0 and simulated[0] < 0
    assert abs(formula[0] - simulated[0]) < 0.5 * abs(simulated[0])


def test_fit_onset_refuses_too_few_events_and_bad_outcomes() -> None:
    df = _synthetic(2_000, {"const": -12.0, "major": 0.0}, seed=1)
    with pytest.raises(EstimationError, match="too few"):
        fit_onset(df, "onset", (1950, 2000), predictors=("major",), splines=False)
    with pytest.raises(EstimationError, match="outcome"):
        fit_onset(df, "war", (1950, 2000))  # type: ignore[arg-type]


# --- stage 1 on the real dyad-years ------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(shared_data: Path) -> pd.DataFrame:
    return conflict_dyad_years(1950, 2014)


def test_sample_lags_covariates_and_drops_nothing_silently(sample: pd.DataFrame) -> None:
    # Japan re-enters the COW system in 1952; the row for 1952 carries the 1951 treaty (ATOP 3220)
    usj = sample[(sample["ccode1"] == 2) & (sample["ccode2"] == 740)].set_index("year")
    assert usj.index.min() == 1952
    assert usj.loc[1952, "allied"] == 1 and usj.loc[2000, "allied"] == 1
    # a covariate of year t is the value of t - 1: Japan's lower polyarchy in 1993 is 1992's
    from alliancelab.data import load_democracy

    dem = load_democracy().set_index(["ccode", "year"])["v2x_polyarchy"]
    assert usj.loc[1993, "democracy_low"] == pytest.approx(min(dem[(2, 1992)], dem[(740, 1992)]))
    # COW codes U.S.-Soviet contiguity as type 0 (none) to 1958, then type 2 (the Bering Strait);
    # a type-0 spell is not contiguity, and the 1960 row carries 1959's value
    usr = sample[(sample["ccode1"] == 2) & (sample["ccode2"] == 365)].set_index("year")["contiguous"]
    assert usr[1959] == 0 and usr[1960] == 1
    # by sea: Japan-South Korea (type 4, the Korea Strait) and China-Japan (type 5) in 2001;
    # the two contiguity terms never both hold
    y2001 = sample[sample["year"] == 2001].set_index(["ccode1", "ccode2"])
    assert y2001.loc[(732, 740), "sea_contiguous"] == 1 and y2001.loc[(710, 740), "sea_contiguous"] == 1
    assert y2001.loc[(710, 740), "contiguous"] == 0 and y2001.loc[(710, 731), "sea_contiguous"] == 0
    assert not ((sample["contiguous"] == 1) & (sample["sea_contiguous"] == 1)).any()
    # world dyad-years 1950-2014: every pair of members, each once
    assert not sample.duplicated(["ccode1", "ccode2", "year"]).any()
    assert len(sample) > 700_000
    assert sample["complete"].mean() > 0.6


def test_politically_relevant_rows_are_the_data_layers_rule_with_every_contiguity_type(sample: pd.DataFrame) -> None:
    from alliancelab.data.dyads import politically_relevant
    from alliancelab.estimation.scores import politically_relevant_rows

    rows = sample[sample["year"] == 1991]
    mine = set(map(tuple, rows.loc[politically_relevant_rows(rows), ["ccode1", "ccode2"]].to_numpy()))
    lagged = rows[["ccode1", "ccode2", "year"]].assign(year=1990)  # the sample's covariates are of t - 1
    theirs = set(map(tuple, politically_relevant(lagged, max_conttype=5)[["ccode1", "ccode2"]].to_numpy()))
    assert mine == theirs and 1000 < len(mine) < len(rows) / 4


def test_real_onsets_reproduce_the_published_sign_pattern(sample: pd.DataFrame) -> None:
    """Contiguity (by land and by sea), a major power and rivalry raise onsets; distance, the weak link's democracy
    and peace-years lower them (Bremer 1992; Oneal & Russett 1999; Beck, Katz & Tucker 1998)."""
    t = fit_onset(sample, "onset", (1950, 2000)).table().set_index("term")
    for term, sign in (
        ("contiguous", 1),
        ("sea_contiguous", 1),
        ("major", 1),
        ("rivalry", 1),
        ("democracy_high", 1),
        ("ln_distance", -1),
        ("democracy_low", -1),
        ("trade_low", -1),
        ("peace_years", -1),
    ):
        assert np.sign(t.loc[term, "coef"]) == sign, term
        assert abs(t.loc[term, "z"]) > 1.96, term


def test_training_fit_never_sees_the_held_out_years(sample: pd.DataFrame) -> None:
    """Scrambling every outcome and covariate after 2000 leaves the 1950-2000 fit unchanged."""
    fit = fit_onset(sample, "onset", (1950, 2000))
    damaged = sample.copy()
    late = damaged["year"] > 2000
    rng = np.random.default_rng(0)
    damaged.loc[late, "onset"] = rng.binomial(1, 0.5, late.sum())
    damaged.loc[late, "peace_years"] = 0
    for col in ("contiguous", "major", "allied", "rivalry"):
        damaged.loc[late, col] = 1 - damaged.loc[late, col]
    assert fit_onset(damaged, "onset", (1950, 2000)) == fit


def test_held_out_scores_meet_the_goals(sample: pd.DataFrame) -> None:
    """Train 1950-2000, score 2001-2014: ROC-AUC >= 0.90 on all dyads and PR-AUC at least three
    times the constant rate's, also on politically relevant dyads; better than every baseline."""
    est = estimate_crises("onset", (1950, 2000), 2014, sample=sample)
    sc = est.scores.set_index(["dyads", "forecast"])
    assert sc.loc[("all dyads", "model"), "roc_auc"] >= 0.90
    for dyads in ("all dyads", "politically relevant"):
        assert sc.loc[(dyads, "model"), "pr_auc_ratio"] >= 3
        for base in ("constant", "politically relevant", "rivalry"):
            assert sc.loc[(dyads, "model"), "pr_auc"] > sc.loc[(dyads, base), "pr_auc"]
            assert sc.loc[(dyads, "model"), "brier"] < sc.loc[(dyads, base), "brier"]
    assert est.full.train == (1950, 2014) and est.full.events > est.fit.events


# --- stage 2 -----------------------------------------------------------------------------------


def test_state_threat_is_one_minus_the_product_of_safe_years() -> None:
    class Fixed:
        def predict(self, rows: pd.DataFrame) -> np.ndarray:
            return rows["p"].to_numpy()

    rows = pd.DataFrame(
        {"ccode1": [1, 1, 2], "ccode2": [2, 3, 3], "year": [2000] * 3, "p": [0.1, 0.2, 0.5], "complete": True}
    )
    got = state_threat(Fixed(), rows).set_index("ccode")["threat"]  # type: ignore[arg-type]
    assert got[1] == pytest.approx(1 - 0.9 * 0.8)
    assert got[2] == pytest.approx(1 - 0.9 * 0.5)
    assert got[3] == pytest.approx(1 - 0.8 * 0.5)


def test_threat_effects_closed_form() -> None:
    eff = threat_effects(3.0, 0.5, np.diag([1e-12, 1e-12])).set_index("horizon")
    assert eff.loc["short run", "effect_pct"] == pytest.approx(100 * (np.exp(0.03) - 1))
    assert eff.loc["long run", "effect_pct"] == pytest.approx(100 * (np.exp(0.06) - 1))
    assert eff.loc["long run", "low_pct"] == pytest.approx(eff.loc["long run", "effect_pct"], rel=1e-4)


def _known_panel(n: int, t: int, rho: float, beta: float, seed: int = 11) -> pd.DataFrame:
    """A panel generated from the spending equation (ln GDP coefficient 0.3, no country effects)."""
    rng = np.random.default_rng(seed)
    gamma = 0.3
    rows = []
    for i in range(n):
        ln_gdp = np.cumsum(rng.normal(0.03, 0.02, t + 2)) + rng.normal(10, 1)
        threat = np.clip(0.3 + 0.2 * np.sin(np.arange(t + 2) / 5 + i) + rng.normal(0, 0.05, t + 2), 0, 1)
        y = np.zeros(t + 2)
        y[0] = 5.0
        for k in range(1, t + 2):
            y[k] = 1.0 + rho * y[k - 1] + beta * threat[k] + gamma * ln_gdp[k] + rng.normal(0, 0.05)
        for k in range(2, t + 2):
            rows.append(
                {
                    "ccode": i,
                    "year": 1950 + k,
                    "ln_milex": y[k],
                    "ln_milex_lag1": y[k - 1],
                    "threat": threat[k],
                    "ln_gdp": ln_gdp[k],
                    "ln_friends": rng.normal(),
                    "ln_foes": rng.normal(),
                    "democracy": rng.uniform(),
                    "conflict": rng.binomial(1, 0.1),
                    "threat_lag1": threat[k - 1],
                    "threat_lag2": threat[k - 2],
                    "ln_gdp_lag1": ln_gdp[k - 1],
                    "ln_gdp_lag2": ln_gdp[k - 2],
                }
            )
    return pd.DataFrame(rows)


def test_spending_estimators_recover_a_known_panel() -> None:
    """A panel generated from the spending equation with country effects: the fixed-effects
    estimator recovers rho and beta; the 2SLS (no country effects) recovers them when there are none."""
    rho, beta = 0.6, 2.0
    est = estimate_spending(_known_panel(120, 45, rho, beta))
    tab = est.table.set_index(["estimator", "term"])
    for name in ("iv", "fe"):
        assert tab.loc[(name, "ln_milex_lag1"), "coef"] == pytest.approx(rho, abs=0.05)
        assert tab.loc[(name, "threat"), "coef"] == pytest.approx(beta, abs=4 * tab.loc[(name, "threat"), "se"])
    eff = est.effects.set_index(["estimator", "horizon"])
    assert eff.loc[("fe", "short run"), "effect_pct"] == pytest.approx(100 * np.expm1(0.01 * beta), abs=0.3)
    # the lagged threat and GDP do predict last year's spending here: strong instruments
    assert est.first_stage["f"] > 10 and not est.weak_instruments


def test_a_short_panel_warns_of_the_nickell_bias_it_shows() -> None:
    """A stationary AR(1) with country effects over 4 years: the fixed-effects persistence lands
    where Nickell's (1981) closed form puts it (0.6 − 0.45), and the estimator warns; a 45-year
    panel gives no warning."""
    rng = np.random.default_rng(5)
    n, t, rho = 3000, 4, 0.6
    alpha = rng.normal(0, 1, n)
    y = alpha / (1 - rho) + rng.normal(0, 1 / np.sqrt(1 - rho**2), n)  # the stationary start
    rows = []
    for k in range(t + 1):
        nxt = alpha + rho * y + rng.normal(0, 1, n)
        if k:  # the first step only makes the lag
            noise = rng.normal(size=(10, n))
            rows.append(
                pd.DataFrame(
                    {"ccode": np.arange(n), "year": 2000 + k, "ln_milex": nxt, "ln_milex_lag1": y}
                    | {"conflict": rng.binomial(1, 0.1, n).astype(float)}
                    | {c: noise[m] for m, c in enumerate(["threat", "ln_gdp", "ln_friends", "ln_foes", "democracy"])}
                    | {
                        c: noise[5 + m]
                        for m, c in enumerate(["threat_lag1", "threat_lag2", "ln_gdp_lag1", "ln_gdp_lag2"])
                    }
                )
            )
        y = nxt
    with pytest.warns(UserWarning, match=r"spans 4 years.*Nickell 1981"):
        short = estimate_spending(pd.concat(rows, ignore_index=True))
    fe = short.table.set_index(["estimator", "term"]).loc[("fe", "ln_milex_lag1"), "coef"]
    assert short.weak_instruments and short.first_stage["f"] < 10  # the instruments here are noise
    assert nickell_bias(rho, t) == pytest.approx(-0.447, abs=1e-3)
    assert fe == pytest.approx(rho + nickell_bias(rho, t), abs=0.05)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        estimate_spending(_known_panel(120, 45, 0.6, 2.0))


def test_a_persistence_near_one_gives_an_unbounded_long_run_without_overflow() -> None:
    """Draws with ρ just below 1 make the long run overflow to +inf (no warning); draws at or
    above 1 are counted, not used."""
    eff = threat_effects(3.0, 0.995, np.diag([1.0, 1e-4])).set_index("horizon")
    assert eff.loc["long run", "explosive_draws"] > 0
    assert eff.loc["long run", "high_pct"] > 1e3 and np.isfinite(eff.loc["short run", "high_pct"])


def test_predictor_list_is_what_the_sample_carries(sample: pd.DataFrame) -> None:
    assert set(PREDICTORS) <= set(sample.columns)


def test_packaged_estimates_are_what_the_data_give(sample: pd.DataFrame) -> None:
    """``models/order/estimates/`` holds fits, not hand-set numbers: re-estimating from the data
    (`alliancelab estimate crises` and `estimate spending`) gives the same coefficients."""
    import json
    from importlib.resources import files

    folder = files("alliancelab.models.order") / "estimates"
    packaged = OnsetFit.from_json((folder / "onset.json").read_text())
    fresh = fit_onset(sample, "onset", packaged.train)
    assert fresh.names == packaged.names
    assert np.allclose(fresh.coef, packaged.coef, rtol=1e-6, atol=1e-9)
    assert np.allclose(fresh.vcov, packaged.vcov, rtol=1e-5, atol=1e-12)

    from alliancelab.estimation.spending import spending_panel

    response = json.loads((folder / "spending.json").read_text())
    est = estimate_spending(spending_panel(state_threat(fresh, sample), 1950, 2000))
    for name in ("iv", "fe"):
        again = est.response(name)
        for key in ("threat", "ln_milex_lag1", "ln_gdp"):
            assert again[key] == pytest.approx(response[name][key], rel=1e-6), (name, key)


def test_estimate_spending_says_when_a_panel_has_no_long_run(
    sample: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 1990-1991 the 2SLS persistence passes 1: the command says there is no long run, how
    many draws were set aside, and warns of the short panel, instead of a bare NaN."""
    from typer.testing import CliRunner

    from alliancelab.cli import app
    from alliancelab.estimation import spending as spending_module

    monkeypatch.setattr(spending_module, "conflict_dyad_years", lambda *_: sample)
    result = CliRunner().invoke(app, ["estimate", "spending", "--start", "1990", "--end", "1991", "-q"])
    said = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert re.search(r"iv: persistence 1\.\d{3} >= 1, so no long run \(shown as —\)", said), said
    assert re.search(r"iv: [\d,]+ draws of \(threat, persistence\) have persistence >= 1", said), said
    assert "spans 2 years" in said and "Nickell 1981" in said


def _ar1_shares(sigma: dict[int, float], years: range, rho: float, seed: int) -> pd.DataFrame:
    """Shares that move as the engine's estimated arms decision does: ln s_t = ln s_t−1 + (1 − ρ)
    (m − ln s_t−1) + σ ε, about a level m of 2 % (drivers constant)."""
    rng = np.random.default_rng(seed)
    rows = []
    for code, sd in sigma.items():
        ln = np.log(0.02)
        for y in years:
            ln = ln + (1 - rho) * (np.log(0.02) - ln) + sd * rng.standard_normal()
            rows.append((code, y, float(np.exp(ln))))
    return pd.DataFrame(rows, columns=["ccode", "year", "share"])


def test_spending_volatility_recovers_the_residual_of_known_series() -> None:
    """Each state's σ comes back from its own series (a long window: 400 changes, so the sd's
    sampling error is about 3.5 %); a state with too few changes gets the pooled value, which is
    the root mean square of the states' σ when they have as many changes each."""
    from alliancelab.estimation.volatility import MIN_CHANGES, spending_volatility

    sigma = {1: 0.02, 2: 0.08, 3: 0.2}
    shares = _ar1_shares(sigma, range(1600, 2001), 0.72, seed=3)
    short = pd.DataFrame({"ccode": 4, "year": range(2001 - MIN_CHANGES + 1, 2001), "share": 0.03})
    vol = spending_volatility([1, 2, 3, 4], 2000, 0.72, shares=pd.concat([shares, short]), window=401)
    for code, sd in sigma.items():
        assert vol.by_state[code] == pytest.approx(sd, rel=0.12)
        assert vol.changes[code] == 400
    assert 4 not in vol.by_state and vol.of(4)[0] == vol.pooled and "pooled" in vol.of(4)[1]
    rms = np.sqrt(np.mean([v**2 for v in sigma.values()]))
    assert vol.pooled == pytest.approx(rms, rel=0.1)
    # a wrong persistence leaves part of the pull toward the level in the changes: σ is larger
    assert spending_volatility([3], 2000, 0.0, shares=shares, window=401).by_state[3] > 1.2 * sigma[3]


def test_spending_volatility_reads_nothing_after_the_start_and_skips_gaps() -> None:
    from alliancelab.estimation.volatility import spending_volatility

    shares = _ar1_shares({1: 0.1}, range(1980, 2021), 0.72, seed=4)
    vol = spending_volatility([1], 2005, 0.72, shares=shares)
    later = shares.assign(share=np.where(shares["year"] > 2005, shares["share"] * 5, shares["share"]))
    assert spending_volatility([1], 2005, 0.72, shares=later) == vol
    assert vol.years == (1991, 2005) and vol.changes[1] == 14
    gap = shares[shares["year"] != 1998]  # 1998 and 1999 lose their previous year
    assert spending_volatility([1], 2005, 0.72, shares=gap).changes[1] == 12
    with pytest.raises(ValueError, match="persistence"):
        spending_volatility([1], 2005, 1.0, shares=shares)


def test_growth_uncertainty_recovers_a_random_walk_with_drift() -> None:
    """With i.i.d. growth shocks of s.d. s the five-year-mean projection's only lasting error is the
    mean's own, s / √5: the fit must give σ = s and τ = s / √5 (60 states x 120 years)."""
    from alliancelab.estimation.growth import growth_uncertainty

    rng = np.random.default_rng(0)
    s = 0.04
    rows = []
    for code in range(60):
        ln = np.cumsum(0.03 + s * rng.standard_normal(120))
        rows.append(pd.DataFrame({"ccode": code, "year": np.arange(1900, 2020), "gdp": np.exp(ln)}))
    gdp = pd.concat(rows)
    g = growth_uncertainty(range(60), 2019, gdp=gdp, first_origin=1905)
    assert g.yearly == pytest.approx(s, rel=0.1)
    assert g.trend == pytest.approx(s / np.sqrt(5), rel=0.1)
    assert g.spread.index.max() == 18 and g.spread.is_monotonic_increasing
    # nothing after the last year is read
    later = gdp.assign(gdp=np.where(gdp["year"] > 2000, gdp["gdp"] * 3, gdp["gdp"]))
    a = growth_uncertainty(range(60), 2000, gdp=gdp, first_origin=1905)
    b = growth_uncertainty(range(60), 2000, gdp=later, first_origin=1905)
    assert (a.yearly, a.trend, a.errors) == (b.yearly, b.trend, b.errors)
    with pytest.raises(EstimationError, match="too little GDP history"):
        growth_uncertainty(range(60), 1903, gdp=gdp)


def test_the_default_growth_uncertainty_is_what_maddison_gives(shared_data: Path) -> None:
    """The estimated set's growth_noise and growth_drift: the fit on the 15 Asia-Pacific states'
    GDP realised by 2000, the year before the built-in scenario starts."""
    from alliancelab.estimation.growth import growth_uncertainty
    from alliancelab.models.order.params import Params
    from alliancelab.scenario import load_scenario

    codes = [a.ccode for a in load_scenario("asia-pacific-2001").actor if a.ccode]
    g = growth_uncertainty(codes, 2000)
    assert round(g.yearly, 2) == Params().growth_noise and round(g.trend, 2) == Params().growth_drift
    # a five-year-mean projection of the region's GDP misses by about 37 % (log) after 18 years
    assert 0.3 < g.spread[18] < 0.45 and g.spread[1] < 0.05


def test_anderson_rubin_set_covers_the_planted_persistence_and_widens_without_instruments() -> None:
    """On a panel from the spending equation (ρ = 0.6, β = 2) the 90 % Anderson–Rubin set of ρ
    holds 0.6 and is narrow, and the threat interval projected over it holds 2; with the
    excluded instruments replaced by noise the test has no power, and the set runs to the grid's
    ends (unbounded) instead of pretending to a precision the data lack."""
    from alliancelab.estimation.spending import EXOG
    from alliancelab.estimation.weak_iv import INSTRUMENTS, anderson_rubin

    panel = _known_panel(60, 30, 0.6, 2.0)
    strong = anderson_rubin(panel, EXOG)
    (low, high), *rest = strong.rho_set()
    assert not rest and low <= 0.6 <= high and high - low < 0.3 and strong.bounded
    b_low, b_high = strong.beta_interval()
    assert b_low <= 2.0 <= b_high
    assert "persistence in" in strong.describe()
    rng = np.random.default_rng(3)
    noise = panel.assign(**{z: rng.normal(size=len(panel)) for z in INSTRUMENTS})
    weak = anderson_rubin(noise, EXOG)
    assert not weak.bounded and len(weak.accepted) > len(strong.accepted)
