"""Alliance-network structure: Freeman degree centralization (hub-and-spoke-ness)."""

from __future__ import annotations

from typing import Any

from array_api_compat import array_namespace

__all__ = ["freeman_centralization"]


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
