"""The expected-utility group-decision model against the published EC case, closed forms and invariants.

Fixtures: Bueno de Mesquita (1994) Table p. 78 as reprinted by Scholz, Calbert & Smith (2011); the
first-round risk exponents under each reading of the win probability and the round-by-round means
of Scholz's code, from ../shared/research/models.md §4.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelab.errors import ParameterError
from alliancelab.models.bargaining import (
    IssueError,
    events_table,
    forecast,
    list_issues,
    load_issue,
    rules_named,
)
from alliancelab.models.bargaining import forecasting as forecast_module
from alliancelab.models.bargaining.reference import play_round_loop
from alliancelab.models.bargaining.rules import (
    play_round,
    risk_exponents,
    weighted_mean,
    weighted_median,
    win_probability,
)

EC = load_issue("ec-emissions-1994")
READINGS = ["paper", "net-vote", "scholz-code"]
NAMES = ["Netherlands", "Belgium", "Luxembourg", "Germany", "France", "Italy", "UK", "Ireland", "Denmark", "Greece"]


def arrays(issue):  # type: ignore[no-untyped-def]
    x = np.array([[s.position for s in issue.stakeholders]])
    c = np.array([[s.capability for s in issue.stakeholders]])
    s = np.array([[s.salience for s in issue.stakeholders]])
    return x, c, s


def test_ec_inputs_match_the_published_table() -> None:
    assert EC.actors == NAMES
    x, c, s = arrays(EC)
    np.testing.assert_allclose(x[0], [4, 7, 4, 4, 10, 10, 10, 7, 4, 7])
    np.testing.assert_allclose(s[0] * 100, [80, 40, 20, 80, 60, 60, 90, 10, 100, 70])
    np.testing.assert_allclose(c[0], [0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08])


def test_ec_weighted_mean_and_median_before_round_one() -> None:
    x, c, s = arrays(EC)
    assert weighted_mean(x, c * s)[0] == pytest.approx(500.3 / 67.7, abs=1e-12)
    assert weighted_mean(x, c * s)[0] == pytest.approx(7.38996, abs=1e-5)
    assert weighted_median(x, c * s)[0] == 7.0


@pytest.mark.parametrize(
    ("reading", "expected"),
    [
        ("paper", [1.1172, 1.0044, 0.5000, 1.1172, 1.0176, 1.0176, 2.0000, 0.6483, 1.4537, 1.5569]),
        ("net-vote", [1.1272, 0.7809, 0.5, 1.1272, 1.0779, 1.0779, 2.0, 0.5248, 1.4717, 1.1405]),
    ],
)
def test_ec_first_round_risk_exponents(reading: str, expected: list[float]) -> None:
    x, c, s = arrays(EC)
    r = risk_exponents(x, c, s, EC.width, rules_named(reading))
    np.testing.assert_allclose(r[0], expected, atol=1e-4)


def test_ec_scholz_code_mode_reproduces_the_published_mean_series() -> None:
    published = [7.390, 7.461, 7.553, 7.590, 7.358, 7.349, 7.415, 7.510, 7.572, 7.325, 7.242]
    ds = forecast(EC, rounds=10, rules="scholz-code")
    np.testing.assert_allclose(ds["mean"].sel(copy=0).values, published, atol=0.05)
    # the code's own log agrees to its printed three decimals
    np.testing.assert_allclose(ds["mean"].sel(copy=0).values, published, atol=5e-4)


def test_ec_scholz_code_mode_round_one_events() -> None:
    ds = forecast(EC, rounds=1, rules="scholz-code")
    ev = events_table(ds).set_index("actor")
    assert list(ev.index) == ["Belgium", "Luxembourg", "Ireland"]
    assert ev.loc["Belgium", "outcome"] == "compromise" and ev.loc["Belgium", "sender"] == "France"
    assert ev.loc["Belgium", "position_after"] == pytest.approx(8.4159, abs=1e-4)
    assert ev.loc["Luxembourg", "outcome"] == "conflict" and ev.loc["Luxembourg", "sender"] == "Belgium"
    assert ev.loc["Luxembourg", "position_after"] == 7.0
    assert ev.loc["Ireland", "sender"] == "Luxembourg" and ev.loc["Ireland", "position_after"] == 4.0


def _random_issue(seed: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 100, (1, n))
    x[0, :2] = [0.0, 100.0]  # the scale's ends are held, so Δ = 100
    c = rng.uniform(0.1, 1.0, (1, n))
    s = rng.uniform(0.05, 1.0, (1, n))
    return x, c, s


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(3, 12), reading=st.sampled_from(READINGS))
def test_risk_exponents_span_half_to_two(seed: int, n: int, reading: str) -> None:
    x, c, s = _random_issue(seed, n)
    r = risk_exponents(x, c, s, 100.0, rules_named(reading))[0]
    assert np.all(r >= 0.5 - 1e-12) and np.all(r <= 2.0 + 1e-12)
    assert r.min() == pytest.approx(0.5) and r.max() == pytest.approx(2.0)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(3, 12))
def test_paper_win_probabilities_are_complementary(seed: int, n: int) -> None:
    x, c, s = _random_issue(seed, n)
    p = win_probability(x, c * s, np.ones_like(x), 100.0, "paper")[0]
    off = ~np.eye(n, dtype=bool)
    np.testing.assert_allclose((p + p.T)[off], 1.0, atol=1e-12)
    assert np.all((p >= 0) & (p <= 1))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(3, 10), reading=st.sampled_from(READINGS))
def test_relabelling_actors_permutes_the_round(seed: int, n: int, reading: str) -> None:
    x, c, s = _random_issue(seed, n)
    perm = np.random.default_rng(seed + 1).permutation(n)
    rules = rules_named(reading)
    a = play_round(x, c, s, 100.0, rules)
    b = play_round(x[:, perm], c[:, perm], s[:, perm], 100.0, rules)
    np.testing.assert_allclose(b.position[0], a.position[0][perm], rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(b.risk[0], a.risk[0][perm], rtol=1e-9)
    np.testing.assert_array_equal(b.event[0], a.event[0][perm])
    moved = b.sender[0] >= 0
    np.testing.assert_array_equal(perm[b.sender[0][moved]], a.sender[0][perm][moved])


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 12))
def test_weighted_median_is_the_condorcet_winner(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, n)
    w = rng.uniform(0.01, 1, n)
    m = weighted_median(x[None], w[None])[0]
    # votes(m vs k) = Σ_i w_i (|x_i − x_k| − |x_i − m|) ≥ 0 for every other position k
    votes = (w[:, None] * (np.abs(x[:, None] - x[None, :]) - np.abs(x[:, None] - m))).sum(0)
    assert np.all(votes >= -1e-12)


@pytest.mark.parametrize("rules", ["paper", "net-vote", "scholz-code"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorised_rounds_equal_the_pair_by_pair_loop(rules: str, seed: int) -> None:
    x, c, s = _random_issue(seed, 8)
    spec = replace(rules_named(rules), q=0.5, t=0.3) if rules == "paper" else rules_named(rules)
    xl = list(x[0])
    for _ in range(4):
        vec = play_round(x, c, s, 100.0, spec)
        xl, r, events, senders = play_round_loop(xl, list(c[0]), list(s[0]), 100.0, spec)
        np.testing.assert_allclose(vec.position[0], xl, rtol=1e-10, atol=1e-9)
        np.testing.assert_allclose(vec.risk[0], r, rtol=1e-10)
        assert list(vec.event[0]) == events
        assert list(vec.sender[0]) == senders
        x = vec.position


def test_forecast_copies_are_independent_of_chunking(monkeypatch: pytest.MonkeyPatch) -> None:
    issue = load_issue("tmd-deployment")
    whole = forecast(issue, rounds=6, perturb=40, seed=7)
    monkeypatch.setattr(forecast_module, "_CHUNK_ELEMENTS", 3 * len(issue.stakeholders) ** 3)
    chunked = forecast(issue, rounds=6, perturb=40, seed=7)
    np.testing.assert_array_equal(whole["position"].values, chunked["position"].values)
    np.testing.assert_array_equal(whole["event"].values, chunked["event"].values)
    # copy 0 is the issue as given
    plain = forecast(issue, rounds=6)
    np.testing.assert_array_equal(whole["position"].sel(copy=0).values, plain["position"].sel(copy=0).values)
    # perturbed inputs stay on the scale and saliences in [0, 1]
    start = whole["position"].sel(round=0).values
    assert start.min() >= issue.low and start.max() <= issue.high
    assert 0 <= whole["salience"].values.min() and whole["salience"].values.max() <= 1
    assert not np.array_equal(start[1], start[0])
    other = forecast(issue, rounds=6, perturb=40, seed=8)
    assert not np.array_equal(other["forecast"].values, whole["forecast"].values)


def test_forecast_settles_and_stops() -> None:
    # two strong actors at 0, a weak one at 1: it compromises towards them, geometrically
    from alliancelab.models.bargaining.issue import issue_from_table

    issue = issue_from_table(
        {"name": "t", "low": 0, "high": 1},
        [
            {"actor": "a", "capability": 5, "position": 0, "salience": 1},
            {"actor": "b", "capability": 5, "position": 0, "salience": 1},
            {"actor": "c", "capability": 1, "position": 1, "salience": 0.5},
        ],
        "test",
    )
    ds = forecast(issue, rounds=30, tol=1e-6)
    k = int(ds["settled"].sel(copy=0))
    x = ds["position"].sel(copy=0, actor="c").values
    moves = np.abs(np.diff(x))
    assert 1 < k < 30
    assert moves[k - 1] <= 1e-6 < moves[k - 2]  # settled in the first round that moved ≤ tol
    assert np.all(moves[k:] == 0)  # and stopped bargaining afterwards
    assert set(events_table(ds)["outcome"]) == {"compromise"}
    assert set(events_table(ds)["sender"]) == {"a"}  # the first of two equal offers
    exact = forecast(issue, rounds=30, tol=0.0)
    k_exact = int(exact["settled"].sel(copy=0))  # tol=0: only exact rest counts, which comes later here
    assert k_exact > k
    np.testing.assert_array_equal(exact["position"].values[0, k_exact - 1], exact["position"].values[0, -1])


def test_issue_file_errors_are_all_reported_with_locations(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        """
[issue]
name = "x"
low = 0
high = 10

[[stakeholder]]
actor = "A"
capability = 1
position = 12
salience = 0.5

[[stakeholder]]
actor = "A"
capability = 1
position = 5
salience = 1.5
colour = "red"
"""
    )
    with pytest.raises(IssueError) as err:
        load_issue(bad)
    text = str(err.value)
    assert "stakeholder[1] ('A').position: must lie on the scale [0.0, 10.0]; got 12.0" in text
    assert "stakeholder[2] ('A').actor: duplicate actor" in text
    assert "stakeholder[2] ('A').salience" in text and "1.5" in text
    assert "unknown field 'colour'" in text
    assert "at least three actors; got 2" in text


def test_issue_csv_matches_toml_and_reports_bad_rows(tmp_path: Path) -> None:
    rows = ["actor,capability,position,salience"] + [
        f"{s.actor},{s.capability},{s.position},{s.salience}" for s in EC.stakeholders
    ]
    good = tmp_path / "ec.csv"
    good.write_text("\n".join(rows) + "\n")
    from_csv = load_issue(good)
    assert from_csv.width == EC.width and from_csv.actors == EC.actors
    a = forecast(from_csv, rounds=3, rules="scholz-code")
    b = forecast(EC, rounds=3, rules="scholz-code")
    np.testing.assert_array_equal(a["position"].values, b["position"].values)

    (tmp_path / "cols.csv").write_text("actor,power,position\nA,1,2\n")
    with pytest.raises(IssueError, match=r"missing column\(s\) \['capability', 'salience'\]"):
        load_issue(tmp_path / "cols.csv")
    (tmp_path / "num.csv").write_text("actor,capability,position,salience\nA,1,2,high\nB,1,3,0.5\nC,1,4,0.5\n")
    with pytest.raises(IssueError, match=r"line 2 \('A'\)\.salience: not a number: 'high'"):
        load_issue(tmp_path / "num.csv")
    with pytest.raises(IssueError, match="did you mean 'tmd-deployment'"):
        load_issue("tmd-deploy")


def test_bad_forecast_options_are_named() -> None:
    with pytest.raises(ParameterError, match="'rules' parameter of forecast must be one of"):
        forecast(EC, rules="median-voter")
    with pytest.raises(ParameterError, match="'rounds' parameter"):
        forecast(EC, rounds=0)
    with pytest.raises(ParameterError, match="'position_sd' parameter"):
        forecast(EC, perturb=3, position_sd=float("nan"))


@pytest.mark.parametrize("name", sorted(set(list_issues()) - {"ec-emissions-1994"}))
def test_book_debates_are_labelled_estimates_with_reasons(name: str) -> None:
    issue = load_issue(name)
    assert "illustrative" in issue.status
    assert all(len(s.reasoning) > 40 for s in issue.stakeholders)
    ds = forecast(issue, rounds=10, perturb=20, seed=0)
    f = ds["forecast"].values
    assert np.all((f >= issue.low) & (f <= issue.high))


@pytest.mark.parametrize("rules", ["paper", "net-vote", "scholz-code"])
def test_forecasts_do_not_depend_on_the_order_of_the_actors(rules: str) -> None:
    """Equal offers are told apart by the offers themselves (docs/models/bargaining.md), never by
    file order: every built-in issue, eight orderings each."""
    from alliancelab import forecast, load_issue
    from alliancelab.models.bargaining import list_issues

    rng = np.random.default_rng(7)
    for name in list_issues():
        issue = load_issue(name)
        base = forecast(issue, rounds=10, rules=rules)
        for _ in range(8):
            order = rng.permutation(len(issue.stakeholders))
            shuffled = issue.model_copy(update={"stakeholders": tuple(issue.stakeholders[k] for k in order)})
            ds = forecast(shuffled, rounds=10, rules=rules)
            np.testing.assert_allclose(ds["mean"].values, base["mean"].values, rtol=0, atol=1e-9, err_msg=name)
            back = ds["position"].values[..., np.argsort(order)]
            np.testing.assert_allclose(back, base["position"].values, rtol=0, atol=1e-9, err_msg=name)


@pytest.mark.parametrize("rules", ["paper", "net-vote"])
@pytest.mark.parametrize(("capability", "salience"), [(0.0, 0.6), (40.0, 0.0)])
def test_an_actor_without_clout_or_stake_leaves_the_others_as_they_were(
    rules: str, capability: float, salience: float
) -> None:
    from alliancelab import forecast, load_issue
    from alliancelab.models.bargaining import list_issues
    from alliancelab.models.bargaining.issue import Stakeholder

    for name in list_issues():
        issue = load_issue(name)
        extra = Stakeholder(actor="inert", capability=capability, position=issue.high, salience=salience)
        more = issue.model_copy(update={"stakeholders": (*issue.stakeholders, extra)})
        a, b = forecast(issue, rounds=10, rules=rules), forecast(more, rounds=10, rules=rules)
        np.testing.assert_allclose(b["position"].values[..., :-1], a["position"].values, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(b["mean"].values, a["mean"].values, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("rules", ["paper", "net-vote"])
def test_reflecting_the_scale_reflects_the_forecast(rules: str) -> None:
    """Choosing by the size of the move is mirror-symmetric (scholz-code's lowest-position choice
    is not: docs/models/bargaining.md)."""
    from alliancelab import forecast, load_issue
    from alliancelab.models.bargaining import list_issues

    for name in list_issues():
        issue = load_issue(name)
        lo, hi = issue.low, issue.high
        flipped = tuple(s.model_copy(update={"position": lo + hi - s.position}) for s in issue.stakeholders)
        a = forecast(issue, rounds=10, rules=rules)["mean"].values
        b = forecast(issue.model_copy(update={"stakeholders": flipped}), rounds=10, rules=rules)["mean"].values
        np.testing.assert_allclose(lo + hi - b, a, atol=1e-9, err_msg=name)
