"""The engine's two-state special case is the discrete Richardson system (research/models.md §1).

With no allies, no noise, no crises, full adjustment (λ = 1), no burden brake and no own-cover
term, the engine's capability update is exactly x' = (1 − a)x + k·y + g with a = depreciation,
k = the reaction to the rival's capability and g = GDP x grievance.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from alliancelab.models.games import Richardson
from alliancelab.models.order.compile import compile_scenario
from alliancelab.models.order.params import make_params
from alliancelab.models.order.simulate import simulate
from alliancelab.scenario import scenario_from_dict

from .conftest import two_state

OFF = ["misperception", "crises", "spiral", "economy", "alliances"]


def richardson_case(a: float, b: float, k: float, l: float, g: float, h: float, **params: float):  # noqa: E741
    """A two-state scenario and parameters whose engine dynamics are Richardson(a, b, k, l, g, h).

    The engine's k = r · milex_A · δ_B / milex_B (its reaction is normalised by the start
    exposure), so r and the spending ratio ρ = milex_A / milex_B solve r·ρ·b = k, r·a/ρ = l.
    """
    r = math.sqrt(k * l / (a * b))
    rho = k / (r * b)
    gdp = 1000.0
    doc = two_state(
        a__depreciation=a,
        b__depreciation=b,
        a__milex=2.0 * rho,
        b__milex=2.0,
        a__grievance=g / gdp,
        b__grievance=h / gdp,
    )
    p = make_params(
        equations="illustrative",
        mechanisms=OFF,
        threat_reaction=r,
        adjustment=params.get("adjustment", 1.0),
        burden=0.0,
        cover_weight=0.0,
        growth_noise=0.0,
        growth_drift=0.0,
    )
    return scenario_from_dict(doc), p


def test_engine_follows_the_discrete_richardson_path() -> None:
    sc, p = richardson_case(0.5, 0.4, 0.2, 0.3, 1.0, 1.0)
    ds = simulate(sc, runs=2, years=40, params=p)
    c = compile_scenario(sc, p, 40)
    expected = Richardson(0.5, 0.4, 0.2, 0.3, 1.0, 1.0).iterate(*c.capability0, 39)
    got = ds["capability"].isel(run=0).values
    np.testing.assert_allclose(got, expected, rtol=2e-5)


def test_r2_engine_converges_to_the_closed_form_equilibrium() -> None:
    sc, p = richardson_case(0.5, 0.4, 0.2, 0.3, 1.0, 1.0)
    ds = simulate(sc, runs=1, years=120, params=p)
    final = ds["capability"].isel(run=0, year=-1).values
    np.testing.assert_allclose(final, (4.2857143, 5.7142857), rtol=1e-4)
    model = Richardson(0.5, 0.4, 0.2, 0.3, 1.0, 1.0)
    assert model.stable_discrete
    # the distance to equilibrium shrinks at the slowest eigenvalue, 0.8
    path = ds["capability"].isel(run=0).values - np.array(model.equilibrium)
    ratio = np.linalg.norm(path[41]) / np.linalg.norm(path[40])
    assert ratio == pytest.approx(0.8, abs=1e-3)


def test_same_equilibrium_with_inertia() -> None:
    """Inertia (λ < 1) changes the path, not the rest point: at rest the share is its target."""
    sc, p = richardson_case(0.5, 0.4, 0.2, 0.3, 1.0, 1.0, adjustment=0.3)
    ds = simulate(sc, runs=1, years=200, params=p)
    np.testing.assert_allclose(ds["capability"].isel(run=0, year=-1).values, (4.2857143, 5.7142857), rtol=1e-4)


def test_r3_runs_away_until_the_budget_binds() -> None:
    sc, p = richardson_case(1.0, 1.0, 2.0, 2.0, 1.0, 1.0)
    assert not Richardson(1, 1, 2, 2, 1, 1).stable_continuous
    ds = simulate(sc, runs=1, years=30, params=p)
    cap = ds["capability"].isel(run=0).values
    share = ds["share"].isel(run=0).values
    assert np.all(np.diff(cap[:8, 0]) > 0)
    assert cap[8, 0] > 50 * cap[0, 0]
    assert np.allclose(share[-1], 1.0)  # share_max: the budget stops the race
