"""Region-level outputs of the order model, computed from the records of all years at once.

The crisis count, the great powers' distribution of current military spending (Ray & Singer
1973), the Freeman
(1979) centralization of the credible alliance network and the order type
(:func:`~alliancelab.measures.order.classify_order`). The fused kernel computes the same
measures inside its loop (:mod:`.kernel`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alliancelab.measures import classify_order, concentration, effective_poles, freeman_centralization
from alliancelab.models.order.compile import Compiled
from alliancelab.models.order.params import Params

__all__ = ["ALWAYS", "REGION", "great_power_context", "great_power_pairs", "region"]

#: What the region measures and the checks read, besides the kept outputs.
ALWAYS = ("gdp", "milex", "share", "capability", "credibility", "crises")
#: The outputs :func:`region` derives.
REGION = ("crisis_count", "concentration", "effective_poles", "centralization", "order")


def great_power_pairs(c: Compiled) -> tuple[int, ...]:
    """The pairs among the great powers (among all states when fewer than two)."""
    gp = set((c.great if len(c.great) >= 2 else np.arange(c.n)).tolist())
    return tuple(k for k, (i, j) in enumerate(zip(c.pair_i, c.pair_j, strict=True)) if i in gp and j in gp)


def great_power_context(c: Compiled) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The order type's inputs that do not depend on a run: the great powers (all states when
    fewer than two), the pairs among them, and per year their mean institutional overlap and
    mean teeth (zeros when there is no such pair)."""
    gp = c.great if len(c.great) >= 2 else np.arange(c.n)
    pairs = np.array(great_power_pairs(c), dtype=np.intp)
    if len(pairs):
        return gp, pairs, c.shared[:, pairs].mean(axis=1), c.teeth[:, pairs].mean(axis=1)
    none = np.zeros(len(c.years), np.float32)
    return gp, pairs, none, none


def region(c: Compiled, p: Params, r: dict[str, Any]) -> dict[str, np.ndarray]:
    """Region-level measures over all years and runs at once, from records (years, runs, …).

    Great-power hostility is read from ``hostility`` where it was recorded, else from
    ``hostility_gp`` (the great-power pairs only).
    """
    gp, pairs, overlap, teeth = great_power_context(c)
    ties = (r["credibility"] * c.commitment[:, None, :] >= p.credible_tie).astype(np.float32)
    degree = ((ties @ c.link_edge) > 0).astype(np.float32) @ c.edge_incidence
    cap = r["milex"][..., gp]  # current spending: moves within years, where the stock takes decades
    out: dict[str, np.ndarray] = {
        "crisis_count": (r["crises"].sum(axis=-1) // 2).astype(np.int16),
        "concentration": concentration(cap),
        "effective_poles": effective_poles(cap),
        "centralization": freeman_centralization(degree, drop_isolates=True).astype(np.float32),
    }
    if len(pairs):
        host = r["hostility"][..., pairs] if "hostility" in r else r["hostility_gp"]
        host = host.max(axis=-1)
    else:
        host = np.zeros(cap.shape[:2], np.float32)
    leader = np.asarray(gp)[np.argmax(cap, axis=-1)]
    top = degree.max(axis=-1)
    hub = (top > 0) & (np.take_along_axis(degree, leader[..., None], axis=-1)[..., 0] >= top)
    out["order"] = classify_order(
        cap, out["centralization"], host, overlap[:, None], teeth[:, None], p.order_thresholds(), hub
    )
    return out
