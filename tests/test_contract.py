"""The engine's contract, for every model family and every backend.

Whatever the family (:class:`~alliancelab.engine.family.ModelFamily`) and the backend: the same
seed gives the same result; another seed another; a run never depends on how many runs share
the ensemble, on the chunking or on the number of workers; the backends agree to float32
rounding; valid inputs give no NaN and no value outside its bounds; and a failure names its
run, year, variable and mechanism.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import pytest

from alliancelab.engine import BLOCK, ModelFamily, available_backends, run_ensemble
from alliancelab.errors import SimulationError


class Case(NamedTuple):
    """A family with a valid compiled model, its parameters, and a model broken at a known place."""

    family: ModelFamily
    model: Callable[[], tuple[Any, Any]]
    broken: Callable[[], tuple[Any, Any]]
    failure: tuple[int, str, str]  # the first failing year, variable and mechanism of the broken model


def _order_model(years: int = 6) -> tuple[Any, Any]:
    from alliancelab.models.order.compile import compile_scenario
    from alliancelab.models.order.params import Params
    from alliancelab.scenario import load_scenario

    p = Params()
    return compile_scenario(load_scenario("us-retrenchment"), p, years), p


def _order_broken() -> tuple[Any, Any]:
    c, p = _order_model()
    growth = c.growth.copy()
    growth[3, 2] = np.nan  # the third state's growth in 2004: its GDP of 2005 is NaN
    return dataclasses.replace(c, growth=growth), p


def _cases() -> list[Case]:
    from alliancelab.models.order.family import ORDER

    return [Case(ORDER, _order_model, _order_broken, (2005, "gdp", "economy"))]


CASES = _cases()
BACKENDS = available_backends()


def _run(case: Case, backend: str, runs: int, seed: int = 11, model: Any = None, **kw: Any) -> Any:
    c, p = model or case.model()
    names = tuple(case.family.outputs)
    return run_ensemble(case.family, c, p, runs=runs, seed=seed, names=names, backend=backend, **kw)


def _same(a: Any, b: Any, rows: slice = slice(None)) -> None:
    for name in a.store:
        np.testing.assert_array_equal(a.store[name][rows], b.store[name][rows], err_msg=name)
    np.testing.assert_array_equal(a.status[rows], b.status[rows])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.family.name)
def test_the_same_seed_gives_the_same_result(case: Case, backend: str) -> None:
    a, b = _run(case, backend, 40), _run(case, backend, 40)
    _same(a, b)
    other = _run(case, backend, 40, seed=12)
    assert any(not np.array_equal(a.store[n], other.store[n]) for n in a.store)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.family.name)
def test_a_run_does_not_depend_on_the_ensemble_or_its_split(case: Case, backend: str) -> None:
    small = _run(case, backend, 30)
    big = _run(case, backend, BLOCK + 30)  # crosses a canonical block
    _same(small, big, slice(0, 30))
    split = _run(case, backend, BLOCK + 30, chunk_blocks=1)
    _same(big, split)
    if backend != "jax":  # JAX's workers are fresh interpreters: slow to start, tested in test_engine
        _same(big, _run(case, backend, BLOCK + 30, workers=2))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.family.name)
def test_the_backends_agree_to_float32_rounding(case: Case) -> None:
    reference = _run(case, "numpy", 200)
    for backend in BACKENDS:
        other = _run(case, backend, 200)
        for name, x in reference.store.items():
            y = other.store[name]
            if x.dtype.kind == "f":
                scale = float(np.abs(x).max()) if x.size else 0.0
                np.testing.assert_allclose(y, x, rtol=5e-4, atol=2e-5 + 1e-6 * scale, err_msg=f"{backend} {name}")
            else:
                assert (x != y).mean() < 1e-3, f"{backend} {name}"
        np.testing.assert_array_equal(reference.status, other.status)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.family.name)
def test_valid_inputs_give_finite_values_within_bounds(case: Case, backend: str) -> None:
    res = _run(case, backend, 64)
    assert not res.status.any()
    for name, v in res.store.items():
        out = case.family.outputs[name]
        assert np.isfinite(v).all(), name
        if out.low is not None:
            assert v.min() >= out.low - 1e-4, name
        if out.high is not None:
            assert v.max() <= out.high + 1e-4, name


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.family.name)
def test_a_failure_names_its_run_year_variable_and_mechanism(case: Case, backend: str) -> None:
    broken = case.broken()
    with pytest.raises(SimulationError) as info:
        _run(case, backend, 20, model=broken)
    err = info.value
    assert (err.run, err.year, err.variable, err.mechanism) == (0, *case.failure)
    kept = _run(case, backend, 20, model=broken, throw=False)
    assert kept.status.all()  # every run meets the broken input
