"""Experiments: files, designs, sweeps (resume after kill -9, Dask), sensitivity and discovery."""

from __future__ import annotations

import math
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import tomli_w
import xarray as xr
from typer.testing import CliRunner

from alliancelab.cli import app
from alliancelab.experiments.analysis import AnalysisError, discover, morris_indices, sobol_indices
from alliancelab.experiments.design import sample
from alliancelab.experiments.evaluate import apply_inputs, evaluate_chunk
from alliancelab.experiments.spec import ExperimentError, experiment_from_dict, load_experiment
from alliancelab.experiments.sweep import StoreError, open_store, plan_sweep, run_sweep
from alliancelab.models.order.compile import compile_scenario
from alliancelab.models.order.params import Params, make_params
from alliancelab.models.order.simulate import run_rows
from alliancelab.scenario import load_scenario
from alliancelab.scenario.load import scenario_from_dict

runner = CliRunner()

INPUTS = [
    {"lever": "engagement", "target": "usa", "year": 2005, "range": [0.3, 1.0], "name": "us_engagement"},
    {"param": "threat_reaction", "range": [0.5, 1.5]},
    {"param": "spiral", "range": [0.5, 4.0]},
]
INDICATORS = [
    {"name": "arms_race_2020", "output": "arms_race_index", "year": 2020},
    {"name": "jpn_share_2015", "output": "share", "actor": "jpn", "year": 2015},
    {"name": "chn_twn_hostility", "output": "hostility", "pair": ["chn", "twn"]},
]


def experiment_doc(**meta: Any) -> dict[str, Any]:
    base = {"name": "t", "scenarios": ["asia-pacific-2001"], "years": 20, "replicates": 4, "seed": 5}
    base["params"] = "illustrative"  # threat_reaction is a parameter of the illustrative equations
    base.update({"sampler": "saltelli", "samples": 8} | meta)
    return {"experiment": base, "input": INPUTS, "indicator": INDICATORS}


def write_experiment(path: Path, **meta: Any) -> Path:
    path.write_text(tomli_w.dumps(experiment_doc(**meta)))
    return path


def values(ds: xr.Dataset) -> dict[str, np.ndarray]:
    return {str(k): ds[k].values for k in ds.data_vars}


def assert_same_store(a: xr.Dataset, b: xr.Dataset) -> None:
    va, vb = values(a), values(b)
    assert va.keys() == vb.keys()
    for k in va:
        if k == "done":
            continue
        assert np.array_equal(va[k], vb[k], equal_nan=True), k
    assert a.attrs["experiment_hash"] == b.attrs["experiment_hash"]


# -- experiment files and designs ---------------------------------------------------------------


def test_every_problem_in_an_experiment_is_reported_at_once() -> None:
    doc = {
        "experiment": {"name": "x", "scenarios": ["asia-pacific-2001", "no-such-preset"], "samples": 10},
        "input": [
            {"param": "adjustmnt", "range": [0.1, 0.5]},
            {"param": "adjustment", "range": [0.1, 1.5]},
            {"lever": "engagement", "target": "usaa", "range": [0, 1]},
            {"param": "burden", "lever": "posture", "range": [0, 1]},
        ],
        "indicator": [{"name": "s", "output": "share"}, {"name": "t", "output": "shar", "year": 2050}],
        "outputs": {},
    }
    doc["experiment"]["sampler"] = "saltelli"
    with pytest.raises(ExperimentError) as err:
        experiment_from_dict(doc, "bad.toml")
    text = str(err.value)
    for expected in (
        "bad.toml: 9 problems found",
        "outputs: unknown table",
        "experiment.scenarios[2]: no-such-preset",
        "saltelli needs a power of 2 (Sobol' sequence); got 10, try 8",
        "unknown parameter 'adjustmnt'; did you mean 'adjustment'?",
        "1.5 is outside what adjustment allows",
        "'usaa' is none; did you mean 'usa'?",
        "give exactly one of `param` (a parameter) or `lever`",
        "'share' is a actor output: give `actor`",
        "unknown output 'shar'; did you mean 'share'?",
    ):
        assert expected in text, expected


def test_the_docs_list_every_output_an_indicator_can_take() -> None:
    from alliancelab.models.order.outputs import OUTPUTS

    doc = (Path(__file__).resolve().parents[1] / "docs" / "experiments.md").read_text()
    listed = {line.split("`")[1] for line in doc.splitlines() if line.startswith("| `")}
    assert listed == set(OUTPUTS)


def test_the_example_experiment_is_valid() -> None:
    exp = load_experiment(Path(__file__).resolve().parents[1] / "examples" / "us-commitment.toml")
    assert sample(exp).shape == (64 * (2 * 5 + 2), 5) and len(exp.indicator) == 4


def test_missing_or_malformed_files_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ExperimentError, match="no such experiment file"):
        load_experiment(tmp_path / "none.toml")
    (tmp_path / "bad.toml").write_text("[experiment\nname=")
    with pytest.raises(ExperimentError, match="not valid TOML"):
        load_experiment(tmp_path / "bad.toml")


def test_design_sizes_and_latin_hypercube_strata() -> None:
    D = len(INPUTS)
    assert sample(experiment_from_dict(experiment_doc(samples=16))).shape == (16 * (2 * D + 2), D)
    assert sample(experiment_from_dict(experiment_doc(samples=16, second_order=False))).shape == (16 * (D + 2), D)
    assert sample(experiment_from_dict(experiment_doc(sampler="morris", samples=6))).shape == (6 * (D + 1), D)
    with pytest.raises(ExperimentError, match="Morris needs an even number of levels; got 3"):
        experiment_from_dict(experiment_doc(sampler="morris", levels=3))
    lhs = sample(experiment_from_dict(experiment_doc(sampler="lhs", samples=50)))
    for k, inp in enumerate(INPUTS):
        lo, hi = inp["range"]
        strata = np.floor((lhs[:, k] - lo) / (hi - lo) * 50).astype(int)
        assert sorted(strata) == list(range(50))  # one sample in each of the 50 strata
    again = sample(experiment_from_dict(experiment_doc(sampler="lhs", samples=50)))
    assert np.array_equal(lhs, again)  # the seed fixes the design


def test_a_point_is_the_scenario_with_that_shock_and_those_parameters() -> None:
    exp = experiment_from_dict(experiment_doc())
    base = load_scenario("asia-pacific-2001")
    x = np.array([0.45, 1.2, 3.0])
    sc, p = apply_inputs(base, Params(), tuple(exp.input), x)
    doc = base.model_dump(mode="json")
    doc["shock"].append({"year": 2005, "lever": "engagement", "target": "usa", "value": 0.45})
    by_hand = scenario_from_dict(doc)
    hand_p = make_params(threat_reaction=1.2, spiral=3.0)
    assert p == hand_p
    keep = ("share", "arms_race_index")
    got, _, _ = run_rows(compile_scenario(sc, p, 20), p, 5, 4, keep)
    want, _, _ = run_rows(compile_scenario(by_hand, hand_p, 20), hand_p, 5, 4, keep)
    for k in keep:
        assert np.array_equal(got[k], want[k]), k


def test_replicate_r_draws_run_r_of_the_engine() -> None:
    """Common random numbers: replicate r of every point uses the engine's run r stream."""
    from alliancelab.models.order.simulate import simulate

    sc = load_scenario("asia-pacific-2001")
    ds = simulate(sc, runs=6, years=15, seed=9, keep=["share"])
    got, _, _ = run_rows(compile_scenario(sc, Params(), 15), Params(), 9, 6, ("share",))
    np.testing.assert_array_equal(np.swapaxes(got["share"], 0, 1), ds["share"].values)  # the same kernel
    ref, _, _ = run_rows(compile_scenario(sc, Params(), 15), Params(), 9, 6, ("share",), backend="numpy")
    assert np.allclose(ref["share"], got["share"], rtol=1e-5, atol=1e-7)  # the NumPy step, to rounding


# -- sweeps ------------------------------------------------------------------------------------


def test_sweep_is_the_same_whatever_the_chunking_or_workers(tmp_path: Path) -> None:
    exp = load_experiment(write_experiment(tmp_path / "e.toml"))
    serial = run_sweep(plan_sweep(exp, tmp_path / "a", chunk=64))
    pooled = run_sweep(plan_sweep(exp, tmp_path / "b", chunk=7), workers=2)
    assert_same_store(serial, pooled)
    assert serial.sizes == {"scenario": 1, "point": 64, "replicate": 4, "input": 3, "chunk": 1}
    assert (serial["status"].values == 0).all() and np.isfinite(serial["arms_race_2020"].values).all()
    # each point's indicators are those of its own simulation
    task = plan_sweep(exp, tmp_path / "c", chunk=64).tasks[0]
    vals, _ = evaluate_chunk(task)
    assert np.array_equal(vals[:, :, 1], serial["jpn_share_2015"].values[0])


def test_a_store_refuses_another_experiment(tmp_path: Path) -> None:
    exp = load_experiment(write_experiment(tmp_path / "e.toml"))
    run_sweep(plan_sweep(exp, tmp_path / "s", chunk=16))
    other = load_experiment(write_experiment(tmp_path / "f.toml", seed=6))
    with pytest.raises(StoreError, match="holds the results of another experiment"):
        plan_sweep(other, tmp_path / "s")
    with pytest.raises(StoreError, match="started with chunks of 16 points"):
        plan_sweep(exp, tmp_path / "s", chunk=8)
    assert len(plan_sweep(other, tmp_path / "s", overwrite=True).tasks) > 0
    with pytest.raises(StoreError, match=r"cannot create the store .*give a writable store"):
        plan_sweep(exp, Path("/proc/no-such-dir/store"))
    with pytest.raises(StoreError, match="no such store"):
        open_store(tmp_path / "nothing")
    (tmp_path / "junk").mkdir()
    with pytest.raises(StoreError, match="not a sweep store"):
        open_store(tmp_path / "junk")


def _done_chunks(store: Path) -> int:
    try:
        with xr.open_zarr(store, consolidated=False) as ds:
            return int(ds["done"].values.sum())
    except Exception:  # the store is being created
        return 0


def test_a_sweep_killed_with_sigkill_resumes_to_the_same_result(tmp_path: Path) -> None:
    path = write_experiment(tmp_path / "e.toml", samples=16, replicates=8, years=30)  # 128 points
    store = tmp_path / "killed"
    cmd = [
        sys.executable,
        "-m",
        "alliancelab",
        "sweep",
        str(path),
        "--out",
        str(store),
        "--chunk",
        "2",
        "--workers",
        "1",
        "-q",
    ]
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _done_chunks(store) < 5 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    assert child.poll() is None, "the sweep finished before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    done_at_kill = _done_chunks(store)
    assert 5 <= done_at_kill < 64
    resumed = runner.invoke(app, ["sweep", str(path), "--out", str(store), "--chunk", "2", "--quiet"])
    assert resumed.exit_code == 0, resumed.output
    said = " ".join(resumed.output.split())
    assert f"{done_at_kill} of 64 chunks already done, {64 - done_at_kill} to run" in said
    whole = run_sweep(plan_sweep(load_experiment(path), tmp_path / "whole", chunk=2))
    final = open_store(store)
    assert final["done"].values.all() and (final["status"].values == 0).all()
    assert_same_store(final, whole)


def test_sweep_on_a_dask_cluster_equals_the_serial_run(tmp_path: Path) -> None:
    from distributed import LocalCluster, default_client

    path = write_experiment(tmp_path / "e.toml")
    serial = run_sweep(plan_sweep(load_experiment(path), tmp_path / "serial", chunk=5))
    with LocalCluster(n_workers=3, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        result = runner.invoke(
            app, ["sweep", str(path), "--out", str(tmp_path / "dask"), "--scheduler", cluster.scheduler_address, "-q"]
        )
        assert result.exit_code == 0, result.output
        assert f"on the Dask cluster at {cluster.scheduler_address}" in " ".join(result.output.split())
        with pytest.raises(ValueError, match="No clients found"):
            default_client()  # the sweep did not make the cluster this process's dask scheduler
    assert_same_store(open_store(tmp_path / "dask"), serial)
    bad = runner.invoke(app, ["sweep", str(path), "--out", str(tmp_path / "x"), "--scheduler", "tpc://host:1", "-q"])
    assert bad.exit_code == 2 and "'scheduler' parameter of run_sweep must be SCHEME://HOST:PORT" in " ".join(
        bad.output.split()
    )


@pytest.mark.parametrize(
    ("answer", "said"),
    [(None, "nothing answered within 2 s"), (b"\xff" * 64, "Maximum allowed dimension exceeded")],
    ids=["never-answers", "answers-garbage"],
)
def test_a_scheduler_that_is_not_one_is_refused_in_bounded_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: bytes | None, said: str
) -> None:
    """A process on 127.0.0.1 that accepts the connection and then says nothing, or sends bytes
    that are not Dask's, is refused within the answer time, before the store is made."""
    import socket
    import threading
    import time

    from alliancelab.experiments import sweep

    monkeypatch.setattr(sweep, "ANSWER_SECONDS", 2.0)
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)
            if answer is not None:
                conn.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()
    address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    path = write_experiment(tmp_path / "e.toml")
    t0 = time.monotonic()
    try:
        result = runner.invoke(app, ["sweep", str(path), "--out", str(tmp_path / "s"), "--scheduler", address, "-q"])
    finally:
        server.close()
        for conn in held:
            conn.close()
    assert time.monotonic() - t0 < 30
    assert result.exit_code == 2 and said in " ".join(result.output.split()), result.output
    assert "Traceback" not in result.output and not (tmp_path / "s").exists()


def test_several_scenarios_share_one_design(tmp_path: Path) -> None:
    both = load_experiment(
        write_experiment(tmp_path / "b.toml", scenarios=["asia-pacific-2001", "korean-reconciliation"])
    )
    one = load_experiment(write_experiment(tmp_path / "o.toml", scenarios=["korean-reconciliation"]))
    ds = run_sweep(plan_sweep(both, tmp_path / "both", chunk=20), workers=2)
    alone = run_sweep(plan_sweep(one, tmp_path / "one", chunk=64))
    assert list(ds["scenario"].values) == ["asia-pacific-2001", "korean-reconciliation"]
    assert ds.sizes["chunk"] == 4 and ds["done"].values.all()
    for name in ("arms_race_2020", "jpn_share_2015"):
        assert np.array_equal(ds[name].values[1], alone[name].values[0])  # the same design, point by point
    assert not np.array_equal(ds["arms_race_2020"].values[0], ds["arms_race_2020"].values[1])
    found = discover(ds, "arms_race_2020 > " + str(float(np.median(ds["arms_race_2020"].values))), threshold=0.6)
    assert found.cases == 2 * 64 * 4 and len(found.stats) == 1


# -- analyses: checked against closed forms on known functions ----------------------------------


def _store_with(tmp_path: Path, fn: Any, **meta: Any) -> xr.Dataset:
    """A sweep store's layout with the indicator replaced by a known function of the design."""
    exp = load_experiment(write_experiment(tmp_path / "e.toml", **meta))
    ds = open_store(plan_sweep(exp, tmp_path / "s").store).load()
    x = ds["design"].values
    lo = np.array([i["range"][0] for i in INPUTS])
    hi = np.array([i["range"][1] for i in INPUTS])
    u = (x - lo) / (hi - lo)  # each input on [0, 1]
    y = fn(u)
    ds["arms_race_2020"] = (("scenario", "point", "replicate"), np.repeat(y[None, :, None], 4, axis=2))
    ds["status"][:] = 0
    ds["done"][:] = 1
    return ds


def ishigami(u: np.ndarray) -> np.ndarray:
    z = -math.pi + 2 * math.pi * u
    return np.sin(z[:, 0]) + 7 * np.sin(z[:, 1]) ** 2 + 0.1 * z[:, 2] ** 4 * np.sin(z[:, 0])


def test_sobol_indices_of_the_ishigami_function(tmp_path: Path) -> None:
    """Ishigami & Homma (1990), a=7, b=0.1: S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)."""
    ds = _store_with(tmp_path, ishigami, samples=1024)
    first, second = sobol_indices(ds, "arms_race_2020")
    names = [i.get("name", i.get("param")) for i in INPUTS]
    s1 = first.loc[names, "S1"].to_numpy()
    st = first.loc[names, "ST"].to_numpy()
    assert np.allclose(s1, [0.3139, 0.4424, 0.0], atol=0.04)
    assert np.allclose(st, [0.5576, 0.4424, 0.2437], atol=0.04)
    assert list(first.index) == [names[0], names[1], names[2]]  # ranked by ST
    s13 = second.set_index(["input_1", "input_2"]).loc[(names[0], names[2]), "S2"]
    assert s13 == pytest.approx(0.2437, abs=0.08)  # the only interaction: x1 with x3
    assert (first["S1_conf"] > 0).all()


def test_morris_on_a_linear_function(tmp_path: Path) -> None:
    """y = 3 u1 − 2 u2 (u on [0, 1]): every elementary effect of input i is its slope per unit of
    the unit cube, so μ* = |a_i|, σ = 0, and an unused input has μ* = 0."""
    ds = _store_with(tmp_path, lambda u: 3 * u[:, 0] - 2 * u[:, 1], sampler="morris", samples=10)
    table = morris_indices(ds, "arms_race_2020")
    assert table["mu_star"].to_numpy() == pytest.approx([3.0, 2.0, 0.0], abs=1e-9)
    assert table["sigma"].to_numpy() == pytest.approx([0.0, 0.0, 0.0], abs=1e-9)
    with pytest.raises(AnalysisError, match="need a sweep with sampler 'saltelli'"):
        sobol_indices(ds, "arms_race_2020")


def test_prim_finds_a_known_box(tmp_path: Path) -> None:
    ds = _store_with(tmp_path, lambda u: ((u[:, 0] > 0.6) & (u[:, 2] < 0.3)).astype(float), sampler="lhs", samples=2000)
    found = discover(ds, "arms_race_2020 > 0.5", threshold=0.9)
    stats = found.stats.iloc[0]
    assert stats["density"] >= 0.9 and stats["coverage"] >= 0.8 and stats["restricted"] == 2
    limits = found.boxes[0].set_index("input")
    assert set(limits.index) == {"us_engagement", "spiral"}
    assert limits.loc["us_engagement", "low"] == pytest.approx(0.3 + 0.7 * 0.6, abs=0.03)
    assert limits.loc["spiral", "high"] == pytest.approx(0.5 + 3.5 * 0.3, abs=0.1)
    with pytest.raises(AnalysisError, match="holds in 0 of"):
        discover(ds, "arms_race_2020 > 5")
    with pytest.raises(AnalysisError, match="names 'arms_race', no indicator; did you mean 'arms_race_2020'"):
        discover(ds, "arms_race > 1")


def test_an_unfinished_sweep_is_not_analysed(tmp_path: Path) -> None:
    exp = load_experiment(write_experiment(tmp_path / "e.toml"))
    plan = plan_sweep(exp, tmp_path / "s", chunk=16)
    plan.tasks = plan.tasks[:2]
    ds = run_sweep(plan)
    with pytest.raises(AnalysisError, match="unfinished: 2 of 4 chunks done; run the same"):
        sobol_indices(ds, "arms_race_2020")


# -- the engine through the whole pipeline ------------------------------------------------------


def test_sweep_sensitivity_and_discovery_from_the_command_line(tmp_path: Path) -> None:
    """Japan's spending share is driven by U.S. engagement (the book's abandonment mechanism), not
    by the spiral parameter; and high shares sit in the low-engagement part of the design."""
    path = write_experiment(tmp_path / "e.toml", samples=32)
    store = tmp_path / "e.zarr"  # the default store beside the experiment file
    result = runner.invoke(app, ["sweep", str(path), "--workers", "2", "-q"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "sa"
    result = runner.invoke(app, ["sensitivity", str(path), "--indicator", "jpn_share_2015", "-o", str(out)])
    assert result.exit_code == 0, result.output
    first = pd.read_csv(out / "sensitivity_jpn_share_2015.csv", index_col=0)
    assert first.index[0] == "us_engagement" and first.loc["us_engagement", "ST"] > 0.5
    assert first.loc["spiral", "ST"] < 0.1
    assert (out / "sensitivity_jpn_share_2015.png").stat().st_size > 0
    result = runner.invoke(app, ["sensitivity", str(store), "--indicator", "all", "-o", str(tmp_path / "all")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "all").glob("*.png")) == [
        f"sensitivity_{i['name']}.png" for i in sorted(INDICATORS, key=lambda i: i["name"])
    ]
    ds = open_store(store)
    cut = float(np.quantile(ds["jpn_share_2015"].values, 0.75))
    result = runner.invoke(app, ["discover", str(store), "--where", f"jpn_share_2015 > {cut}", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "jpn_share_2015 in fraction of GDP" in " ".join(result.output.split())
    limits = pd.read_csv(out / "prim_limits.csv").set_index("input")
    assert "us_engagement" in limits.index and limits.loc["us_engagement", "high"] < 0.8
    assert (out / "prim_tradeoff.png").stat().st_size > 0
    bad = runner.invoke(app, ["discover", str(store), "--where", "nonsense >"])
    assert bad.exit_code == 2 and "cannot be parsed" in bad.output and "Traceback" not in bad.output
    write_experiment(path, samples=32, seed=99)  # the file changed since the sweep
    stale = runner.invoke(app, ["sensitivity", str(path)])
    assert stale.exit_code == 2 and "earlier version" in " ".join(stale.output.split())


PAYLOADS = [
    "{x}.__class__.__init__.__globals__['sys'].modules['os'].system('touch {f}') == 0",
    "__import__('os').system('touch {f}') == 0",
    "{x} > 0 and open('{f}', 'w')",
    "[c for c in ().__class__.__base__.__subclasses__()] == 0",
    "(lambda: __import__('os').system('touch {f}'))() == 0",
    "{x} > 0 or @{x}",
    "`touch {f}` > 0",
    "{x}[0] > 0",
    "{x} > 0; import os",
    "{x} > 'a'",
    "{x} in (1, 2)",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_condition_is_parsed_never_run_as_code(payload: str, tmp_path: Path) -> None:
    """The conditions of `discover --where` are a grammar of names, numbers, comparisons and
    and/or/not: code is refused with the indicators listed, and nothing runs."""
    from alliancelab.experiments.condition import evaluate_condition

    marker = tmp_path / "ran"
    columns = {"jpn_share_2020": np.array([0.01, 0.03]), "arms_race_2020": np.array([0.2, 0.9])}
    text = payload.format(x="jpn_share_2020", f=marker)
    with pytest.raises(AnalysisError, match="jpn_share_2020"):
        evaluate_condition(text, columns)
    assert not marker.exists()


def test_conditions_compute_like_numpy() -> None:
    from alliancelab.experiments.condition import evaluate_condition

    a = np.array([0.01, 0.03, np.nan, 0.05])
    b = np.array([1.0, 2.0, 3.0, 0.0])
    cols = {"a": a, "b": b}
    np.testing.assert_array_equal(evaluate_condition("a > 0.02", cols), a > 0.02)
    np.testing.assert_array_equal(evaluate_condition("0.02 < a <= 0.05 and not b == 0", cols), [0, 1, 0, 0])
    np.testing.assert_array_equal(evaluate_condition("a * 100 - b > 0 or b >= 3", cols), [0, 1, 1, 1])


def test_a_store_has_one_writer_at_a_time(tmp_path: Path) -> None:
    """A second sweep on a store being written is refused, naming the holder; the lock goes with
    its holder, however it ends (here a killed process)."""
    import subprocess
    import sys
    import time

    from alliancelab.experiments.sweep import store_lock

    exp = load_experiment(write_experiment(tmp_path / "e.toml"))
    store = tmp_path / "s.zarr"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom alliancelab.experiments.sweep import store_lock\n"
            f"with store_lock({str(store)!r}):\n    print('held', flush=True)\n    time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreError, match=rf"is being written by process {holder.pid} on "):
            plan_sweep(exp, store)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    time.sleep(0.1)
    with store_lock(store):  # the killed holder's lock is gone
        pass
    plan = plan_sweep(exp, store)
    assert len(plan.tasks) == plan.done.size
    # a finished writer leaves nothing beside its store (no untracked .lock in the user's folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.toml", "s.zarr"]


def test_scheduler_addresses_are_checked_before_connecting() -> None:
    import warnings

    from alliancelab.errors import ParameterError
    from alliancelab.experiments.sweep import check_scheduler

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_scheduler("tcp://127.0.0.1:8786") == "tcp://127.0.0.1:8786"
        check_scheduler("tls://10.0.0.5:8786")
    with pytest.warns(UserWarning, match="not encrypted"):
        check_scheduler("tcp://10.0.0.5:8786")
    for bad in ("tpc://host:1", "tcp://host", "tcp://host:99999", "tcp://:8786", "host:port"):
        with pytest.raises(ParameterError, match="SCHEME://HOST:PORT"):
            check_scheduler(bad)


def test_workers_end_with_a_killed_sweep(tmp_path: Path) -> None:
    """kill -9 of a sweep with two worker processes leaves no worker running."""
    import os
    import signal
    import subprocess
    import sys
    import time

    path = write_experiment(tmp_path / "e.toml", samples=256)
    code = (
        "from alliancelab.cli import app\n"
        f"app(['sweep', {str(path)!r}, '--out', {str(tmp_path / 's.zarr')!r}, '--workers', '2', '-q'])\n"
    )
    main = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def children(pid: int) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        return [int(p) for p in found]

    workers: list[int] = []
    for _ in range(240):
        workers = [w for kid in children(main.pid) for w in children(kid)]
        if len(workers) >= 2 or main.poll() is not None:
            break
        time.sleep(0.25)
    os.kill(main.pid, signal.SIGKILL)
    main.wait()
    assert len(workers) >= 2, "the sweep finished before its workers were seen"

    def running(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
        except OSError:
            return False

    deadline = time.monotonic() + 10
    while any(running(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [w for w in workers if running(w)]


def test_a_store_larger_than_the_free_disk_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    from collections import namedtuple

    import alliancelab.experiments.sweep as sweep_module

    usage = namedtuple("usage", "total used free")
    real = shutil.disk_usage
    monkeypatch.setattr(sweep_module.shutil, "disk_usage", lambda _: usage(10**6, 10**6 - 1000, 1000))
    exp = load_experiment(write_experiment(tmp_path / "e.toml"))
    refusal = r"the store would take up to [\d.]+ kB \(256 runs x 3 indicators\) and .* has 1.0 kB free"
    with pytest.raises(StoreError, match=refusal):
        plan_sweep(exp, tmp_path / "s.zarr")
    assert not (tmp_path / "s.zarr").exists()
    monkeypatch.setattr(sweep_module.shutil, "disk_usage", real)
    assert plan_sweep(exp, tmp_path / "s.zarr").tasks


def test_unstable_sobol_estimates_are_flagged() -> None:
    from alliancelab.experiments.analysis import sobol_warnings

    first = pd.DataFrame(
        {"S1": [0.6, 0.1, 0.02], "S1_conf": [0.05, 0.05, 0.01], "ST": [0.4, 0.12, 0.03], "ST_conf": [0.05, 0.2, 0.01]},
        index=pd.Index(["a", "b", "c"], name="input"),
    )
    pairs = pd.DataFrame({"input_1": ["a"], "input_2": ["b"], "S2": [-0.3], "S2_conf": [0.1]})
    found = sobol_warnings(first, pairs, 64)
    assert any("S1 exceeds ST" in m and "'a'" in m for m in found)
    assert any("1 second-order indices are negative" in m for m in found)
    assert any("wider than the indices for ['b']" in m for m in found)
    assert "raise 'samples' (e.g. to 256)" in found[-1]
    sound = first.assign(S1=[0.3, 0.1, 0.02], ST_conf=[0.05, 0.05, 0.01])
    assert sobol_warnings(sound, pairs.assign(S2=[0.05]), 64) == []


def test_the_example_varies_what_the_default_equations_use_and_readme_splits_its_runs(tmp_path: Path) -> None:
    """The shipped experiment teaches: every input changes the default runs (none is a parameter
    the estimated equations ignore), and README's `discover` condition holds in some runs, not
    nearly all (checked on a smaller design of the same experiment)."""
    import re

    from typer.testing import CliRunner

    from alliancelab.cli import app
    from alliancelab.experiments.sweep import experiment_params, inert_inputs, open_results

    repo = Path(__file__).resolve().parents[1]
    exp = load_experiment(repo / "examples" / "us-commitment.toml")
    assert inert_inputs(exp, experiment_params(exp)) == []
    readme = (repo / "README.md").read_text()
    where = re.search(r'discover examples/us-commitment.toml --where "([^"]+)"', readme)
    assert where is not None
    small = (repo / "examples" / "us-commitment.toml").read_text().replace("samples = 64", "samples = 8")
    (tmp_path / "small.toml").write_text(small.replace("replicates = 10", "replicates = 4"))
    result = CliRunner().invoke(app, ["sweep", str(tmp_path / "small.toml"), "-q", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "parameters: estimated" in result.output and "warning" not in result.output
    ds = open_results(tmp_path / "small.zarr")
    share = float((ds[where[1].split()[0]].values > float(where[1].split()[-1])).mean())
    assert 0.1 < share < 0.6, share
    # an input the default equations ignore is named before anything runs
    inert = small.replace('param = "credibility_presence"', 'param = "threat_reaction"').replace(
        "range = [0.1, 0.5]", "range = [0.5, 1.5]"
    )
    (tmp_path / "inert.toml").write_text(inert)
    warned = CliRunner().invoke(app, ["sweep", str(tmp_path / "inert.toml"), "-q", "--workers", "1"])
    assert warned.exit_code == 0 and "'threat_reaction' is not used by the estimated equations" in warned.output


@pytest.mark.parametrize("kind", ["folder", "file"])
def test_a_link_planted_inside_a_store_is_refused_before_any_write(tmp_path: Path, kind: str) -> None:
    """A half-done store with a link where the sweep writes chunks (an array's folder, or one
    chunk file) is refused by name, both when planned and when run; the link's target is
    untouched."""
    from alliancelab.experiments.sweep import StoreError

    exp = load_experiment(write_experiment(tmp_path / "e.toml"))
    store = tmp_path / "s.zarr"
    plan = plan_sweep(exp, store, chunk=5)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    status = store / "status"
    if kind == "folder":  # every chunk of the status array would land in the user's folder
        shutil.move(status, tmp_path / "moved")
        status.symlink_to(elsewhere, target_is_directory=True)
    else:
        (status / "c").mkdir(exist_ok=True)
        (status / "c" / "0").symlink_to(elsewhere / "keep.txt")
    with pytest.raises(StoreError, match=r"holds 1 symbolic link\(s\) \(status"):
        run_sweep(plan)
    with pytest.raises(StoreError, match="which the sweep would write through"):
        plan_sweep(exp, store, chunk=5)
    assert (
        sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"] and (elsewhere / "keep.txt").read_text() == "mine"
    )
