"""The same rules as :mod:`.rules`, written pair by pair in plain Python.

This is the straightforward implementation a reader can check line by line against the equations
of Scholz, Calbert & Smith (2011); the tests hold the vectorised model to it, and
``benchmarks/bargaining.py`` times the two against each other. It plays one copy of an issue.
"""

from __future__ import annotations

from alliancelab.models.bargaining.rules import Rules

__all__ = ["play_round_loop"]


def _utility(z: float, r: float) -> float:
    return 2.0 - 4.0 * float(z**r)


def _median(x: list[float], w: list[float]) -> float:
    pairs = sorted(zip(x, w, strict=True), key=lambda p: p[0])
    half = sum(w) / 2.0
    cum = 0.0
    for xi, wi in pairs:
        cum += wi
        if cum >= half * (1.0 - 1e-12):
            return xi
    return pairs[-1][0]


def _probability(i: int, j: int, x: list[float], w: list[float], r: list[float], width: float, rules: Rules) -> float:
    n = len(x)
    if rules.probability == "scholz-code":
        if x[i] == x[j]:
            return 0.0

        def vote(k: int, a: int, b: int) -> float:
            return w[k] * float((abs(x[k] - x[b]) / width) ** r[k] - (abs(x[k] - x[a]) / width) ** r[k])

        top = sum(max(vote(k, i, j), 0.0) for k in range(n))
        bottom = sum(abs(vote(k, a, b)) for k in range(n) for a in range(n) for b in range(n))
        return float(top / bottom) if bottom > 0 else 0.0
    votes = [w[k] * (abs(x[k] - x[j]) - abs(x[k] - x[i])) for k in range(n)]
    total = sum(abs(v) for v in votes)
    if total == 0:
        return 0.5
    if rules.probability == "paper":
        return sum(v for v in votes if v > 0) / total
    return max(sum(votes), 0.0) / total


def _eu(
    i: int, j: int, x: list[float], s: list[float], p: float, r: float, mu: float, width: float, rules: Rules
) -> float:
    d = abs(x[i] - x[j]) / width
    d_mu = abs(x[i] - mu) / width
    u_s = _utility(0.5 - 0.5 * d, r)
    u_f = _utility(0.5 + 0.5 * d, r)
    u_b = _utility(0.5 - 0.25 * (d_mu + d), r)
    u_w = _utility(0.5 + 0.25 * (d_mu + d), r)
    u_sq = _utility(0.5, r)
    return (
        s[j] * (p * u_s + (1 - p) * u_f)
        + (1 - s[j]) * u_s
        - rules.q * u_sq
        - (1 - rules.q) * (rules.t * u_b + (1 - rules.t) * u_w)
    )


def play_round_loop(
    x: list[float], c: list[float], s: list[float], width: float, rules: Rules
) -> tuple[list[float], list[float], list[int], list[int]]:
    """One round for one copy. Returns (new positions, risk exponents, event codes, senders)."""
    n = len(x)
    w = [c[k] * s[k] for k in range(n)]
    mu = _median(x, w) if rules.mu == "median" else sum(wk * xk for wk, xk in zip(w, x, strict=True)) / sum(w)
    ones = [1.0] * n
    danger = []
    for i in range(n):
        total = 0.0
        for j in range(n):
            if j != i:
                total += _eu(j, i, x, s, _probability(j, i, x, w, ones, width, rules), 1.0, mu, width, rules)
        danger.append(total)
    hi, lo = max(danger), min(danger)
    r = []
    for i in range(n):
        big_r = (2 * danger[i] - hi - lo) / (hi - lo) if hi > lo else 0.0
        r.append((1 - big_r / 3) / (1 + big_r / 3))
    vote_r = r if rules.probability == "scholz-code" else ones

    new_x, events, senders = list(x), [0] * n, [-1] * n
    for t in range(n):
        offers = []  # (kind, new position, a, b, sender)
        for j in range(n):
            if j == t or x[j] == x[t]:
                continue
            a = _eu(t, j, x, s, _probability(t, j, x, w, vote_r, width, rules), r[t], mu, width, rules)
            b = _eu(j, t, x, s, _probability(j, t, x, w, vote_r, width, rules), r[t], mu, width, rules)
            if b <= 0:
                continue
            if 0 < a < b:
                offers.append((1, x[j], a, b, j))
            elif a < 0 and -a < b:
                offers.append((2, x[t] + (x[j] - x[t]) * abs(a / b), a, b, j))
            elif a < 0 and -a > b and rules.capitulation:
                offers.append((3, x[j], a, b, j))
        if not offers:
            continue
        if rules.offer_choice == "smallest-move":
            best = min(offers, key=lambda o: abs(o[1] - x[t]))
        else:
            for kind in (1, 2, 3):
                of_kind = [o for o in offers if o[0] == kind]
                if of_kind:
                    break
            if kind == 2:
                best = min(of_kind, key=lambda o: (abs(o[2]) * x[t] + abs(o[3]) * x[o[4]]) / (abs(o[2]) + abs(o[3])))
            else:
                best = min(of_kind, key=lambda o: abs(o[1] - x[t]))
        new_x[t], events[t], senders[t] = best[1], best[0], best[4]
    return new_x, r, events, senders
