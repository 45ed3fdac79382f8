"""Measures against the published and derived fixtures of research/models.md."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from alliancelab.measures import (
    ORDER_TYPES,
    classify_order,
    concentration,
    effective_poles,
    freeman_centralization,
)


def test_concentration_fixture() -> None:
    assert float(concentration(np.array([0.5, 0.3, 0.2]))) == pytest.approx(0.26458, abs=1e-5)
    assert float(effective_poles(np.array([0.5, 0.3, 0.2]))) == pytest.approx(2.632, abs=1e-3)


def test_concentration_extremes_and_scale_invariance() -> None:
    assert float(concentration(np.array([1.0, 0.0, 0.0, 0.0]))) == pytest.approx(1.0)
    assert float(concentration(np.array([2.0, 2.0, 2.0]))) == pytest.approx(0.0, abs=1e-7)
    x = np.random.default_rng(0).uniform(0.1, 5, size=(50, 6))
    np.testing.assert_allclose(concentration(x), concentration(7.5 * x), rtol=1e-6)
    assert float(effective_poles(np.ones(4))) == pytest.approx(4.0)


def _degrees(g: nx.Graph) -> np.ndarray:
    return np.array([d for _, d in sorted(g.degree())], dtype=float)


def _star_with_spoke_edge() -> nx.Graph:
    g = nx.star_graph(5)  # US hub + JP, KR, AU, PH, TH
    g.add_edge(1, 3)  # a JP-AU tie
    return g


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        (nx.star_graph(5), 1.0),
        (_star_with_spoke_edge(), 0.9),
        (nx.path_graph(4), 1 / 3),
        (nx.complete_graph(5), 0.0),
    ],
)
def test_freeman_fixtures(graph: nx.Graph, expected: float) -> None:
    assert float(freeman_centralization(_degrees(graph))) == pytest.approx(expected)


def test_freeman_vectorised_and_isolates() -> None:
    star = _degrees(nx.star_graph(4))
    with_isolates = np.concatenate([star, np.zeros(5)])
    batch = np.stack([star, np.concatenate([star[:0], _degrees(nx.complete_graph(5))])])
    np.testing.assert_allclose(freeman_centralization(batch), [1.0, 0.0])
    assert float(freeman_centralization(with_isolates, drop_isolates=True)) == pytest.approx(1.0)
    assert float(freeman_centralization(with_isolates)) < 1.0
    assert float(freeman_centralization(np.array([1.0, 1.0]))) == 0.0


def test_hub_and_spoke_erodes_as_spokes_link() -> None:
    g = nx.star_graph(5)
    values = [float(freeman_centralization(_degrees(g)))]
    for a, b in [(1, 2), (3, 4), (1, 5)]:
        g.add_edge(a, b)
        values.append(float(freeman_centralization(_degrees(g))))
    assert all(x > y for x, y in itertools.pairwise(values))


def test_order_classification_rules() -> None:
    cap = np.array(
        [[80.0, 10, 5, 5], [45, 35, 10, 10], [30, 25, 25, 20], [80, 10, 5, 5], [30, 25, 25, 20], [30, 25, 25, 20]]
    )
    central = np.array([1.0, 1.0, 1.0, 0.2, 1.0, 1.0])
    host = np.array([0.4, 0.4, 0.4, 0.4, 0.15, 0.05])
    overlap = np.array([0.1, 0.1, 0.1, 0.1, 0.6, 0.6])
    teeth = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.7])
    got = [ORDER_TYPES[k] for k in classify_order(cap, central, host, overlap, teeth)]
    assert got == [
        "hub-and-spoke hegemony",
        "bipolarity",
        "balance of power",
        "balance of power",
        "concert",
        "security community",
    ]
