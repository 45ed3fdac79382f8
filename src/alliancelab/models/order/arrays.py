"""The order model for the array backends (NumPy, JAX): the pure :func:`~.step.step` as a scan.

One carry per year: the :class:`~.step.State` and the perceptual bias, which is recomputed only
in years whose institutions or levers changed (eager backends skip the rest).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from alliancelab.engine.family import ArrayOps
from alliancelab.models.order.compile import Compiled, constants, year_stack
from alliancelab.models.order.noise import Draws
from alliancelab.models.order.params import Params
from alliancelab.models.order.region import ALWAYS, REGION, great_power_pairs, region
from alliancelab.models.order.state import initial_state
from alliancelab.models.order.step import Bias, Coefficients, Constants, YearInputs, perceptual_bias, step

__all__ = ["OrderArrays", "Plan"]


class Plan(NamedTuple):
    """The record fields to keep, where ``hostility_gp`` asks for hostility among ``gp_pairs``
    only (the order measure's input when the dyadic output is not kept): recording is a large
    share of the cost."""

    needed: tuple[str, ...]
    gp_pairs: tuple[int, ...]


class Static(NamedTuple):
    const: Constants
    z_ij: np.ndarray  # (runs, P) standardised perceptual bias of i about j
    z_ji: np.ndarray
    coef: Coefficients  # each run's estimated coefficients


def coefficients(c: Compiled, Zc: np.ndarray, Zt: np.ndarray) -> Coefficients:
    """Each run's coefficients, b = b̂ + chol(V) z, from its normals (runs, COEFS), and its lasting
    growth deviations τ z (runs, N), in float32."""
    h = len(c.hazard_mean)
    hz = c.hazard_mean[None] + Zc[:, :h] @ c.hazard_chol.T
    sp = c.spending_mean[None] + Zc[:, h:] @ c.spending_chol.T
    growth = (Zt * c.growth_drift[None]).astype(np.float32)
    return Coefficients(hazard=hz.astype(np.float32), spending=sp.astype(np.float32), growth=growth)


class OrderArrays:
    """The order model's :class:`~alliancelab.engine.family.ArrayProgram`."""

    def plan(self, c: Compiled, keep: tuple[str, ...]) -> Plan:
        recorded = [k for k in keep if k not in REGION]
        gp = "hostility" if "hostility" in keep else "hostility_gp"
        return Plan(tuple(dict.fromkeys([*recorded, *ALWAYS, gp])), great_power_pairs(c))

    def inputs(self, c: Compiled, draws: Draws, rows: int) -> tuple[Any, Any, Any]:
        Z, Zc, Zt, noise = draws
        state = initial_state(c, rows)
        P = c.n_pairs
        bias0 = Bias(*(np.zeros((rows, P), np.float32) for _ in Bias._fields))
        changed = np.asarray(c.changed, np.bool_).copy()
        changed[0] = True  # the first year computes the bias
        xs = (YearInputs(*year_stack(c)), noise, changed)
        return (state, bias0), xs, Static(constants(c), Z[:, 0], Z[:, 1], coefficients(c, Zc, Zt))

    def year(
        self, ops: ArrayOps, p: Params, plan: Plan, static: Static, carry: Any, xs: Any
    ) -> tuple[Any, dict[str, Any]]:
        xp = ops.xp
        state, bias = carry
        y, e, changed = xs
        bias = ops.reuse(changed, lambda: perceptual_bias(xp, y, static.z_ij, static.z_ji), bias)
        new, rec = step(xp, p, static.const, y, bias, state, e, static.coef)
        out = {name: getattr(rec, name) for name in plan.needed if name != "hostility_gp"}
        if "hostility_gp" in plan.needed:
            out["hostility_gp"] = rec.hostility[:, list(plan.gp_pairs)]
        return (new, bias), out

    def finish(self, c: Compiled, p: Params, records: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return region(c, p, records)
