"""The order typology can reach every type through a documented lever path (docs/models/order.md),
and its power shares move within a decade (current military spending)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
import xarray as xr

from alliancelab.measures.order import ORDER_TYPES
from alliancelab.models.order.simulate import simulate

HUB, BALANCE, BIPOLAR, CONCERT, COMMUNITY = range(5)


@cache
def orders(name: str) -> xr.DataArray:
    return simulate(name, runs=256, years=30, seed=0, keep=["order", "milex"])["order"]


def share(name: str, kind: int, years: slice) -> float:
    o = orders(name).sel(year=years).values
    return float((o == kind).mean())


def test_each_of_the_five_types_is_reached_by_a_lever_path() -> None:
    early, late = slice(2001, 2010), slice(2021, 2030)
    assert share("asia-pacific-2001", HUB, early) > 0.9  # the U.S. hub-and-spoke order of 2001
    assert share("no-alliances", BALANCE, early) > 0.9  # without the U.S. alliances: no hub
    # a power shift: China's spending reaches half the U.S.'s in a third of the 2020s' run-years
    assert 0.2 < share("fast-chinese-rise", BIPOLAR, late) < 0.8
    # reconciled great powers in a deep ARF: a concert; give the ARF teeth: a security community
    assert share("great-power-concert", CONCERT, late) > 0.9
    assert share("security-community", COMMUNITY, late) > 0.9
    assert share("great-power-concert", COMMUNITY, slice(2001, 2030)) == 0.0  # no teeth, no community
    for kind in (CONCERT, COMMUNITY):
        assert share("asia-pacific-2001", kind, slice(2001, 2030)) == 0.0, ORDER_TYPES[kind]


def test_the_hub_must_be_the_leading_power() -> None:
    """Hub-and-spoke needs the leader to hold the most ties: the same network around a hub
    that is not the leading power is no hegemony."""
    from alliancelab.measures.order import classify_order

    cap = np.array([[80.0, 10, 5, 5], [80.0, 10, 5, 5]])
    codes = classify_order(cap, np.array([1.0, 1.0]), 0.4, 0.1, 0.0, leader_is_hub=np.array([True, False]))
    assert [ORDER_TYPES[k] for k in codes] == ["hub-and-spoke hegemony", "balance of power"]


def test_peaceful_labels_are_checked_against_the_great_powers_own_crises() -> None:
    """`validate order`: of the run-years the typology calls a security community, the share
    with a great-power crisis equals a direct count over the same runs (the four great powers'
    six pairs); and the labels move the way the thresholds say: a security community needs
    hostility below ``community_hostility`` and teeth above ``community_teeth``, so its share
    cannot fall as the first rises or rise as the second does (same runs, only labels differ)."""
    import itertools

    from alliancelab.experiments.order_check import check_order_labels
    from alliancelab.models.order.simulate import simulate

    check = check_order_labels("security-community", runs=24, years=20, seed=3)
    assert set(check.great_powers) == {"usa", "jpn", "chn", "rus"}
    ds = simulate("security-community", runs=24, years=20, seed=3, keep=("order", "crisis"))
    order, crisis = ds["order"].to_numpy(), ds["crisis"].to_numpy()
    ids = list(ds["actor"].to_numpy())
    gp = [ids.index(a) for a in check.great_powers]
    any_gp = np.zeros(order.shape, bool)
    for i, j in itertools.combinations(gp, 2):
        any_gp |= crisis[:, :, i, j] == 1
    community = order == 4
    row = check.labels.set_index("label").loc["security community"]
    assert row["run_years"] == community.sum() > 0
    assert row["crisis_that_year"] == pytest.approx(any_gp[community].mean())
    s = check.sensitivity.set_index(["threshold", "value"])["security community"]
    default = float(check.sensitivity.iloc[0]["security community"])
    low, high = (float(v) for v in s.loc["community_hostility"].sort_index())
    assert low <= default <= high
    more, less = (float(v) for v in s.loc["community_teeth"].sort_index())
    assert more >= default >= less
    assert any("its behaviour does not" in line for line in check.verdict())
