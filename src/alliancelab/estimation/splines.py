"""Beck, Katz & Tucker's (1998) natural cubic splines of peace-years, with the knots kept.

Tucker's ``btscs``/``nspline`` basis: knots k_1..k_K inside, boundary knots k_0 = min and
k_N = max of the training sample's peace-years,

    S_j(x) = (x − k_j)₊³ − ((k_N − k_j) / (k_N − k_0)) (x − k_0)³          for x ≤ k_N,
    S_j(x) = (k_N − k_j)(k_j − k_0)(k_N + k_j + k_0 − 3x)                    beyond k_N (linear),

and peace-years enter linearly beside them. Interior knots sit at the j/(K+1) quantiles of the
training sample (K = 3: the quartiles), so they belong to the fit: a model applied to new years
(or run inside the engine) evaluates the same basis with the stored knots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from alliancelab.errors import ParameterError

__all__ = ["PeaceSplines"]


@dataclass(frozen=True)
class PeaceSplines:
    """A spline basis of peace-years: ``knots`` = (k_0, k_1, ..., k_K, k_N)."""

    knots: tuple[float, ...]

    @classmethod
    def fit(cls, peace_years: Any, interior: int = 3) -> PeaceSplines:
        """Knots from a training sample: boundaries at min and max, ``interior`` at quantiles.

        >>> PeaceSplines.fit(np.arange(0, 101), interior=3).knots
        (0.0, 25.0, 50.0, 75.0, 100.0)
        """
        x = np.asarray(peace_years, dtype=float)
        if x.size == 0 or not np.isfinite(x).all():
            raise ParameterError("peace_years", "PeaceSplines.fit", "a non-empty array of finite values", x.size)
        qs = np.quantile(x, [j / (interior + 1) for j in range(1, interior + 1)])
        return cls((float(x.min()), *map(float, qs), float(x.max())))

    @property
    def names(self) -> list[str]:
        return [f"peace_spline{j}" for j in range(1, len(self.knots) - 1)]

    def basis(self, peace_years: Any) -> np.ndarray:
        """The spline columns S_1..S_K for ``peace_years`` (shape (n, K)).

        Linear beyond the last knot, so a long peace in simulation extrapolates the way Tucker's
        ``nspline`` does.
        """
        x = np.asarray(peace_years, dtype=float)[:, None]
        k0, kn = self.knots[0], self.knots[-1]
        kj = np.asarray(self.knots[1:-1])[None, :]
        span = max(kn - k0, 1e-12)
        xc = np.minimum(x, kn)
        inside = np.maximum(xc - kj, 0.0) ** 3 - ((kn - kj) / span) * (xc - k0) ** 3
        beyond = (kn - kj) * (kj - k0) * (kn + kj + k0 - 3.0 * x)
        return np.where(x <= kn, inside, beyond)
