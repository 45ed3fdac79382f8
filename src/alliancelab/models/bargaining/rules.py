"""Bueno de Mesquita's expected-utility group-decision model, vectorised over actor pairs and copies.

The model as specified by Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011), "Unravelling Bueno de
Mesquita's Group Decision Model", *Journal of Theoretical Politics* 23(4): 510–531, from
Bueno de Mesquita, B. (1994), "Political Forecasting: An Expected Utility Method", in Bueno de
Mesquita & Stokman (eds.), *European Community Decision Making*, Yale UP, pp. 71–104.

Every function takes arrays whose leading axis is the *copy* (many perturbed copies of one issue
are played at once) and whose last axis or axes are actors; nothing loops over actors or pairs in
Python. Positions ``x``, capabilities ``c`` and saliences ``s`` have shape ``(copies, n)``; the
issue scale's width ``Δ`` is a scalar. Pair matrices ``M[b, i, j]`` read "actor i against actor j".

See ``docs/models/bargaining.md`` for the equations, the readings of the win probability and the
published test case.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from alliancelab.errors import ParameterError

__all__ = [
    "EVENTS",
    "OFFER_CHOICES",
    "READINGS",
    "RULESETS",
    "RoundResult",
    "Rules",
    "expected_utility",
    "play_round",
    "risk_exponents",
    "rules_named",
    "utility",
    "weighted_mean",
    "weighted_median",
    "win_probability",
]

F = NDArray[np.float64]
Reading = Literal["paper", "net-vote", "scholz-code"]
OfferChoice = Literal["smallest-move", "scholz-code"]

READINGS: dict[str, str] = {
    "paper": "share of the pairwise votes for i: Σ_k max(v_k, 0) / Σ_k |v_k| (the JTP paper's formula)",
    "net-vote": "net vote for i, floored at 0: max(Σ_k v_k, 0) / Σ_k |v_k| (Masad's replication)",
    "scholz-code": "Scholz's code: risk-weighted votes over a denominator summed over every pair of actors",
}
OFFER_CHOICES: dict[str, str] = {
    "smallest-move": "the target accepts the offer that moves it least (BDM 1994; Scholz et al. 2011)",
    "scholz-code": "conflicts first, then compromises by lowest EU-weighted position, then capitulations",
}
#: Event codes stored in results: what the offer a target accepted in a round was.
EVENTS: dict[int, str] = {0: "none", 1: "conflict", 2: "compromise", 3: "capitulation"}


@dataclass(frozen=True)
class Rules:
    """The choices the published descriptions leave open, fixed by name.

    ``probability``: how P(i beats j) reads the vote (see :data:`READINGS`; default the paper's).
    ``offer_choice``: which of its incoming offers a target accepts (:data:`OFFER_CHOICES`).
    ``q``: probability the status quo persists if i does not challenge; ``t``: probability that,
    if it changes, it changes in i's favour. BDM never estimates them; replications use
    Q = T = 1, which makes the status-quo terms U_b and U_w drop out.
    ``mu``: which central position μ the U_b/U_w utilities measure distance to.
    ``capitulation``: whether the capitulation outcome exists (Scholz's code never reaches it).
    """

    probability: Reading = "paper"
    offer_choice: OfferChoice = "smallest-move"
    q: float = 1.0
    t: float = 1.0
    mu: Literal["median", "mean"] = "median"
    capitulation: bool = True

    def __post_init__(self) -> None:
        if self.probability not in READINGS:
            raise ParameterError("probability", "Rules", "one of " + ", ".join(map(repr, READINGS)), self.probability)
        if self.offer_choice not in OFFER_CHOICES:
            raise ParameterError(
                "offer_choice", "Rules", "one of " + ", ".join(map(repr, OFFER_CHOICES)), self.offer_choice
            )
        for name in ("q", "t"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ParameterError(name, "Rules", "a probability in [0, 1]", value)
        if self.mu not in ("median", "mean"):
            raise ParameterError("mu", "Rules", "'median' or 'mean'", self.mu)


#: Named rule sets. ``paper`` is the default: the JTP paper's formulas as printed (with the
#: misprint in E^j(U_ji) corrected). ``scholz-code`` reproduces the round-by-round means of
#: Scholz's own program (as ported by J. McKibben), which departs from the paper's text.
RULESETS: dict[str, Rules] = {
    "paper": Rules(),
    "net-vote": Rules(probability="net-vote"),
    "scholz-code": Rules(probability="scholz-code", offer_choice="scholz-code", capitulation=False),
}


def rules_named(name: str | Rules) -> Rules:
    """A rule set by name (``paper``, ``net-vote``, ``scholz-code``), or the given :class:`Rules`."""
    if isinstance(name, Rules):
        return name
    if name not in RULESETS:
        raise ParameterError("rules", "forecast", "one of " + ", ".join(map(repr, RULESETS)), name)
    return replace(RULESETS[name])


def weighted_mean(x: F, w: F) -> F:
    """Mean position weighted by capability × salience: Σ c_i s_i x_i / Σ c_i s_i (BDM 1994).

    >>> float(weighted_mean(np.array([[4.0, 10.0]]), np.array([[1.0, 3.0]]))[0])
    8.5
    """
    return np.asarray((w * x).sum(-1) / w.sum(-1), dtype=np.float64)


def weighted_median(x: F, w: F) -> F:
    """The weighted median position (the Condorcet winner of BDM's pairwise vote).

    With votes(j vs k) = Σ_i c_i s_i (|x_i − x_k| − |x_i − x_j|), the position that no other
    beats is the median of the positions weighted by c·s (Black 1948; BDM 1994): the smallest
    position whose cumulative weight reaches half the total.

    >>> float(weighted_median(np.array([[4.0, 7.0, 10.0]]), np.array([[0.3, 0.2, 0.5]]))[0])
    7.0
    """
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, -1)
    cum = np.cumsum(np.take_along_axis(w, order, -1), axis=-1)
    half = cum[..., -1:] / 2.0
    k = np.argmax(cum >= half * (1.0 - 1e-12), axis=-1)
    return np.asarray(np.take_along_axis(xs, k[..., None], -1)[..., 0], dtype=np.float64)


def _pair_differences(dist: F) -> F:
    """diff[b, k, i, j] = dist[b, k, j] − dist[b, k, i]: how much more voter k prefers x_i to x_j."""
    return np.asarray(dist[:, :, None, :] - dist[:, :, :, None])


def win_probability(x: F, w: F, r: F, width: float, reading: Reading = "paper") -> F:
    """P[b, i, j]: the probability that i prevails over j.

    Voter k's vote for i against j is v_k = c_k s_k (|x_k − x_j| − |x_k − x_i|).

    - ``paper`` (Scholz et al. 2011, eq. for P_i): P = Σ_{k: v_k>0} v_k / Σ_k |v_k|, so that
      P(i beats j) + P(j beats i) = 1. A pair nobody cares about (all v_k = 0) gets 0.5.
    - ``net-vote``: P = max(Σ_k v_k, 0) / Σ_k |v_k| (the variant of Masad's replication).
    - ``scholz-code``: votes use each voter's risk exponent, v_k = c_k s_k ((|x_k − x_j|/Δ)^{r_k}
      − (|x_k − x_i|/Δ)^{r_k}); P = Σ_k max(v_k, 0) over Σ_k Σ_a Σ_b |v_k(a, b)|, every pair of
      actors in the denominator; P = 0 when x_i = x_j.

    Shapes: x, w, r are (copies, n); the result is (copies, n, n).
    """
    if reading == "scholz-code":
        dist = (np.abs(x[:, :, None] - x[:, None, :]) / width) ** r[:, :, None]
    else:
        dist = np.abs(x[:, :, None] - x[:, None, :])
    # total[b, i, j] = Σ_k w_k |dist[k, j] − dist[k, i]|; the net vote is linear and needs no n³ term
    diff = _pair_differences(dist)
    np.abs(diff, out=diff)
    b_, n = x.shape
    total = np.matmul(w[:, None, :], diff.reshape(b_, n, n * n)).reshape(b_, n, n)
    g = np.matmul(w[:, None, :], dist)[:, 0, :]
    net = g[:, None, :] - g[:, :, None]
    if reading == "paper":
        out = np.where(total > 0, 0.5 * (total + net) / np.where(total > 0, total, 1.0), 0.5)
    elif reading == "net-vote":
        out = np.where(total > 0, np.maximum(net, 0.0) / np.where(total > 0, total, 1.0), 0.5)
    else:
        denominator = total.sum(axis=(1, 2), keepdims=True)
        out = 0.5 * (total + net) / np.where(denominator > 0, denominator, 1.0)
        out = np.where(x[:, :, None] == x[:, None, :], 0.0, out)
    return np.asarray(out, dtype=np.float64)


def utility(z: F, r: F) -> F:
    """BDM's utility of an outcome at normalised distance term z: U = 2 − 4 z^r (Scholz et al. 2011).

    r < 1 is risk acceptant, r > 1 risk averse; U_sq = 2 − 4·0.5^r.
    """
    return np.asarray(2.0 - 4.0 * z**r, dtype=np.float64)


def expected_utility(d: F, d_mu: F, s_target: F, p_win: F, r: F, q: float, t: float) -> F:
    """Expected utility of a challenge (Scholz et al. 2011, eq. for E^i(U_ij)).

    E = s_j [P U_s + (1 − P) U_f] + (1 − s_j) U_s − Q U_sq − (1 − Q)[T U_b + (1 − T) U_w]

    with d = |x_i − x_j|/Δ and d_μ = |x_i − μ|/Δ for the challenger i, and
    U_s = 2 − 4(0.5 − 0.5d)^r, U_f = 2 − 4(0.5 + 0.5d)^r, U_b = 2 − 4(0.5 − 0.25(d_μ + d))^r,
    U_w = 2 − 4(0.5 + 0.25(d_μ + d))^r, U_sq = 2 − 4(0.5)^r. s_j, the target's salience, is the
    probability that the target resists. r is the exponent of whoever is judging. All arguments
    broadcast against each other.
    """
    u_s = utility(0.5 - 0.5 * d, r)
    u_f = utility(0.5 + 0.5 * d, r)
    u_sq = utility(np.full_like(d, 0.5), r)
    out = s_target * (p_win * u_s + (1.0 - p_win) * u_f) + (1.0 - s_target) * u_s - q * u_sq
    if q < 1.0:
        u_b = utility(0.5 - 0.25 * (d_mu + d), r)
        u_w = utility(0.5 + 0.25 * (d_mu + d), r)
        out = out - (1.0 - q) * (t * u_b + (1.0 - t) * u_w)
    return np.asarray(out, dtype=np.float64)


def _central(x: F, w: F, rules: Rules) -> F:
    return weighted_median(x, w) if rules.mu == "median" else weighted_mean(x, w)


def _challenge_matrix(x: F, s: F, p: F, r_judge: F, mu: F, width: float, rules: Rules) -> F:
    """E[b, i, j]: expected utility of i challenging j, judged with exponent r_judge[b, i]."""
    d = np.abs(x[:, :, None] - x[:, None, :]) / width
    d_mu = (np.abs(x - mu[:, None]) / width)[:, :, None]
    return expected_utility(d, d_mu, s[:, None, :], p, r_judge[:, :, None], rules.q, rules.t)


def risk_exponents(x: F, c: F, s: F, width: float, rules: Rules, p: F | None = None) -> F:
    """Each actor's risk exponent r_i ∈ [0.5, 2] (Scholz et al. 2011, eqs. for R_i and r_i).

    With every r = 1, actor i's danger is Σ_i = Σ_{j≠i} E^i(U_ji), what the others expect from
    challenging i. Then R_i = (2Σ_i − max Σ − min Σ)/(max Σ − min Σ) ∈ [−1, 1] and
    r_i = (1 − R_i/3)/(1 + R_i/3): the most threatened actor gets 0.5 (risk acceptant), the safest 2.
    If every actor is equally threatened, all r_i = 1. ``p`` may pass the win probabilities
    computed with every r = 1, when the caller already has them.
    """
    ones = np.ones_like(x)
    w = c * s
    if p is None:
        p = win_probability(x, w, ones, width, rules.probability)
    mu = _central(x, w, rules)
    eu = _challenge_matrix(x, s, p, ones, mu, width, rules)
    n = x.shape[-1]
    # only actors with clout and a stake (c·s > 0) challenge, and only they set the range of danger
    active = w > 0
    eu = eu * (1.0 - np.eye(n)) * active[:, :, None]
    danger = eu.sum(axis=1)  # Σ over challengers j of E(U_ji)
    hi = np.where(active, danger, -np.inf).max(axis=-1, keepdims=True)
    lo = np.where(active, danger, np.inf).min(axis=-1, keepdims=True)
    spread = hi - lo
    ok = np.isfinite(spread) & (spread > 0)
    big_r = np.where(ok, (2.0 * danger - hi - lo) / np.where(ok, spread, 1.0), 0.0)
    big_r = np.clip(big_r, -1.0, 1.0)
    return np.asarray((1.0 - big_r / 3.0) / (1.0 + big_r / 3.0), dtype=np.float64)


@dataclass(frozen=True)
class RoundResult:
    """One round's outcome for every copy and actor (arrays of shape (copies, n))."""

    position: F  #: positions after the round
    risk: F  #: the risk exponents r_i used in the round
    event: NDArray[np.int8]  #: code of the accepted offer (see :data:`EVENTS`)
    sender: NDArray[np.int64]  #: index of the actor whose offer was accepted, −1 if none
    eu_target: F  #: the target's expected utility of challenging the sender (its own view)
    eu_sender: F  #: the sender's expected utility of challenging the target, as the target sees it


def _narrow(tied: NDArray[np.bool_], value: F, scale: float) -> NDArray[np.bool_]:
    """Keep the tied offers whose ``value`` is the smallest (within rounding: ``scale`` × 1e-9)."""
    v = np.where(tied, value, np.inf)
    low = v.min(axis=-1, keepdims=True)
    keep: NDArray[np.bool_] = tied & (v <= low + 1e-9 * np.maximum(scale, np.abs(np.where(np.isfinite(low), low, 0.0))))
    return keep


def _choose(key: F, target: F, b: F, mu: F, width: float) -> NDArray[np.int64]:
    """Each target's accepted offer: the smallest ``key``; ties broken by the offers themselves,
    never by the order of the actors in the file.

    Offers whose keys agree to rounding (sums over actors in another order differ in the last
    bits) tie; among them the one that moves the target nearest the central position μ wins,
    then the one its sender values most (largest B), then the lowest resulting position (which
    only decides between offers that agree on all of these).
    """
    tied = _narrow(np.isfinite(key), key, 1.0)
    tied = _narrow(tied, np.abs(target - mu[:, None, None]), width)
    tied = _narrow(tied, -b, 1.0)
    best: NDArray[np.int64] = np.argmin(np.where(tied, target, np.inf), axis=-1)
    return best


def play_round(x: F, c: F, s: F, width: float, rules: Rules) -> RoundResult:
    """One round: risk exponents, expected utilities, offers, their resolution and the moves.

    Every target t judges each other actor j from its own point of view (exponent r_t):
    A = E^t(U_tj), its own gain from challenging j, and B = E^t(U_jt), j's gain from challenging t.
    j's offer stands if B > 0 and x_j ≠ x_t, and resolves as (Scholz et al. 2011, §3 and BDM 1994):

    - conflict, 0 < A < B: t loses and moves to x_j;
    - compromise, A < 0 and |A| < B: t moves to x_t + (x_j − x_t)|A/B|;
    - capitulation, A < 0 and |A| > B: t moves to x_j.

    The target accepts one offer (``rules.offer_choice``); all targets move at once.
    """
    n = x.shape[-1]
    w = c * s
    ones = np.ones_like(x)
    p_flat = win_probability(x, w, ones, width, rules.probability)
    r = risk_exponents(x, c, s, width, rules, p_flat)
    # only Scholz's code weighs the votes by the voters' risk exponents
    p = win_probability(x, w, r, width, rules.probability) if rules.probability == "scholz-code" else p_flat
    mu = _central(x, w, rules)
    d = np.abs(x[:, :, None] - x[:, None, :]) / width
    d_mu = np.abs(x - mu[:, None]) / width
    r_t = r[:, :, None]
    a = expected_utility(d, d_mu[:, :, None], s[:, None, :], p, r_t, rules.q, rules.t)
    b = expected_utility(d, d_mu[:, None, :], s[:, :, None], np.swapaxes(p, 1, 2), r_t, rules.q, rules.t)

    xt = x[:, :, None]
    xj = x[:, None, :]
    # positions and utilities are sums over actors: another file order moves their last bits, so
    # "the same position" and the comparisons below allow for rounding (1e-12 of the scale)
    eps = 1e-12
    # an actor with no clout or no stake (c·s = 0) has no votes to back an offer: it makes none
    # (it still receives offers and moves), so adding it leaves every other actor's path as it was
    backed = (w > 0)[:, None, :]
    standing = backed & (b > eps) & (np.abs(xt - xj) > eps * width) & ~np.eye(n, dtype=bool)
    conflict = standing & (a > eps) & (a < b - eps)
    compromise = standing & (a < -eps) & (-a < b - eps)
    capitulation = standing & (a < -eps) & (-a > b + eps) & rules.capitulation
    ratio = np.abs(a) / np.where(b > 0, b, 1.0)
    target = np.where(compromise, xt + (xj - xt) * ratio, xj)
    move = np.abs(target - xt)
    kind = np.select([conflict, compromise, capitulation], [1, 2, 3], 0).astype(np.int8)

    if rules.offer_choice == "smallest-move":
        key = np.where(kind > 0, move, np.inf)
    else:
        weighted = (np.abs(a) * xt + np.abs(b) * xj) / np.where(np.abs(a) + np.abs(b) > 0, np.abs(a) + np.abs(b), 1.0)
        has_conflict = conflict.any(axis=-1, keepdims=True)
        has_compromise = compromise.any(axis=-1, keepdims=True)
        key = np.where(
            has_conflict,
            np.where(conflict, move, np.inf),
            np.where(has_compromise, np.where(compromise, weighted, np.inf), np.where(capitulation, move, np.inf)),
        )
    best = _choose(key, target, b, mu, width)
    chosen = np.isfinite(np.take_along_axis(key, best[..., None], -1)[..., 0])

    def pick(m: NDArray[np.generic]) -> NDArray[np.generic]:
        return np.take_along_axis(m, best[..., None], -1)[..., 0]

    new_x = np.where(chosen, pick(target), x)
    return RoundResult(
        position=np.asarray(new_x, dtype=np.float64),
        risk=r,
        event=np.where(chosen, pick(kind), 0).astype(np.int8),
        sender=np.where(chosen, best, -1).astype(np.int64),
        eu_target=np.where(chosen, pick(a), 0.0),
        eu_sender=np.where(chosen, pick(b), 0.0),
    )
