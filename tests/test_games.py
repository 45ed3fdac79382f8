"""Closed forms: Richardson, Fearon, Kydd and Snyder fixtures (research/models.md)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancelab.errors import ParameterError
from alliancelab.models.games import (
    Richardson,
    bargaining_range,
    optimal_support,
    posterior_trust,
    preventive_war,
    reassurance_threshold,
)


def test_r1_continuous_stable_discrete_unstable() -> None:
    r = Richardson(a=2, b=2, k=1, l=1, g=1, h=1)
    assert r.equilibrium == (1.0, 1.0)
    assert r.stable_continuous and not r.stable_discrete
    np.testing.assert_allclose(sorted(r.discrete_eigenvalues.real), [-2.0, 0.0], atol=1e-12)
    path = r.iterate(1.1, 1.0, 20)
    assert abs(path[-1, 0] - 1.0) > 1e3  # oscillating divergence


def test_r2_converges_to_equilibrium() -> None:
    r = Richardson(a=0.5, b=0.4, k=0.2, l=0.3, g=1, h=1)
    np.testing.assert_allclose(r.equilibrium, (4.2857, 5.7143), atol=1e-4)
    np.testing.assert_allclose(sorted(r.discrete_eigenvalues.real), [0.3, 0.8], atol=1e-12)
    np.testing.assert_allclose(r.iterate(0, 0, 200)[-1], r.equilibrium, atol=1e-9)


def test_r3_saddle_runs_away() -> None:
    r = Richardson(a=1, b=1, k=2, l=2, g=1, h=1)
    assert not r.stable_continuous
    path = r.iterate(0, 0, 30)
    assert np.all(np.diff(path[:, 0]) > 0) and path[-1, 0] > 1e6


def test_fearon_range_and_errors() -> None:
    assert bargaining_range(0.6, 0.1, 0.15) == (0.5, 0.75)
    with pytest.raises(ParameterError, match="'p' parameter of bargaining_range must be"):
        bargaining_range(1.5, 0.1, 0.1)


def test_power_shift_fixtures() -> None:
    assert preventive_war(0.6, 0.4, 0.05, 0.9)  # Δ = 0.2: war
    assert not preventive_war(0.6, 0.56, 0.05, 0.9)  # Δ = 0.04: peace


@given(st.floats(0.01, 0.3), st.floats(0.01, 0.3), st.floats(0.5, 0.95))
def test_power_shift_threshold_monotone(c_low: float, c_extra: float, delta: float) -> None:
    def threshold(c: float, d: float) -> float:
        return (1 - d) * (1 - 0.6 + c) / d

    assert threshold(c_low + c_extra, delta) > threshold(c_low, delta)
    assert threshold(c_low, min(delta + 0.04, 0.99)) < threshold(c_low, delta)
    shift = threshold(c_low, delta)
    assert preventive_war(0.6, 0.6 - shift * 1.01, c_low, delta)
    assert not preventive_war(0.6, 0.6 - shift * 0.99, c_low, delta)


def test_kydd_threshold_and_bayes() -> None:
    assert reassurance_threshold(R=1, T=0.5, S=-1, P=0) == pytest.approx(2 / 3)
    assert posterior_trust(0.5, 0.8) == pytest.approx(0.8)
    assert posterior_trust(0.3, 0.5) == pytest.approx(0.3)  # an uninformative signal


@given(st.floats(0.2, 5), st.floats(0.2, 5), st.floats(0.1, 2))
def test_snyder_support_moves_with_costs(A: float, E: float, bump: float) -> None:
    k = optimal_support(A, E)
    assert 0 <= k <= 1
    assert optimal_support(A + bump, E) >= k - 1e-6
    assert optimal_support(A, E + bump) <= k + 1e-6
