"""Analyses of a finished sweep: Sobol' and Morris sensitivity (SALib) and PRIM scenario discovery
(EMA Workbench).

Sobol' indices: first order S1 (the share of an indicator's variance an input explains alone),
total ST (alone and in all interactions) and second order S2 (pairs), from the Saltelli design
with Jansen/Saltelli estimators and bootstrap confidence intervals (Sobol' 2001, "Global
sensitivity indices for nonlinear mathematical models and their Monte Carlo estimates",
Mathematics and Computers in Simulation 55: 271-280; Saltelli et al. 2010, CPC 181: 259-270).
Morris elementary effects: μ* (mean absolute effect, with its interval) and σ (spread: nonlinearity
or interactions) (Morris 1991; Campolongo, Cariboni & Saltelli 2007, "An effective screening
design for sensitivity analysis of large models", Env. Modelling & Software 22: 1509-1518).
The indicator analysed at each design point is its mean over the point's replicates.

PRIM, the patient rule induction method (Friedman & Fisher 1999, "Bump hunting in
high-dimensional data", Statistics and Computing 9: 123-143), used for scenario discovery as in
Bryant & Lempert (2010), "Thinking inside the box", Technological Forecasting & Social Change 77:
34-49, via the EMA Workbench (Kwakkel 2017, Env. Modelling & Software 96: 239-250). Coverage is
the share of all cases of interest inside a box, density the share of the box's cases that are
of interest.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from alliancelab.errors import AnalysisError, suggest
from alliancelab.experiments.condition import evaluate_condition

__all__ = [
    "AnalysisError",
    "Discovery",
    "SamplingWarning",
    "discover",
    "indicator_names",
    "morris_indices",
    "salib_seed",
    "sobol_indices",
    "sobol_warnings",
]


def indicator_names(ds: xr.Dataset) -> list[str]:
    """The indicators a sweep store holds, in the experiment's order."""
    order = [i["name"] for i in json.loads(ds.attrs["experiment"])["indicator"]]
    return [n for n in order if n in ds.data_vars]


def _point_means(ds: xr.Dataset, indicator: str, scenario: str | None) -> np.ndarray:
    names = indicator_names(ds)
    if indicator not in names:
        raise AnalysisError(f"no indicator {indicator!r} in the store; " + suggest(indicator, names))
    scenarios = [str(s) for s in ds["scenario"].values]
    sc = scenarios[0] if scenario is None else scenario
    if sc not in scenarios:
        raise AnalysisError(f"no scenario {sc!r} in the store; " + suggest(sc, scenarios))
    _require_finished(ds)
    v = ds[indicator].sel(scenario=sc).values
    if np.isnan(v).any():
        bad = int(np.isnan(v).any(axis=1).sum())
        raise AnalysisError(
            f"{bad} design points of {sc} have runs the engine flagged (see the store's 'status'); "
            "a sensitivity analysis needs every point: narrow the input ranges that produce them"
        )
    return np.asarray(v.mean(axis=1))


def _require_finished(ds: xr.Dataset) -> None:
    done = ds["done"].values
    if not done.all():
        why = f"the sweep is unfinished: {int(done.sum())} of {done.size} chunks done"
        raise AnalysisError(
            f"{why}; run the same sweep again to finish it (it resumes)",
            command_line=f"{why}; run the same `alliancelab sweep` command again to finish it",
        )


def salib_seed(seed: int) -> int:
    """The seed handed to SALib's analysers for ``seed``: SALib (1.5) tests ``if seed:``, so a seed
    of 0 would leave its bootstrap intervals unseeded and different on every call; this maps every
    seed, 0 included, to a distinct odd (never 0) number from NumPy's ``SeedSequence``.

    >>> salib_seed(0) == salib_seed(0) and salib_seed(0) != salib_seed(1) and salib_seed(0) % 2 == 1
    True
    """
    return int(np.random.SeedSequence([seed, 0x5A11B]).generate_state(1, np.uint32)[0]) | 1


def sobol_indices(
    ds: xr.Dataset,
    indicator: str,
    scenario: str | None = None,
    conf_level: float = 0.95,
    num_resamples: int = 1000,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """First and total order (``S1``, ``S1_conf``, ``ST``, ``ST_conf`` per input, ranked by ST) and
    second order (``S2``, ``S2_conf`` per pair) Sobol' indices; needs a ``saltelli`` sweep."""
    if ds.attrs.get("sampler") != "saltelli":
        raise AnalysisError(
            f"Sobol' indices need a sweep with sampler 'saltelli'; {_ACCEPTS}; this one used "
            f"{ds.attrs.get('sampler')!r}"
        )
    from SALib.analyze import sobol

    y = _point_means(ds, indicator, scenario)
    prob = json.loads(ds.attrs["problem"])
    second = bool(json.loads(ds.attrs["experiment"])["experiment"].get("second_order", True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # constant outputs give 0/0 in the estimators
        si = sobol.analyze(
            prob, y, calc_second_order=second, conf_level=conf_level, num_resamples=num_resamples, seed=salib_seed(seed)
        )
    names = prob["names"]
    first = pd.DataFrame(
        {"S1": si["S1"], "S1_conf": si["S1_conf"], "ST": si["ST"], "ST_conf": si["ST_conf"]}, index=names
    )
    first.index.name = "input"
    first = first.sort_values("ST", ascending=False)
    rows = []
    if second:
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                rows.append((names[i], names[j], si["S2"][i, j], si["S2_conf"][i, j]))
    pairs = pd.DataFrame(rows, columns=["input_1", "input_2", "S2", "S2_conf"])
    if np.isnan(first[["S1", "ST"]].to_numpy()).any():
        raise AnalysisError(f"{indicator!r} does not vary over the design: its variance is 0, so no index is defined")
    found = sobol_warnings(first, pairs, int(json.loads(ds.attrs["experiment"])["experiment"]["samples"]))
    first.attrs["warnings"] = found
    for message in found:
        warnings.warn(f"{indicator}: {message}", SamplingWarning, stacklevel=2)
    return first, pairs


#: Which analysis takes which sampler.
_ACCEPTS = "Sobol' indices take 'saltelli', Morris screening 'morris', PRIM (discover) any sampler"


class SamplingWarning(UserWarning):
    """Indices estimated from too few samples to be stable."""


def sobol_warnings(first: pd.DataFrame, pairs: pd.DataFrame, samples: int) -> list[str]:
    """Signs that a Sobol' sample is too small for stable indices (Saltelli et al. 2010).

    By definition 0 ≤ S1 ≤ ST and S2 ≥ 0; estimates that break these by more than their own
    confidence interval, or whose interval is wider than the index itself, say the sample is
    too small: the remedy is more ``samples`` (a power of two) in the experiment file.
    """
    found = []
    over = first.index[(first["S1"] - first["ST"]) > (first["S1_conf"] + first["ST_conf"])]
    if len(over):
        found.append(f"S1 exceeds ST beyond their intervals for {list(over)}")
    if len(pairs):
        negative = pairs[pairs["S2"] + pairs["S2_conf"] < 0]
        if len(negative):
            found.append(f"{len(negative)} second-order indices are negative beyond their intervals")
    wide = first.index[(first["ST"] > 0.01) & (first["ST_conf"] > first["ST"])]
    if len(wide):
        found.append(f"the total-order intervals are wider than the indices for {list(wide)}")
    if found:
        found.append(f"{samples} base samples are too few for stable indices: raise 'samples' (e.g. to {4 * samples})")
    return found


def morris_indices(
    ds: xr.Dataset, indicator: str, scenario: str | None = None, conf_level: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """Morris screening: ``mu``, ``mu_star``, ``mu_star_conf``, ``sigma`` per input, ranked by μ*;
    needs a ``morris`` sweep."""
    if ds.attrs.get("sampler") != "morris":
        raise AnalysisError(
            f"Morris screening needs a sweep with sampler 'morris'; {_ACCEPTS}; this one used "
            f"{ds.attrs.get('sampler')!r}"
        )
    from SALib.analyze import morris

    y = _point_means(ds, indicator, scenario)
    prob = json.loads(ds.attrs["problem"])
    x = ds["design"].values
    levels = int(json.loads(ds.attrs["experiment"])["experiment"].get("levels", 4))
    si = morris.analyze(prob, x, y, num_levels=levels, conf_level=conf_level, seed=salib_seed(seed))
    out = pd.DataFrame(
        {"mu": si["mu"], "mu_star": si["mu_star"], "mu_star_conf": si["mu_star_conf"], "sigma": si["sigma"]},
        index=prob["names"],
    )
    out.index.name = "input"
    return out.sort_values("mu_star", ascending=False)


@dataclass
class Discovery:
    """PRIM's result: the peeling trajectory (coverage, density, mass, restricted dimensions per
    step) and, per box found, its limits on the inputs it restricts."""

    condition: str
    cases: int
    of_interest: int
    trajectories: list[pd.DataFrame]
    chosen: list[int]  # per box, the step of its trajectory that is the box
    boxes: list[pd.DataFrame]
    stats: pd.DataFrame


def discover(
    ds: xr.Dataset,
    where: str,
    scenario: str | None = None,
    threshold: float = 0.8,
    peel_alpha: float = 0.05,
    max_boxes: int = 1,
) -> Discovery:
    """PRIM boxes over the varied inputs that explain when ``where`` holds.

    ``where`` is a condition over the indicator names (:mod:`alliancelab.experiments.condition`:
    numbers, arithmetic, comparisons, and/or/not), e.g. ``"jpn_share_2020 > 0.02"``, computed for
    every run (point × replicate); ``threshold`` is the density PRIM must reach.
    """
    _require_finished(ds)
    names = indicator_names(ds)
    scenarios = [str(s) for s in ds["scenario"].values]
    picked = scenarios if scenario is None else [scenario]
    for s in picked:
        if s not in scenarios:
            raise AnalysisError(f"no scenario {s!r} in the store; " + suggest(s, scenarios))
    sub = ds.sel(scenario=picked)
    R = sub.sizes["replicate"]
    table = pd.DataFrame({n: sub[n].values.reshape(-1) for n in names})
    y = _condition(table, where, names)
    inputs = [str(i) for i in ds["input"].values]
    design = ds["design"].values
    x = pd.DataFrame(np.tile(np.repeat(design, R, axis=0), (len(picked), 1)), columns=inputs)
    if len(picked) > 1:
        x["scenario"] = pd.Categorical(np.repeat(picked, len(design) * R))
    ok = sub["status"].values.reshape(-1) == 0
    x, y = x[ok].reset_index(drop=True), y[ok]
    n_yes = int(y.sum())
    if n_yes == 0 or n_yes == len(y):
        raise AnalysisError(
            f"{where!r} holds in {n_yes} of {len(y)} runs: PRIM needs runs where it holds and runs where it does not"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the workbench warns about optional parallel back-ends on import
        from ema_workbench.analysis import prim

        p = prim.Prim(x, y, threshold=threshold, peel_alpha=peel_alpha)
        trajectories: list[pd.DataFrame] = []
        chosen: list[int] = []
        boxes: list[pd.DataFrame] = []
        stats: list[dict[str, Any]] = []
        for k in range(max_boxes):
            box = p.find_box()
            if box is None:
                break
            traj = box.peeling_trajectory.copy()
            trajectories.append(traj)
            chosen.append(int(box._cur_box))
            row = traj.iloc[box._cur_box]
            lims = box.box_lims[box._cur_box]
            restricted = _restricted(lims, x)
            boxes.append(restricted.assign(box=k + 1))
            stats.append(
                {
                    "box": k + 1,
                    "coverage": float(row["coverage"]),
                    "density": float(row["density"]),
                    "mass": float(row["mass"]),
                    "restricted": int(row["res_dim"]),
                }
            )
            if row["density"] < threshold:
                break
    return Discovery(where, len(y), n_yes, trajectories, chosen, boxes, pd.DataFrame(stats))


def _condition(table: pd.DataFrame, where: str, names: list[str]) -> np.ndarray:
    """The condition's truth per run: parsed by :mod:`.condition`, never evaluated as code."""
    return evaluate_condition(where, {n: table[n].to_numpy() for n in names})


def _restricted(lims: pd.DataFrame, x: pd.DataFrame) -> pd.DataFrame:
    """The inputs a box limits, with its bounds and the input's full range."""
    rows = []
    for col in lims.columns:
        lo, hi = lims[col].iloc[0], lims[col].iloc[1]
        if isinstance(lo, set) or col == "scenario":
            values = sorted(map(str, lo)) if isinstance(lo, set) else [str(lo)]
            if len(values) < x[col].nunique():
                rows.append({"input": col, "low": np.nan, "high": np.nan, "values": ", ".join(values)})
            continue
        full_lo, full_hi = float(x[col].min()), float(x[col].max())
        if lo > full_lo or hi < full_hi:
            rows.append(
                {"input": col, "low": float(lo), "high": float(hi), "range_low": full_lo, "range_high": full_hi}
            )
    return pd.DataFrame(rows)
