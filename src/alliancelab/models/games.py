"""Closed-form pieces the engine and the docs rely on.

- Richardson (1960) arms race: equilibrium and stability, continuous and discrete forms;
- Fearon (1995) bargaining range and the shifting-power (preventive war) condition;
- Kydd (2005) reassurance threshold and Bayesian updating on a noisy signal;
- Snyder (1984) abandonment/entrapment trade-off of a support level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

from alliancelab.errors import ParameterError

__all__ = [
    "Richardson",
    "bargaining_range",
    "optimal_support",
    "posterior_trust",
    "preventive_war",
    "reassurance_threshold",
]


@dataclass(frozen=True)
class Richardson:
    """Richardson's two-state arms race.

    Continuous: dx/dt = k·y − a·x + g, dy/dt = l·x − b·y + h.
    Discrete (Euler, Δt = 1): x' = (1 − a)x + k·y + g, y' = l·x + (1 − b)y + h.
    Richardson, L. F. (1960), *Arms and Insecurity*. Pittsburgh: Boxwood.

    >>> r = Richardson(a=0.5, b=0.4, k=0.2, l=0.3, g=1, h=1)
    >>> [round(v, 4) for v in r.equilibrium]
    [4.2857, 5.7143]
    >>> r.stable_continuous, r.stable_discrete
    (True, True)
    """

    a: float
    b: float
    k: float
    l: float  # noqa: E741 - Richardson's own symbol
    g: float
    h: float

    @property
    def equilibrium(self) -> tuple[float, float]:
        """x* = (k·h + b·g)/(a·b − k·l), y* = (l·g + a·h)/(a·b − k·l)."""
        det = self.a * self.b - self.k * self.l
        if det == 0:
            raise ParameterError("a*b - k*l", "Richardson", "non-zero (else no unique equilibrium)", det)
        return (self.k * self.h + self.b * self.g) / det, (self.l * self.g + self.a * self.h) / det

    @property
    def stable_continuous(self) -> bool:
        """Stable node iff a·b > k·l (the trace −a − b is negative)."""
        return self.a * self.b > self.k * self.l

    @property
    def discrete_eigenvalues(self) -> np.ndarray:
        """Eigenvalues of M = [[1 − a, k], [l, 1 − b]]."""
        return np.linalg.eigvals(np.array([[1 - self.a, self.k], [self.l, 1 - self.b]]))

    @property
    def stable_discrete(self) -> bool:
        """Stable iff both eigenvalues of M lie inside the unit circle (stricter than a·b > k·l)."""
        return bool(np.all(np.abs(self.discrete_eigenvalues) < 1))

    def iterate(self, x0: float, y0: float, steps: int) -> np.ndarray:
        """The discrete path, shape (steps + 1, 2)."""
        out = np.empty((steps + 1, 2))
        out[0] = x0, y0
        for t in range(steps):
            x, y = out[t]
            out[t + 1] = (1 - self.a) * x + self.k * y + self.g, self.l * x + (1 - self.b) * y + self.h
        return out


def bargaining_range(p: float, cost_a: float, cost_b: float) -> tuple[float, float]:
    """Fearon (1995): settlements both sides prefer to war, (p − c_A, p + c_B).

    Fearon, J. D. (1995), "Rationalist Explanations for War", International Organization
    49(3): 379-414.

    >>> bargaining_range(0.6, 0.1, 0.15)
    (0.5, 0.75)
    """
    if not 0 <= p <= 1:
        raise ParameterError("p", "bargaining_range", "a probability in [0, 1]", p)
    if cost_a <= 0 or cost_b <= 0:
        raise ParameterError("cost", "bargaining_range", "positive", (cost_a, cost_b))
    return round(p - cost_a, 12), round(p + cost_b, 12)


def preventive_war(p_now: float, p_next: float, cost: float, delta: float) -> bool:
    """Shifting power: the declining state fights iff δ·Δ > (1 − δ)(1 − p_t + c_D), Δ = p_t − p_{t+1}.

    A commitment problem in the style of Fearon (1995) and Powell (2006), "War as a Commitment
    Problem", International Organization 60(1): 169-203.

    >>> preventive_war(0.6, 0.4, 0.05, 0.9), preventive_war(0.6, 0.56, 0.05, 0.9)
    (True, False)
    """
    if not 0 < delta < 1:
        raise ParameterError("delta", "preventive_war", "a discount factor in (0, 1)", delta)
    shift = p_now - p_next
    return delta * shift > (1 - delta) * (1 - p_now + cost)


def reassurance_threshold(R: float, T: float, S: float, P: float) -> float:
    """Kydd (2005): a trustworthy type cooperates iff its trust π ≥ π* = (P − S)/((R − T) + (P − S)).

    Kydd, A. H. (2005), *Trust and Mistrust in International Relations*, Princeton UP, ch. 2.

    >>> round(reassurance_threshold(R=1, T=0.5, S=-1, P=0), 4)
    0.6667
    """
    denom = (R - T) + (P - S)
    if R <= T or denom <= 0:
        raise ParameterError("R", "reassurance_threshold", "greater than T (an assurance game)", R)
    return (P - S) / denom


def posterior_trust(prior: float, accuracy: float) -> float:
    """Bayes' rule on a signal of type with accuracy q: π' = πq / (πq + (1 − π)(1 − q)).

    >>> posterior_trust(0.5, 0.8)
    0.8
    """
    return prior * accuracy / (prior * accuracy + (1 - prior) * (1 - accuracy))


def optimal_support(
    abandonment_cost: float,
    entrapment_cost: float,
    alpha: tuple[float, float] = (1.0, 4.0),
    beta: tuple[float, float] = (-3.0, 4.0),
) -> float:
    """Snyder's (1984) alliance security dilemma as a choice of support k ∈ [0, 1].

    Minimises L(k) = A·σ(α0 − α1·k) + E·σ(β0 + β1·k): abandonment risk falls and entrapment
    risk rises with support. Raising A raises k*, raising E lowers it. Snyder, G. H. (1984),
    "The Security Dilemma in Alliance Politics", World Politics 36(4): 461-495.

    >>> optimal_support(2.0, 1.0) > optimal_support(1.0, 1.0) > optimal_support(1.0, 2.0)
    True
    """

    def sig(x: float) -> float:
        return 1.0 / (1.0 + math.exp(-x))

    def loss(k: float) -> float:
        return float(abandonment_cost * sig(alpha[0] - alpha[1] * k) + entrapment_cost * sig(beta[0] + beta[1] * k))

    res = minimize_scalar(loss, bounds=(0.0, 1.0), method="bounded", options={"xatol": 1e-9})
    return float(np.asarray(res.x))
