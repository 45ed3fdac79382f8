"""Alliance-network structure: Freeman degree centralization (hub-and-spoke-ness)."""

from __future__ import annotations

from typing import Any

from array_api_compat import array_namespace

__all__ = ["alliance_graph", "freeman_centralization", "network_measures"]


def freeman_centralization(degree: Any, *, drop_isolates: bool = False) -> Any:
    """Freeman (1979) degree centralization of undirected graphs from their degree sequences.

    C_D = Σ_v (max_w deg(w) − deg(v)) / ((n − 1)(n − 2)), 1 for a star and 0 for a complete
    graph. Freeman, L. C. (1979), "Centrality in Social Networks: Conceptual Clarification",
    Social Networks 1: 215-239. The last axis holds the degrees; with ``drop_isolates`` only
    states with at least one tie count toward n (a hub-and-spoke system among the allied
    states, not diluted by the unaligned). Graphs with n < 3 give 0.

    >>> import numpy as np
    >>> float(freeman_centralization(np.array([5, 1, 1, 1, 1, 1])))  # star, n = 6
    1.0
    >>> round(float(freeman_centralization(np.array([1, 2, 2, 1]))), 4)  # path P4
    0.3333
    """
    xp = array_namespace(degree)
    deg = xp.astype(degree, xp.float64) if degree.dtype != xp.float32 else degree
    present = xp.astype(deg > 0, deg.dtype) if drop_isolates else xp.ones_like(deg)
    n = xp.sum(present, axis=-1)
    top = xp.max(deg, axis=-1)
    spread = xp.sum((top[..., None] - deg) * present, axis=-1)
    denom = (n - 1.0) * (n - 2.0)
    return xp.where(n >= 3, spread / xp.maximum(denom, 1.0), 0.0 * spread)


def alliance_graph(ties: Any, year: int | None = None, states: Any = None) -> Any:
    """An undirected networkx graph of alliance ties: nodes are states (COW codes), edges ties.

    ``ties`` is a DataFrame with ``ccode1``, ``ccode2`` (and ``year`` if ``year`` is given),
    directed or not; only states with at least one tie are nodes. ``states`` restricts both ends
    to a set of states (a region).
    """
    import networkx as nx

    rows = ties if year is None else ties[ties["year"] == year]
    if states is not None:
        keep = set(states)
        rows = rows[rows["ccode1"].isin(keep) & rows["ccode2"].isin(keep)]
    g = nx.Graph()
    g.add_edges_from(zip(rows["ccode1"].astype(int), rows["ccode2"].astype(int), strict=True))
    return g


def network_measures(graph: Any) -> dict[str, float | int | None]:
    """Freeman degree centralization, the hub (highest degree; ties to the lowest code), density
    and number of components of an alliance graph (networkx).

    >>> import networkx as nx
    >>> m = network_measures(nx.star_graph(5))
    >>> m["centralization"], m["hub"], m["components"]
    (1.0, 0, 1)
    """
    import networkx as nx
    import numpy as np

    n = graph.number_of_nodes()
    if n == 0:
        return {
            "nodes": 0,
            "edges": 0,
            "centralization": 0.0,
            "hub": None,
            "hub_degree": 0,
            "density": 0.0,
            "components": 0,
        }
    degrees = dict(graph.degree())
    hub = min(degrees, key=lambda v: (-degrees[v], v))
    return {
        "nodes": n,
        "edges": graph.number_of_edges(),
        "centralization": float(freeman_centralization(np.array(list(degrees.values())))),
        "hub": int(hub),
        "hub_degree": int(degrees[hub]),
        "density": float(nx.density(graph)),
        "components": int(nx.number_connected_components(graph)),
    }
