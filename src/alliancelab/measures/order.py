"""Regional-order classification from capability, alliances, institutions and hostility.

Five types (the alternative orders Ikenberry & Inoguchi 2003 discuss), decided in this order:

4 ``security community``  the highest great-power hostility < ``community_hostility`` and teeth among them
                          ≥ ``community_teeth`` (Deutsch et al. 1957; Adler & Barnett 1998);
3 ``concert``             the highest great-power hostility < ``concert_hostility`` and institutional overlap
                          among them ≥ ``concert_overlap``;
0 ``hub-and-spoke``       the leading great power holds ≥ ``hegemony_share`` of great-power
                          capability, the alliance network's centralization ≥
                          ``hub_centralization`` and the leader is its hub (the most ties);
2 ``bipolarity``          the two leading powers hold ≥ ``bipolar_share`` together and the second
                          has ≥ ``bipolar_parity`` of the first's capability;
1 ``balance of power``    otherwise.
"""

from __future__ import annotations

from typing import Any

from array_api_compat import array_namespace
from pydantic import BaseModel, ConfigDict, Field

from alliancelab.measures.capability import shares

__all__ = ["ORDER_TYPES", "OrderThresholds", "classify_order"]

ORDER_TYPES: tuple[str, ...] = (
    "hub-and-spoke hegemony",
    "balance of power",
    "bipolarity",
    "concert",
    "security community",
)


class OrderThresholds(BaseModel):
    """Documented thresholds of :func:`classify_order`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hegemony_share: float = Field(0.5, ge=0, le=1)
    hub_centralization: float = Field(0.5, ge=0, le=1)
    bipolar_share: float = Field(0.6, ge=0, le=1)
    bipolar_parity: float = Field(0.5, ge=0, le=1)
    concert_hostility: float = Field(0.2, ge=0, le=1)
    concert_overlap: float = Field(0.5, ge=0, le=1)
    community_hostility: float = Field(0.1, ge=0, le=1)
    community_teeth: float = Field(0.5, ge=0, le=1)


def classify_order(
    capability: Any,
    centralization: Any,
    hostility: Any,
    overlap: Any,
    teeth: Any,
    thresholds: OrderThresholds | None = None,
    leader_is_hub: Any = True,
) -> Any:
    """Order type codes (int8, see :data:`ORDER_TYPES`).

    ``capability`` has the great powers on its last axis; the other arguments share its leading
    axes: alliance-network centralization, the highest great-power hostility, mean institutional overlap
    and mean teeth among great powers, and whether the leading power is the network's hub (its
    most-tied state; default: yes).

    >>> import numpy as np
    >>> cap = np.array([[80.0, 10, 5, 5], [45, 35, 10, 10], [30, 25, 25, 20]])
    >>> [ORDER_TYPES[k] for k in classify_order(cap, np.array([1.0, 1, 1]), 0.4, 0.1, 0.0)]
    ['hub-and-spoke hegemony', 'bipolarity', 'balance of power']
    """
    t = thresholds or OrderThresholds()
    xp = array_namespace(capability)
    s = shares(capability)
    top2 = xp.sort(s, axis=-1)[..., -2:]
    first, second = top2[..., 1], top2[..., 0]
    code = xp.ones(first.shape, dtype=xp.int8)
    bipolar = (first + second >= t.bipolar_share) & (second >= t.bipolar_parity * first)
    code = xp.where(bipolar, xp.asarray(2, dtype=xp.int8), code)
    hub = (first >= t.hegemony_share) & (centralization >= t.hub_centralization) & leader_is_hub
    code = xp.where(hub, xp.asarray(0, dtype=xp.int8), code)
    concert = (hostility < t.concert_hostility) & (overlap >= t.concert_overlap)
    code = xp.where(concert, xp.asarray(3, dtype=xp.int8), code)
    community = (hostility < t.community_hostility) & (teeth >= t.community_teeth)
    return xp.where(community, xp.asarray(4, dtype=xp.int8), code)
