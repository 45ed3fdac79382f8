"""The engine's yearly step written as a Mesa 3 model: one agent per state, Python loops.

This is the baseline for ``benchmarks/engine.py``: the way a Mesa user would write the same
mechanisms (threat with allied cover and misperception, arms decisions, logit crises,
credibility with crisis tests, domestic support, hostility), one model per run. It reads the
same compiled scenario arrays as the vectorised engine so that the work per run-year is the
same. Each parameter set has its equations: the illustrative set's Richardson response and
hand-set hazard, or the estimated set's stage-1 logit (with the run's coefficient draw and each
pair's peace-years) and stage-2 spending equation (docs/models/order.md), so the engine is
timed against a Mesa model doing the same work.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from alliancelab.models.order.compile import Compiled
from alliancelab.models.order.estimated import (
    MAX_PERSISTENCE,
    PEACE_YEARS,
    PREPONDERANCE,
    RIVALRY,
    SPLINE1,
    SPLINE2,
    SPLINE3,
    STATIC_COLUMNS,
)
from alliancelab.models.order.params import Params


class State(mesa.Agent):
    """A state: its economy, effort and perceptions."""

    def __init__(self, model: OrderModel, index: int) -> None:
        super().__init__(model)
        c = model.c
        self.index = index
        self.gdp = float(c.gdp0[index])
        self.capability = float(c.capability0[index])
        self.share = self.planned = float(c.milex0[index] / c.gdp0[index])
        self.milex = float(c.milex0[index])
        self.bias = [math.exp(model.random.gauss(0, 1) * 0.3 - 0.045) for _ in range(c.n)]
        self.drift = float(c.growth_drift[index]) * model.random.gauss(0, 1)  # the run's lasting growth deviation
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
        self.planned = self.share
        self.previous_milex, self.milex = self.milex, self.share * self.gdp

    def arm_estimated(self) -> None:
        """NOR's spending equation in shares, at rest in the start year (step.estimated_arms)."""
        m, c, t, i = self.model, self.model.c, self.model.t, self.index
        p, g = m.p, m.g
        friends = 0.0
        for link in m.links_of[i]:
            friends += m.credibility[link] * c.commitment[t, link] * m.states[int(c.link_defender[link])].milex
        foes = 0.0
        for other in m.states:
            j = other.index
            if j == i:
                continue
            rival = min(1.0, c.baseline[t, m.pair_of[min(i, j), max(i, j)]] / p.rivalry_hostility)
            if rival > 0:
                foes += rival * c.threat_weight[t, i, j] * self.bias[j] * other.milex * (1 - p.restraint * m.anchor[j])
        scale = c.gdp0[i] / self.gdp / 1e6
        drive = g[1] * m.threat[i] + g[2] * math.log1p(friends * scale) + g[3] * math.log1p(foes * scale)
        if t == 0:
            self.base, self.fear0, self.esc0, self.escalated = drive, self.fear, m.escalation[i], m.escalation[i]
        share0 = c.milex0[i] / c.gdp0[i]
        anchor = share0 + c.posture[t, i] - c.posture[0, i] + p.abandonment_reaction * (self.fear - self.fear0)
        anchor = max(anchor, c.share_min[i])
        rho = min(max(g[0], 0.0), MAX_PERSISTENCE)
        change = (1 - rho) * math.log(anchor / self.share) + drive - self.base + g[4] * (self.escalated - self.esc0)
        planned = min(max(self.share * math.exp(change), c.share_min[i]), c.share_max[i])
        residual = c.volatility[i] * m.random.gauss(0, 1) if t > 0 else 0.0  # the yearly residual
        new = min(max(planned * math.exp(residual), c.share_min[i]), c.share_max[i])
        self.previous_share, self.share, self.planned = self.share, new, planned
        self.previous_milex, self.milex = self.milex, self.share * self.gdp

    def grow(self) -> None:
        m, c, t, i = self.model, self.model.c, self.model.t, self.index
        self.capability = (1 - c.depreciation[i]) * self.capability + self.milex
        shock = self.drift + m.p.growth_noise * m.random.gauss(0, 1)
        self.gdp *= 1 + c.growth[t, i] + c.projected[t, i] * shock


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
        self.estimated = p.equations == "estimated"
        if self.estimated:  # this run's draw of the estimated coefficients: b = b̂ + chol(V) z
            z = [self.random.gauss(0, 1) for _ in range(len(c.hazard_mean) + len(c.spending_mean))]
            self.b = c.hazard_mean + c.hazard_chol @ np.array(z[: len(c.hazard_mean)])
            self.g = c.spending_mean + c.spending_chol @ np.array(z[len(c.hazard_mean) :])
            self.peace = [float(v) for v in c.peace0]
            self.pair_of = {(int(i), int(j)): k for k, (i, j) in enumerate(zip(c.pair_i, c.pair_j, strict=True))}

    def estimated_hazard(self) -> list[float]:
        """Stage 1 on this year's state: the MID-onset logit per pair (step.estimated_hazard)."""
        c, p, t, b = self.c, self.p, self.t, self.b
        static = [b[col] for col in STATIC_COLUMNS]
        out = []
        for k, (i, j) in enumerate(zip(c.pair_i, c.pair_j, strict=True)):
            gi, gj = self.states[i].gdp, self.states[j].gdp
            z = sum(w * x for w, x in zip(static, c.hazard_x[t, k], strict=True))
            z += b[PREPONDERANCE] * max(gi, gj) / (gi + gj)
            z += b[RIVALRY] * min(self.hostility[int(i), int(j)] / p.rivalry_hostility, 1.0)
            py = self.peace[k]
            basis = c.spline[int(min(py, len(c.spline) - 1))]
            z += b[PEACE_YEARS] * py + b[SPLINE1] * basis[0] + b[SPLINE2] * basis[1] + b[SPLINE3] * basis[2]
            out.append(1 / (1 + math.exp(-z)))
        return out

    def escalation_q(self, k: int, i: int, j: int) -> float:
        c, p, t = self.c, self.p, self.t
        deterrence = 1 - p.escalation_deterrence * max(self.anchor[i], self.anchor[j])
        return p.escalation_base * deterrence * (1 - p.escalation_teeth * c.teeth[t, k])

    def step(self) -> None:
        c, p, t = self.c, self.p, self.t
        if self.estimated:  # this year's hazard drives this year's spending
            links, cred = self.links_of, self.credibility
            self.anchor = [min(1.0, sum(cred[m] * c.commitment[t, m] for m in links[s])) for s in range(c.n)]
            hazard = self.estimated_hazard()
            safe, safe_esc = [0.0] * c.n, [0.0] * c.n
            for k, (i, j) in enumerate(zip(c.pair_i, c.pair_j, strict=True)):
                q = self.escalation_q(k, int(i), int(j))
                for s in (i, j):
                    safe[s] += math.log1p(-hazard[k])
                    safe_esc[s] += math.log1p(-hazard[k] * q)
            self.threat = [1 - math.exp(v) for v in safe]
            self.escalation = [1 - math.exp(v) for v in safe_esc]
        self.agents.do("perceive")
        self.agents.do("arm_estimated" if self.estimated else "arm")
        crises = [0] * c.n
        escalated = [0] * c.n
        events = {}
        for k, (i, j) in enumerate(zip(c.pair_i, c.pair_j, strict=True)):
            a, b = self.states[i], self.states[j]
            if self.estimated:
                u = self.random.random()
                crisis = u < hazard[k]
                escalation = u < hazard[k] * self.escalation_q(k, int(i), int(j))
                self.peace[k] = 0.0 if crisis else self.peace[k] + 1
            else:
                gi, gj = a.milex / a.previous_milex - 1, b.milex / b.previous_milex - 1
                race = max(min(gi, gj), 0.0)
                parity = min(a.capability, b.capability) / max(a.capability, b.capability, 1e-9)
                h = self.hostility[int(i), int(j)]
                z = c.hazard_static[t, k] + p.hazard_hostility * h + p.hazard_race * race + p.hazard_parity * parity
                crisis = self.random.random() < 1 / (1 + math.exp(-z))
                teeth = 1 - p.escalation_teeth * c.teeth[t, k]
                escalation = crisis and self.random.random() < p.escalation_base * teeth
            events[int(i), int(j)] = (crisis, escalation, a, b)
            if crisis:
                crises[i] += 1
                crises[j] += 1
                self.crises_total += 1
            if escalation:
                escalated[i] = escalated[j] = 1
        if self.estimated:
            for s in self.states:
                s.escalated = escalated[s.index]
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
            build = max(a.planned / a.previous_share - 1, 0) + max(b.planned / b.previous_share - 1, 0)
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
