"""Do the order labels mean what they say? The typology's thresholds against the model's own crises.

The order type (:func:`alliancelab.measures.order.classify_order`) reads structure: capability
shares, the alliance network, great-power hostility, institutions. Deutsch's security community
is also a matter of behaviour — "dependable expectations of peaceful change" (Deutsch et al.
1957): no militarized disputes among its members — and a concert of great powers that fight is
none. Two checks, from one ensemble:

- **labels against crises**: of the run-years labelled *concert* or *security community*, the
  share with a crisis among the great powers that year, and within the :data:`MEMORY` years
  before (a label the behaviour contradicts is reported, not hidden);
- **the thresholds' sensitivity**: each of the eight assumed thresholds moved by ±``delta``
  (relative, kept in [0, 1]) and the order-type shares recomputed. The labels do not feed back
  into the dynamics, so each variant reruns the same runs (same seed) and differs only in its
  labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelab.measures.order import ORDER_TYPES, OrderThresholds
from alliancelab.models.order.compile import compile_scenario
from alliancelab.models.order.params import Params
from alliancelab.models.order.region import great_power_context
from alliancelab.scenario import Scenario, load_scenario

__all__ = ["MEMORY", "OrderCheck", "check_order_labels"]

#: Years before a labelled year in which a great-power crisis still contradicts the label.
MEMORY = 5
#: The labels that claim peace among the great powers.
PEACEFUL = ("concert", "security community")


@dataclass(frozen=True)
class OrderCheck:
    """The two checks on one scenario's ensemble."""

    scenario: str
    runs: int
    years: int
    great_powers: tuple[str, ...]
    #: label, run_years, share of all run-years, with a great-power crisis that year, within MEMORY years
    labels: pd.DataFrame
    #: threshold, value, then one column per order type: its share of run-years
    sensitivity: pd.DataFrame

    def verdict(self) -> list[str]:
        lines = [
            f"{self.scenario}: {self.runs} runs x {self.years} years; great powers "
            + ", ".join(self.great_powers)
            + "."
        ]
        for r in self.labels.itertuples():
            if r.label in PEACEFUL and r.run_years:
                row: Any = r
                lines.append(
                    f"'{row.label}' labels {100 * row.share:.0f} % of run-years; in "
                    f"{100 * row.crisis_that_year:.0f} % of them the great powers had a crisis that year, in "
                    f"{100 * row.crisis_within_memory:.0f} % within {MEMORY} years"
                    + (": the label's structure holds, its behaviour does not." if row.crisis_that_year > 0 else ".")
                )
        types = list(ORDER_TYPES)
        base = self.sensitivity.loc[self.sensitivity["threshold"] == "default", types].to_numpy(float)[0]
        moved = self.sensitivity[self.sensitivity["threshold"] != "default"]
        swing = np.abs(moved[types].to_numpy(float) - base).max(axis=1)
        top = moved.assign(swing=swing).nlargest(3, "swing")
        lines.append(
            "The thresholds that move the labels most (largest change in any type's share): "
            + "; ".join(
                f"{t} at {v:.2f}: {100 * w:.0f} pp"
                for t, v, w in zip(top["threshold"], top["value"], top["swing"], strict=True)
            )
            + "."
        )
        return lines


def _shares(order: np.ndarray) -> dict[str, float]:
    return {name: float((order == k).mean()) for k, name in enumerate(ORDER_TYPES)}


def check_order_labels(
    scenario: Scenario | str,
    runs: int = 200,
    years: int | None = None,
    seed: int = 0,
    params: Params | None = None,
    delta: float = 0.2,
) -> OrderCheck:
    """Both checks for ``scenario`` (a preset name or a scenario): labels against the great
    powers' crises, and each threshold moved by ±``delta``."""
    from alliancelab.models.order.simulate import simulate

    sc = load_scenario(scenario) if isinstance(scenario, str) else scenario
    base = params or Params()
    horizon = years or sc.scenario.years
    ds = simulate(sc, runs=runs, years=horizon, seed=seed, params=base, keep=("order", "crisis"), throw=False)
    ok = (ds["status"] == 0).to_numpy()
    order = ds["order"].to_numpy()[ok]  # (runs, years)
    c = compile_scenario(sc, base, horizon)
    gp, pairs, _, _ = great_power_context(c)  # pairs: indices into the scenario's pairs
    crisis = ds["crisis"].to_numpy()[ok]  # (runs, years, actor, other)
    gp_crisis = (
        crisis[:, :, c.pair_i[pairs], c.pair_j[pairs]].any(axis=2) if len(pairs) else np.zeros(order.shape, bool)
    )
    recent = np.zeros_like(gp_crisis)
    for t in range(order.shape[1]):
        recent[:, t] = gp_crisis[:, max(0, t - MEMORY) : t + 1].any(axis=1)
    rows = []
    for k, name in enumerate(ORDER_TYPES):
        hit = order == k
        n = int(hit.sum())
        rows.append(
            {
                "label": name,
                "run_years": n,
                "share": n / order.size,
                "crisis_that_year": float(gp_crisis[hit].mean()) if n else float("nan"),
                "crisis_within_memory": float(recent[hit].mean()) if n else float("nan"),
            }
        )
    sensitivity = [{"threshold": "default", "value": float("nan"), **_shares(order)}]
    for name in OrderThresholds.model_fields:
        for factor in (1 - delta, 1 + delta):
            value = float(np.clip(getattr(base, name) * factor, 0.0, 1.0))
            moved = base.model_copy(update={name: value})
            out = simulate(sc, runs=runs, years=horizon, seed=seed, params=moved, keep="order", throw=False)
            sensitivity.append({"threshold": name, "value": value, **_shares(out["order"].to_numpy()[ok])})
    ids = list(ds["actor"].to_numpy())
    return OrderCheck(
        scenario=sc.scenario.name,
        runs=int(ok.sum()),
        years=horizon,
        great_powers=tuple(ids[i] for i in gp),
        labels=pd.DataFrame(rows),
        sensitivity=pd.DataFrame(sensitivity),
    )
