"""The engine contract: labelled results, reproducibility, chunking, failures as data."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
import xarray as xr

from alliancelab.engine import BLOCK
from alliancelab.engine.backends import available_backends
from alliancelab.engine.backends.numpy import NumpyBackend
from alliancelab.errors import ParameterError, ScenarioError, SimulationError
from alliancelab.models.order import noise as noise_module
from alliancelab.models.order.noise import block_draws
from alliancelab.models.order.outputs import OUTPUTS
from alliancelab.models.order.simulate import simulate
from alliancelab.models.order.step import Noise
from alliancelab.scenario import load_scenario, scenario_hash

KW: dict[str, Any] = {"years": 8, "seed": 42}


def test_dataset_dimensions_and_outputs() -> None:
    ds = simulate("asia-pacific-2001", runs=5, **KW)
    assert set(ds.dims) == {"run", "year", "actor", "other", "link"}
    assert ds.sizes["run"] == 5 and ds.sizes["year"] == 8 and ds.sizes["actor"] == 15
    assert set(OUTPUTS) <= set(ds.data_vars)
    assert ds["hostility"].dims == ("run", "year", "actor", "other")
    assert ds["credibility"].dims == ("run", "year", "link")
    assert ds["order"].dims == ("run", "year")
    assert ds["share"].dtype == np.float32
    h = ds["hostility"].values
    np.testing.assert_array_equal(h, np.swapaxes(h, 2, 3))
    assert list(ds.link_defender.values).count("usa") == 6


def test_manifest_reproduces_the_run() -> None:
    ds = simulate("us-retrenchment", runs=3, **KW)
    m = json.loads(ds.attrs["manifest"])
    assert m["scenario"] == "us-retrenchment"
    assert m["scenario_hash"] == scenario_hash(load_scenario("us-retrenchment"))
    assert m["options"]["seed"] == 42 and m["options"]["runs"] == 3
    assert "SIPRI Military Expenditure Database" in m["data_versions"]
    from alliancelab.models.order.params import Params
    from alliancelab.scenario import scenario_from_dict

    again = simulate(
        scenario_from_dict(m["resolved_scenario"]),
        runs=3,
        years=8,
        seed=m["options"]["seed"],
        params=Params.model_validate(m["params"]),
    )
    xr.testing.assert_equal(ds.drop_attrs(), again.drop_attrs())


def test_same_seed_same_result_and_different_seed_differs() -> None:
    a = simulate("asia-pacific-2001", runs=20, **KW)
    b = simulate("asia-pacific-2001", runs=20, **KW)
    c = simulate("asia-pacific-2001", runs=20, years=8, seed=43)
    xr.testing.assert_identical(a, b)
    assert not np.array_equal(a["threat"].values, c["threat"].values)


def test_run_depends_only_on_seed_and_index_whatever_the_chunking() -> None:
    small = simulate("asia-pacific-2001", runs=10, **KW)
    big = simulate("asia-pacific-2001", runs=BLOCK + 300, **KW)
    chunked = simulate("asia-pacific-2001", runs=BLOCK + 300, chunk_blocks=2, **KW)
    xr.testing.assert_equal(small.drop_attrs(), big.isel(run=slice(0, 10)).drop_attrs())
    xr.testing.assert_equal(big.drop_attrs(), chunked.drop_attrs())


def test_workers_give_identical_results() -> None:
    serial = simulate("asia-pacific-2001", runs=2 * BLOCK + 5, keep="region", **KW)
    parallel = simulate("asia-pacific-2001", runs=2 * BLOCK + 5, keep="region", workers=2, **KW)
    xr.testing.assert_equal(serial.drop_attrs(), parallel.drop_attrs())


@pytest.mark.skipif("jax" not in available_backends(), reason="jax is not installed")
def test_jax_backend_runs_the_same_step() -> None:
    a = simulate("asia-pacific-2001", runs=300, backend="numpy", **KW)
    b = simulate("asia-pacific-2001", runs=300, backend="jax", **KW)
    for name in ("share", "capability", "threat", "credibility", "hostility"):
        np.testing.assert_allclose(b[name].values, a[name].values, rtol=2e-4, atol=1e-6, err_msg=name)
    assert (a["crisis"].values != b["crisis"].values).mean() < 1e-3


@pytest.mark.skipif("jax" not in available_backends(), reason="jax is not installed")
def test_jax_runs_do_not_depend_on_chunking() -> None:
    small = simulate("asia-pacific-2001", runs=10, backend="jax", **KW)
    big = simulate("asia-pacific-2001", runs=BLOCK + 5, backend="jax", chunk_blocks=1, **KW)
    xr.testing.assert_equal(small.drop_attrs(), big.isel(run=slice(0, 10)).drop_attrs())


def test_keep_selects_outputs() -> None:
    ds = simulate("asia-pacific-2001", runs=4, keep=["region", "share"], **KW)
    assert "share" in ds and "order" in ds and "hostility" not in ds and "gdp" not in ds
    with pytest.raises(ParameterError, match="'keep' parameter of simulate must be"):
        simulate("asia-pacific-2001", runs=4, keep="sharee", **KW)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"runs": 0}, "runs"),
        ({"runs": 2.5}, "runs"),
        ({"years": 0}, "years"),
        ({"seed": -1}, "seed"),
        ({"workers": 0}, "workers"),
        ({"backend": "torch"}, "backend"),
        ({"params": {"a": 1}}, "params"),
    ],
)
def test_bad_options_are_parameter_errors(kwargs: dict[str, Any], name: str) -> None:
    args = {"runs": 2, "years": 3, **kwargs}
    with pytest.raises(ParameterError, match=f"'{name}' parameter of simulate must be"):
        simulate("asia-pacific-2001", **args)


def _poisoned_draws(run: int, year: int) -> Any:
    real = noise_module._run_draws

    def draws(seed: int, first_run: int, runs: int, *rest: int) -> Any:
        bias, coef, trend, noise = real(seed, first_run, runs, *rest)
        if first_run <= run < first_run + runs:
            growth = noise.growth.copy()
            growth[year, run - first_run, 1] = np.nan
            noise = noise._replace(growth=growth)
        return bias, coef, trend, noise

    return draws


def test_a_nan_names_its_run_year_variable_and_mechanism(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(noise_module, "_run_draws", _poisoned_draws(run=BLOCK + 7, year=3))
    with pytest.raises(SimulationError) as info:
        simulate("asia-pacific-2001", runs=BLOCK + 20, backend="numpy", **KW)
    err = info.value
    assert (err.run, err.year, err.variable, err.mechanism) == (BLOCK + 7, 2005, "gdp", "economy")
    assert "throw=False" in str(err)


def test_throw_false_keeps_the_other_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(noise_module, "_run_draws", _poisoned_draws(run=4, year=2))
    ds = simulate("asia-pacific-2001", runs=12, throw=False, backend="numpy", **KW)
    assert list(np.flatnonzero(ds["status"].values)) == [4]
    assert int(ds["fail_year"].sel(run=4)) == 2004
    assert ds["status"].attrs["flag_meanings"].split()[int(ds["status"][4])] == "gdp"
    assert np.isfinite(ds["gdp"].drop_sel(run=4).values).all()


def test_out_of_bounds_values_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    real = NumpyBackend.years

    def broken(*args: Any) -> dict[str, np.ndarray]:
        rec = real(*args)
        rec["credibility"][5, 3, 0] = 1.5
        return rec

    monkeypatch.setattr(NumpyBackend, "years", broken)
    with pytest.raises(
        SimulationError, match=r"run 3, year 2006: 'credibility' .* within \[0.0, 1.0\]\) \(mechanism: alliances\)"
    ):
        simulate("asia-pacific-2001", runs=6, backend="numpy", **KW)


def test_draws_of_a_run_do_not_depend_on_how_many_runs_are_drawn() -> None:
    bias_a, coef_a, trend_a, a = block_draws(1, 0, 10, 3, 4, 6, 2)
    bias_b, coef_b, trend_b, b = block_draws(1, 0, 700, 3, 4, 6, 2)
    np.testing.assert_array_equal(bias_a, bias_b[:10])
    np.testing.assert_array_equal(coef_a, coef_b[:10])
    np.testing.assert_array_equal(trend_a, trend_b[:10])
    for f in Noise._fields:
        np.testing.assert_array_equal(getattr(a, f), getattr(b, f)[:, :10])
    assert ((a.crisis > 0) & (a.crisis < 1)).all()


def test_outputs_too_large_for_memory_are_refused_before_running() -> None:
    from alliancelab.engine.block import allocate, store_bytes
    from alliancelab.models.order.compile import compile_scenario
    from alliancelab.models.order.family import ORDER
    from alliancelab.models.order.params import Params

    c = compile_scenario(load_scenario("asia-pacific-2001"), Params(), 5)
    names = tuple(OUTPUTS)
    assert store_bytes(ORDER, c, 7, names) == sum(a.nbytes for a in allocate(ORDER, c, 7, names).values())
    from alliancelab.engine.ensemble import WORKING_BYTES
    from alliancelab.engine.resources import resident_memory

    # the limit bounds the estimated peak: what the process holds, the outputs, the kernel's working set
    peak = resident_memory() + store_bytes(ORDER, c, 4, names) + WORKING_BYTES
    ds = simulate("asia-pacific-2001", runs=4, years=5, max_memory=peak + 2**26)  # 64 MB to spare: allowed
    assert ds.sizes["run"] == 4
    with pytest.raises(ParameterError, match=r"'max_memory' parameter of simulate must be at least the") as caught:
        simulate("asia-pacific-2001", runs=4, years=5, max_memory=resident_memory() // 2)
    assert "already held" in str(caught.value)
    with pytest.raises(ParameterError, match=r"of this machine's memory"):
        simulate("asia-pacific-2001", runs=10**12, years=5)


def test_a_forecast_too_large_for_memory_is_refused() -> None:
    from alliancelab import forecast, load_issue

    with pytest.raises(ParameterError, match=r"'max_memory' parameter of forecast"):
        forecast(load_issue("ec-emissions-1994"), perturb=10**10)


def test_growth_at_or_below_minus_depreciation_runs_finite() -> None:
    """The start's capital stock is floored (docs/models/order.md), so a shrinking economy runs."""
    from alliancelab.scenario import scenario_from_dict

    doc = load_scenario("asia-pacific-2001").model_dump(mode="json", exclude_none=True)
    doc["scenario"].pop("extends", None)
    rus = next(a for a in doc["actor"] if a["id"] == "rus")
    rus.update(growth=-0.12, depreciation=0.08)
    ds = simulate(scenario_from_dict(doc), runs=16, years=10, seed=2)
    assert not ds["status"].any() and np.isfinite(ds["capability"].values).all()


def test_sizes_beyond_the_limits_are_refused_up_front() -> None:
    from alliancelab import forecast, load_issue
    from alliancelab.scenario import scenario_from_dict
    from alliancelab.scenario.model import MAX_ACTORS

    doc = load_scenario("asia-pacific-2001").model_dump(mode="json", exclude_none=True)
    doc["scenario"].pop("extends", None)
    template = doc["actor"][-1]
    doc["actor"] += [dict(template, id=f"x{k}", name=f"X{k}") for k in range(MAX_ACTORS)]
    with pytest.raises(ScenarioError, match=rf"at most {MAX_ACTORS} items"):
        scenario_from_dict(doc)
    doc = load_scenario("asia-pacific-2001").model_dump(mode="json", exclude_none=True)
    doc["actor"][0]["name"] = "x" * 20_000_000
    with pytest.raises(ScenarioError, match="at most 10000 characters"):
        scenario_from_dict(doc)
    with pytest.raises(ParameterError, match="'rounds' parameter of forecast"):
        forecast(load_issue("ec-emissions-1994"), rounds=1_000_000)


def test_the_summary_reports_the_order_type_as_shares_and_decades_as_they_are() -> None:
    from alliancelab.report import order_by_decade, tidy_summary

    ds = simulate("us-retrenchment", runs=40, years=30, seed=4)
    table = tidy_summary(ds)
    assert "order" not in set(table["variable"])  # a category code has no mean
    shares = table[table["variable"] == "order_share"].groupby("year")["mean"].sum()
    np.testing.assert_allclose(shares.values, 1.0)
    first = table[(table["variable"] == "order_share") & (table["year"] == 2001)].set_index("entity")["mean"]
    assert first["hub-and-spoke hegemony"] == (ds["order"].values[:, 0] == 0).mean()
    assert list(order_by_decade(ds).index) == ["2001-2009", "2010s", "2020s", "2030"]
