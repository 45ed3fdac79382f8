"""Evaluate design points: apply the inputs to a scenario and parameters, run the replicates,
compute the indicators. Pure functions of their arguments, so a chunk gives the same numbers in
any process, on any worker of a cluster.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from alliancelab.experiments.spec import Indicator, Input
from alliancelab.models.order.compile import Compiled, compile_scenario
from alliancelab.models.order.outputs import OUTPUTS
from alliancelab.models.order.params import Params
from alliancelab.models.order.simulate import run_rows
from alliancelab.scenario.model import Scenario, Shock

__all__ = ["ChunkTask", "apply_inputs", "evaluate_chunk", "indicator_values"]


@dataclass(frozen=True)
class ChunkTask:
    """One chunk: points ``[first, first + len(points))`` of scenario number ``scenario``."""

    scenario: int
    first: int
    points: np.ndarray  # (n, inputs)
    base: Scenario
    params: Params
    inputs: tuple[Input, ...]
    indicators: tuple[Indicator, ...]
    years: int
    replicates: int
    seed: int


def apply_inputs(base: Scenario, params: Params, inputs: tuple[Input, ...], x: np.ndarray) -> tuple[Scenario, Params]:
    """The scenario and parameters at point ``x``: parameter inputs replace the parameter, lever
    inputs set a shock from their year (the scenario's start by default), in place of the
    scenario's own shock on that lever, target and year if it has one. Values were checked
    against the parameter and lever ranges when the experiment was loaded."""
    updates: dict[str, float] = {}
    shocks = list(base.shock)
    moved = False
    for inp, v in zip(inputs, x.tolist(), strict=True):
        if inp.param is not None:
            updates[inp.param] = v
        else:
            target = tuple(inp.target) if isinstance(inp.target, list) else inp.target
            year = base.start if inp.year is None else inp.year
            shocks = [s for s in shocks if (s.year, s.lever, s.target) != (year, str(inp.lever), target)]
            shocks.append(Shock(year=year, lever=str(inp.lever), target=target, value=v, note="experiment input"))
            moved = True
    sc = base.model_copy(update={"shock": shocks}) if moved else base
    p = Params.model_validate({**params.model_dump(), **updates}) if updates else params
    return sc, p


def _outputs_needed(indicators: tuple[Indicator, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ind.output for ind in indicators))


def indicator_values(c: Compiled, records: dict[str, np.ndarray], ind: Indicator) -> np.ndarray:
    """One indicator for every replicate, (replicates,) float64, from run outputs (years, rows, ...)."""
    t = len(c.years) - 1 if ind.year is None else int(np.flatnonzero(c.years == ind.year)[0])
    v = records[ind.output][t]
    group = OUTPUTS[ind.output].group
    if group == "actor":
        v = v[:, c.ids.index(str(ind.actor))]
    elif group == "dyad":
        assert ind.pair is not None
        i, j = sorted((c.ids.index(ind.pair[0]), c.ids.index(ind.pair[1])))
        k = int(np.flatnonzero((c.pair_i == i) & (c.pair_j == j))[0])
        v = v[:, k]
    elif group == "alliance":
        v = v[:, _link_index(c, str(ind.link))]
    return np.asarray(v, dtype=np.float64)


def _link_index(c: Compiled, link: str) -> int:
    """An alliance link by ``alliance`` id (its first link) or ``alliance:defended<-defender``."""
    labels = [
        f"{a}:{c.ids[d]}<-{c.ids[g]}" for a, d, g in zip(c.link_alliance, c.link_defended, c.link_defender, strict=True)
    ]
    if link in labels:
        return labels.index(link)
    if link in c.link_alliance:
        return list(c.link_alliance).index(link)
    from alliancelab.errors import ParameterError, suggest

    raise ParameterError("link", "indicator", "an alliance id or link label; " + suggest(link, labels), link)


def evaluate_chunk(task: ChunkTask) -> tuple[np.ndarray, np.ndarray]:
    """Indicator values (points, replicates, indicators) and engine status (points, replicates).

    A run the engine flags (non-finite or out-of-bounds values) gets NaN indicators and its status
    code, never a silent number.
    """
    keep = _outputs_needed(task.indicators)
    n, R, K = len(task.points), task.replicates, len(task.indicators)
    values = np.empty((n, R, K), np.float64)
    status = np.zeros((n, R), np.int8)
    with threadpool_limits(limits=1, user_api="blas"):  # as the engine's chunks do: fixed sums
        for k, x in enumerate(task.points):
            sc, p = apply_inputs(task.base, task.params, task.inputs, x)
            c = compile_scenario(sc, p, task.years)
            records, st, _ = run_rows(c, p, task.seed, R, keep, limit_threads=False)
            for m, ind in enumerate(task.indicators):
                values[k, :, m] = indicator_values(c, records, ind)
            values[k][st != 0] = np.nan
            status[k] = st
    return values, status
