"""Pure measures over arrays: capability concentration, network centralization, order type."""

from alliancelab.measures.capability import concentration, effective_poles
from alliancelab.measures.network import freeman_centralization
from alliancelab.measures.order import ORDER_TYPES, OrderThresholds, classify_order

__all__ = [
    "ORDER_TYPES",
    "OrderThresholds",
    "classify_order",
    "concentration",
    "effective_poles",
    "freeman_centralization",
]
