"""The one entry point: ``simulate(scenario, runs=…, years=…, seed=…)`` → ``xarray.Dataset``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from alliancelab.engine.backends import get_backend
from alliancelab.engine.ensemble import check_int, run_ensemble
from alliancelab.engine.ensemble import run_rows as engine_rows
from alliancelab.engine.manifest import dumps
from alliancelab.engine.outputs import select_outputs
from alliancelab.errors import ParameterError
from alliancelab.measures.order import ORDER_TYPES
from alliancelab.models.order.compile import Compiled, compile_scenario
from alliancelab.models.order.family import ORDER
from alliancelab.models.order.manifest import build_manifest
from alliancelab.models.order.outputs import OUTPUTS
from alliancelab.models.order.params import Params
from alliancelab.scenario.load import load_scenario
from alliancelab.scenario.model import Scenario

__all__ = ["run_rows", "simulate"]


def simulate(
    scenario: Scenario | str | Path,
    *,
    runs: int = 1000,
    years: int | None = None,
    seed: int = 0,
    params: Params | str | Path | None = None,
    keep: str | Sequence[str] | None = None,
    workers: int = 1,
    backend: str = "numba",
    chunk_blocks: int | None = None,
    throw: bool = True,
    progress: Callable[[int], None] | None = None,
    max_memory: int | None = None,
    copies_after: float = 0.0,
    reserve_bytes: int = 0,
) -> xr.Dataset:
    """Run a scenario as a Monte Carlo ensemble of ``runs`` runs for ``years`` years.

    Parameters
    ----------
    scenario : a :class:`~alliancelab.scenario.Scenario`, a preset name or a TOML path.
    runs : ensemble size.
    years : horizon; default the scenario's ``years``.
    seed : the explicit seed. Run ``r`` depends only on ``(seed, r)``: the result is identical
        whatever ``runs``, the chunking or ``workers``.
    params : behavioural parameters and mechanism switches (:class:`Params`), or the name of a
        parameter set (``"estimated"``, the default; ``"illustrative"``; one saved by
        ``calibrate``) or a ``.toml`` file of one.
    keep : outputs to keep: None/"all", groups ("actor", "alliance", "dyad", "region") and/or
        output names. The dyadic outputs are the heavy part (N² per run-year).
    workers : threads (numba) or processes (numpy, jax) to spread the blocks over.
    backend : "numba" (default: the step, region measures and checks fused in one compiled
        kernel, :mod:`alliancelab.models.order.kernel`; compiled once and cached on first use), "numpy"
        (the reference step, :mod:`alliancelab.models.order.step`) or "jax" (the same step
        jit-compiled; needs ``jax`` installed). All share the random streams and agree to float32
        rounding.
    chunk_blocks : canonical blocks of 1024 runs per task for NumPy and JAX (default 1 for
        NumPy, which keeps the working set in cache; JAX computes aligned groups of 16 blocks, so
        its chunks are rounded up to whole groups); the numba backend splits the runs into spans
        of at most a block, several per thread. Never changes the result.
    throw : raise :class:`SimulationError` on the first run with a non-finite or out-of-bounds
        value; with False, keep going and report per run in the ``status`` variable.
    progress : called with the number of runs finished after each chunk or span.
    max_memory : the most bytes the process may hold at its estimated peak (default: 80 % of
        physical memory); a larger request is refused before anything runs.
    copies_after : copies of the outputs the caller will make after the run (writing NetCDF
        takes about one), and ``reserve_bytes`` more (what else the caller will load), counted in
        the estimated peak.

    Returns
    -------
    xarray.Dataset with dimensions ``run``, ``year``, ``actor``, ``other``, ``link``; the
    manifest is in ``attrs["manifest"]`` (JSON).

    Examples
    --------
    >>> ds = simulate("asia-pacific-2001", runs=8, years=5, seed=1)
    >>> ds["share"].sizes["run"], int(ds.year[0]), str(ds.actor[0].values)
    (8, 2001, 'usa')
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    runs = check_int("runs", runs, 1)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    workers = check_int("workers", workers, 1, 256)
    if years is not None:
        years = check_int("years", years, 1, 200)
    if isinstance(params, (str, Path)):  # a named set ("estimated", "illustrative", a saved fit) or a .toml file
        from alliancelab.models.order.paramsets import load_params

        params = load_params(str(params))
    if params is not None and not isinstance(params, Params):
        raise ParameterError(
            "params",
            "simulate",
            "a Params instance (see make_params), a set's name or a .toml file",
            type(params).__name__,
        )
    get_backend(backend)
    if chunk_blocks is not None:
        chunk_blocks = check_int("chunk_blocks", chunk_blocks, 1)
    p = params or Params()
    names = select_outputs(OUTPUTS, keep)
    comp = compile_scenario(sc, p, years)
    ens = run_ensemble(
        ORDER,
        comp,
        p,
        runs=runs,
        seed=seed,
        names=names,
        workers=workers,
        backend=backend,
        chunk_blocks=chunk_blocks,
        throw=throw,
        progress=progress,
        max_memory=max_memory,
        copies_after=copies_after,
        reserve_bytes=reserve_bytes,
    )
    return _dataset(comp, sc, p, ens.store, ens.status, ens.fail_year, ens.options)


def _dataset(
    c: Compiled,
    sc: Scenario,
    p: Params,
    store: dict[str, np.ndarray],
    status: np.ndarray,
    fail_year: np.ndarray,
    options: dict[str, Any],
) -> xr.Dataset:
    runs = len(status)
    dims = {
        "actor": ("run", "year", "actor"),
        "alliance": ("run", "year", "link"),
        "dyad": ("run", "year", "actor", "other"),
        "region": ("run", "year"),
    }
    data_vars = {}
    for name, arr in store.items():
        o = OUTPUTS[name]
        attrs: dict[str, object] = {"units": o.units, "long_name": o.description, "mechanism": o.mechanism}
        if name == "order":
            attrs["flag_values"] = list(range(len(ORDER_TYPES)))
            attrs["flag_meanings"] = " ".join(t.replace(" ", "_") for t in ORDER_TYPES)
        data_vars[name] = xr.Variable(dims[o.group], arr, attrs)
    status_names = ["ok", *OUTPUTS]
    data_vars["status"] = xr.Variable(
        ("run",),
        status,
        {
            "long_name": "0 = ok, else 1 + index of the first failing output",
            "flag_meanings": " ".join(status_names),
        },
    )
    data_vars["fail_year"] = xr.Variable(("run",), np.where(fail_year >= 0, c.years[np.maximum(fail_year, 0)], -1))
    link_label = [
        f"{a}:{c.ids[d]}<-{c.ids[g]}" for a, d, g in zip(c.link_alliance, c.link_defended, c.link_defender, strict=True)
    ]
    coords = {
        "run": np.arange(runs),
        "year": c.years,
        "actor": list(c.ids),
        "other": list(c.ids),
        "actor_name": ("actor", list(c.names)),
        "link": link_label,
        "link_alliance": ("link", list(c.link_alliance)),
        "link_defended": ("link", [c.ids[d] for d in c.link_defended]),
        "link_defender": ("link", [c.ids[g] for g in c.link_defender]),
    }
    manifest = build_manifest(sc, p, options)
    attrs = {
        "title": f"alliancelab simulation of {sc.name}",
        "scenario": sc.name,
        "scenario_hash": manifest["scenario_hash"],
        "seed": options["seed"],
        "alliancelab_version": manifest["alliancelab"],
        "order_types": ", ".join(f"{k}: {t}" for k, t in enumerate(ORDER_TYPES)),
        "manifest": dumps(manifest),
    }
    return xr.Dataset(data_vars, coords=coords, attrs=attrs)


def run_rows(
    c: Compiled,
    p: Params,
    seed: int,
    rows: int,
    keep: tuple[str, ...],
    limit_threads: bool = True,
    backend: str = "numba",
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """:func:`alliancelab.engine.run_rows` for the order model: runs ``0 … rows − 1`` of a compiled
    scenario, dyadic outputs in pair form."""
    return engine_rows(ORDER, c, p, seed, rows, keep, limit_threads, backend)
