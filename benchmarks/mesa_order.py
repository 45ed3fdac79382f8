"""The engine's yearly step written as a Mesa 3 model: one agent per state, Python loops.

This is the baseline for ``benchmarks/engine.py``: the way a Mesa user would write the same
mechanisms (threat with allied cover and misperception, Richardson arms decisions, logit
crises, credibility with crisis tests, domestic support, hostility), one model per run. It
reads the same compiled scenario arrays as the vectorised engine so that the work per run-year
is the same.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from alliancelab.models.order.compile import Compiled
from alliancelab.models.order.params import Params


class State(mesa.Agent):
    """A state: its economy, effort and perceptions."""

    def __init__(self, model: OrderModel, index: int) -> None:
        super().__init__(model)
        c = model.c
        self.index = index
        self.gdp = float(c.gdp0[index])
        self.capability = float(c.capability0[index])
        self.share = float(c.milex0[index] / c.gdp0[index])
        self.milex = float(c.milex0[index])
        self.bias = [math.exp(model.random.gauss(0, 1) * 0.3 - 0.045) for _ in range(c.n)]
        self.threat = self.net = self.fear = 0.0

    def perceive(self) -> None:
        m, c, t, i = self.model, self.model.c, self.model.t, self.index
        threat = 0.0
        for other in m.states:
            j = other.index
            if j == i:
                continue
            anchor = min(1.0, sum(m.credibility[link] * c.commitment[t, link] for link in m.links_of[j]))
            h = m.hostility[min(i, j), max(i, j)]
            threat += h * c.threat_weight[t, i, j] * self.bias[j] * other.capability * (1 - m.p.restraint * anchor)
        cover = self.capability
        weight = shortfall = 0.0
        for link in m.links_of[i]:
            defender = m.states[int(c.link_defender[link])]
            w, cred = float(c.commitment[t, link]), m.credibility[link]
            cover += cred * w * c.cover_factor[t, link] * defender.capability
            weight += w
            shortfall += w * (1 - cred)
        self.threat, self.net = threat, threat - m.p.cover_weight * cover
        self.fear = shortfall / weight if weight > 0 else 0.0

    def arm(self) -> None:
        m, c, t, i = self.model, self.model.c, self.model.t, self.index
        target = c.grievance[i] + c.posture[t, i] + c.reaction[i] * self.net / self.gdp
        target += m.p.abandonment_reaction * self.fear - m.p.burden * self.share
        new = self.share + m.p.adjustment * (target - self.share)
        self.previous_share, self.share = self.share, min(max(new, c.share_min[i]), c.share_max[i])
        self.previous_milex, self.milex = self.milex, self.share * self.gdp

    def grow(self) -> None:
        m, c, t, i = self.model, self.model.c, self.model.t, self.index
        self.capability = (1 - c.depreciation[i]) * self.capability + self.milex
        self.gdp *= 1 + c.growth[t, i] + m.p.growth_noise * m.random.gauss(0, 1)


class OrderModel(mesa.Model):
    """One run of the security-order model."""

    def __init__(self, c: Compiled, p: Params, seed: int) -> None:
        super().__init__(seed=seed)
        self.c, self.p, self.t = c, p, 0
        self.states = [State(self, i) for i in range(c.n)]
        self.links_of = {i: [k for k in range(c.n_links) if c.link_defended[k] == i] for i in range(c.n)}
        self.credibility = [float(v) for v in c.credibility0]
        self.support = [float(v) for v in c.support0]
        self.hostility = {}
        for k, (i, j) in enumerate(zip(c.pair_i, c.pair_j, strict=True)):
            self.hostility[int(i), int(j)] = float(c.baseline[0, k])
        self.crises_total = 0

    def step(self) -> None:
        c, p, t = self.c, self.p, self.t
        self.agents.do("perceive")
        self.agents.do("arm")
        crises = [0] * c.n
        events = {}
        for k, (i, j) in enumerate(zip(c.pair_i, c.pair_j, strict=True)):
            a, b = self.states[i], self.states[j]
            gi, gj = a.milex / a.previous_milex - 1, b.milex / b.previous_milex - 1
            race = max(min(gi, gj), 0.0)
            parity = min(a.capability, b.capability) / max(a.capability, b.capability, 1e-9)
            h = self.hostility[int(i), int(j)]
            z = c.hazard_static[t, k] + p.hazard_hostility * h + p.hazard_race * race + p.hazard_parity * parity
            crisis = self.random.random() < 1 / (1 + math.exp(-z))
            escalation = crisis and self.random.random() < p.escalation_base * (1 - p.escalation_teeth * c.teeth[t, k])
            events[int(i), int(j)] = (crisis, escalation, a, b)
            if crisis:
                crises[i] += 1
                crises[j] += 1
                self.crises_total += 1
        for link in range(c.n_links):
            d, g = int(c.link_defended[link]), int(c.link_defender[link])
            cred, sup = self.credibility[link], self.support[link]
            target = c.engagement[t, g] * (
                p.credibility_base + p.credibility_presence * c.presence[t, link] + p.credibility_support * (sup - 0.5)
            )
            target = min(max(target * (1 - p.rma_penalty * c.rma_gap[t, link]), 0.0), 1.0) * (c.commitment[t, link] > 0)
            new = cred + p.credibility_speed * (target - cred)
            stands = self.random.random() < cred
            if crises[d] > 0:
                new += p.crisis_support_gain * (1 - cred) if stands else -p.crisis_support_loss * cred
            self.credibility[link] = min(max(new, 0.0), 1.0)
            s_target = c.support0[link] - p.support_incidents * c.incidents[t, link]
            sup += p.support_speed * (s_target - sup) + p.support_noise * self.random.gauss(0, 1)
            sup -= p.entrapment_cost * crises[d] * stands
            self.support[link] = min(max(sup, 0.0), 1.0)
        for k, (i, j) in enumerate(zip(c.pair_i, c.pair_j, strict=True)):
            crisis, escalation, a, b = events[int(i), int(j)]
            h = self.hostility[int(i), int(j)]
            build = max(a.share / a.previous_share - 1, 0) + max(b.share / b.previous_share - 1, 0)
            h += c.decay[t, k] * (c.baseline[t, k] - h) + p.spiral * h * build
            h += (p.crisis_hostility * crisis + p.escalation_hostility * escalation) * (1 - h)
            self.hostility[int(i), int(j)] = min(max(h, 0.0), 1.0)
        self.agents.do("grow")
        self.t += 1


def run_mesa(c: Compiled, p: Params, runs: int, seed: int = 0) -> np.ndarray:
    """Run ``runs`` Mesa models for all years; returns the final spending shares (runs, N)."""
    out = np.empty((runs, c.n))
    for r in range(runs):
        model = OrderModel(c, p, seed + r)
        for _ in range(len(c.years)):
            model.step()
        out[r] = [s.share for s in model.states]
    return out
