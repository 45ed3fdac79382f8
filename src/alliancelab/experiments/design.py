"""Sampling designs: full-factorial grid, Latin hypercube, Saltelli (Sobol') and Morris, via SALib.

Each sampler returns the points as an array (point, input) in the inputs' own units.
Saltelli's scheme gives N(2D + 2) points with second-order indices (N(D + 2) without), Morris
N(D + 1) points (N trajectories), a grid the product of the input levels.

Saltelli, A. (2002), "Making best use of model evaluations to compute sensitivity indices",
Computer Physics Communications 145(2): 280-297; Saltelli et al. (2010), "Variance based
sensitivity analysis of model output. Design and estimator for the total sensitivity index",
CPC 181(2): 259-270. Morris, M. D. (1991), "Factorial Sampling Plans for Preliminary
Computational Experiments", Technometrics 33(2): 161-174. McKay, Beckman & Conover (1979), "A
Comparison of Three Methods for Selecting Values of Input Variables in the Analysis of Output
from a Computer Code", Technometrics 21(2): 239-245. Herman & Usher (2017), "SALib: An
open-source Python library for Sensitivity Analysis", JOSS 2(9): 97.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from alliancelab.experiments.spec import Experiment

__all__ = ["problem", "sample"]


def problem(exp: Experiment) -> dict[str, Any]:
    """The SALib problem: names, bounds and distributions of the inputs."""
    bounds: list[list[float]] = []
    dists: list[str] = []
    for inp in exp.input:
        lo, hi = inp.bounds
        if inp.dist == "triangular":
            assert inp.mode is not None
            bounds.append([lo, hi, (inp.mode - lo) / (hi - lo)])
            dists.append("triang")
        else:
            bounds.append([lo, hi])
            dists.append("unif")
    return {"num_vars": len(exp.input), "names": exp.input_names, "bounds": bounds, "dists": dists}


def sample(exp: Experiment) -> np.ndarray:
    """The design's points, (points, inputs), float64; deterministic in the experiment's seed.

    >>> from alliancelab.experiments.spec import experiment_from_dict
    >>> exp = experiment_from_dict({
    ...     "experiment": {"name": "g", "scenarios": ["asia-pacific-2001"], "sampler": "grid", "levels": 3},
    ...     "input": [{"param": "burden", "range": [0.0, 1.0]}, {"param": "adjustment", "values": [0.2, 0.4]}],
    ...     "indicator": [{"name": "ari", "output": "arms_race_index"}]})
    >>> sample(exp).tolist()
    [[0.0, 0.2], [0.0, 0.4], [0.5, 0.2], [0.5, 0.4], [1.0, 0.2], [1.0, 0.4]]
    """
    meta = exp.experiment
    prob = problem(exp)
    if meta.sampler == "grid":
        axes = [
            list(inp.values) if inp.values is not None else np.linspace(*inp.bounds, meta.levels).tolist()
            for inp in exp.input
        ]
        return np.array(list(itertools.product(*axes)), dtype=np.float64).reshape(-1, len(exp.input))
    if meta.sampler == "lhs":
        from SALib.sample import latin

        return np.asarray(latin.sample(prob, meta.samples, seed=meta.seed), dtype=np.float64)
    if meta.sampler == "saltelli":
        from SALib.sample import sobol

        pts = sobol.sample(prob, meta.samples, calc_second_order=meta.second_order, seed=meta.seed)
        return np.asarray(pts, dtype=np.float64)
    from SALib.sample import morris

    return np.asarray(morris.sample(prob, meta.samples, num_levels=meta.levels, seed=meta.seed), dtype=np.float64)
