"""Capability distribution: concentration and the effective number of poles.

Vectorised over any leading axes; the last axis holds the states' capabilities.
"""

from __future__ import annotations

from typing import Any

from array_api_compat import array_namespace

__all__ = ["concentration", "effective_poles", "shares"]


def shares(capability: Any) -> Any:
    """Each state's share of the group's capability (last axis)."""
    xp = array_namespace(capability)
    total = xp.sum(capability, axis=-1, keepdims=True)
    return capability / xp.maximum(total, 1e-30)


def concentration(capability: Any) -> Any:
    """Ray & Singer (1973) concentration, CON = sqrt((Σ S² − 1/N) / (1 − 1/N)).

    A single state is fully concentrated (1). Ray, J. L. & Singer, J. D. (1973), "Measuring the
    Concentration of Power in the International System", Sociological Methods & Research 1(4):
    403-437.

    >>> import numpy as np
    >>> round(float(concentration(np.array([0.5, 0.3, 0.2]))), 5)
    0.26458
    """
    xp = array_namespace(capability)
    s = shares(capability)
    n = capability.shape[-1]
    hhi = xp.sum(s * s, axis=-1)
    if n < 2:
        return xp.ones_like(hhi)
    return xp.sqrt(xp.clip((hhi - 1.0 / n) / (1.0 - 1.0 / n), 0.0, 1.0))


def effective_poles(capability: Any) -> Any:
    """Effective number of poles, 1 / Σ S² (Laakso & Taagepera 1979 form).

    >>> import numpy as np
    >>> round(float(effective_poles(np.array([0.5, 0.3, 0.2]))), 3)
    2.632
    """
    xp = array_namespace(capability)
    s = shares(capability)
    return 1.0 / xp.sum(s * s, axis=-1)
