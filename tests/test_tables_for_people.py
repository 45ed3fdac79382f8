"""What a reader and an R or Stata user get: `compare` tables that fit 100 columns with numbers in
one format and a reading of each difference, pair indicators, and per-run tidy tables (CSV and
Parquet) that hold exactly the values of the NetCDF results."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from typer.testing import CliRunner

import alliancelab as al
from alliancelab.cli import app
from alliancelab.report.compare import decimals, parse_indicator, reading
from alliancelab.report.export import stacked_runs, tidy_runs

runner = CliRunner()


def test_reading_flags_negligible_and_noisy_differences() -> None:
    # tmd-area-wide's China share: +0.0012 points on 2.1 % with s.e. 0.00013 is precise but negligible
    assert reading(0.0012, 0.00013, 2.1) == "negligible"
    assert reading(0.0012, 0.00013, 2.1, negligible=0.0001) == "higher"
    assert reading(0.05, 0.03, 2.1) == "within noise" and reading(-0.3, 0.01, 2.1) == "lower"
    assert reading(float("nan"), 0.1, 1.0) == ""
    # two significant digits of the standard error decide the decimals
    assert [decimals(se) for se in (0.00013, 0.0013, 0.013, 0.13, 1.3, 13.0)] == [5, 4, 3, 2, 1, 0]


def test_compare_fits_100_columns_in_one_number_format(monkeypatch: pytest.MonkeyPatch) -> None:
    from alliancelab.cli import common

    monkeypatch.setattr(common.console, "_width", 100)  # a 100-column terminal, whatever runs the test
    result = runner.invoke(
        app,
        [
            *("compare", "asia-pacific-2001", "tmd-area-wide", "japan-outside-alliance", "-n", "60", "-q"),
            *("-i", "share:chn", "-i", "share:jpn", "-i", "hostility:chn,jpn", "-i", "crisis:chn,twn"),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(map(len, lines)) <= 100
    assert not re.search(r"\d[eE][+-]?\d", result.output)  # no scientific notation
    # scenario names are whole, in the titles, never split over lines
    assert "variant japan-outside-alliance against baseline asia-pacific-2001" in " ".join(result.output.split())
    assert all("japan-outside-all" not in line or "japan-outside-alliance" in line for line in lines)
    rows = [line for line in lines if line.startswith("share of")]
    assert len(rows) == 4  # two indicators in each of the two tables
    # each row's numbers share one number of decimals
    for line in rows:
        numbers = re.findall(r"[+-]?\d+\.(\d+)", line)
        assert len(set(map(len, numbers))) == 1, line
    # China's share under area-wide TMD moves by far less than 1 % of its level; Japan outside
    # the alliance raises Japan's share by far more than its noise and than 1 %
    tmd, outside = rows[:2], rows[2:]
    assert tmd[0].startswith("share of chn") and tmd[0].rstrip().endswith("negligible")
    assert outside[1].startswith("share of jpn") and outside[1].rstrip().endswith("higher")
    # a long label wraps at its words, never inside one
    said = " ".join(result.output.split())
    assert "hostility chn-jpn (0-1)" in said and "crisis chn-twn (per yr)" in said


def test_pair_indicators_are_the_pairs_own_outputs() -> None:
    ds = al.simulate("asia-pacific-2001", runs=20, years=8, seed=2)
    label, spec = parse_indicator("hostility:chn,jpn")
    value = spec.compute(ds, slice(2003, 2008)).values
    expected = ds["hostility"].sel(actor="chn", other="jpn", year=slice(2003, 2008)).astype(float).mean("year")
    np.testing.assert_allclose(value, expected.values)
    assert spec.states == ("chn", "jpn") and label == "hostility chn-jpn (0-1)"
    for bad in ("hostility:chn", "crisis:chn,chn", "hostility:chn,jpn,kor"):
        result = runner.invoke(app, ["compare", "asia-pacific-2001", "us-retrenchment", "-i", bad])
        assert result.exit_code == 2 and "two different states" in result.output and "Traceback" not in result.output


def test_per_run_tables_hold_the_results_values(tmp_path: Path) -> None:
    out = tmp_path / "r"
    result = runner.invoke(app, ["run", "us-retrenchment", "-n", "30", "--years", "6", "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    ds = xr.open_dataset(out / "results.nc")
    actors, links = ds.sizes["actor"], ds.sizes["link"]
    for name in ("actor", "link", "pair", "region", "status"):
        csv = pd.read_csv(out / f"runs_{name}.csv")
        parquet = pd.read_parquet(out / f"runs_{name}.parquet")
        pd.testing.assert_frame_equal(csv, parquet, check_dtype=False)
    actor = pd.read_parquet(out / "runs_actor.parquet")
    assert len(actor) == 30 * 6 * actors and list(actor.columns[:4]) == ["run", "year", "actor", "actor_name"]
    # one cell checked against the NetCDF array by its labels, not by position
    row = actor[(actor.run == 7) & (actor.year == 2004) & (actor.actor == "jpn")].iloc[0]
    assert row["share"] == ds["share"].sel(run=7, year=2004, actor="jpn").item()
    assert row["actor_name"] == "Japan"
    pair = pd.read_parquet(out / "runs_pair.parquet")
    assert len(pair) == 30 * 6 * actors * (actors - 1) // 2
    hit = pair[(pair.run == 3) & (pair.year == 2005) & (pair.actor == "chn") & (pair.other == "twn")].iloc[0]
    assert hit["hostility"] == ds["hostility"].sel(run=3, year=2005, actor="chn", other="twn").item()
    assert len(pd.read_parquet(out / "runs_link.parquet")) == 30 * 6 * links
    # the CSV's floats read back to the same float32
    csv = pd.read_csv(out / "runs_actor.csv")
    np.testing.assert_array_equal(csv["share"].to_numpy(np.float32), actor["share"].to_numpy(np.float32))
    # --tables chooses the formats; a bad value is refused before anything runs
    only = runner.invoke(
        app, ["run", "-n", "10", "--years", "3", "-q", "-o", str(tmp_path / "p"), "--tables", "parquet"]
    )
    assert only.exit_code == 0 and not list((tmp_path / "p").glob("runs_*.csv"))
    bad = runner.invoke(app, ["run", "-n", "10", "-q", "-o", str(tmp_path / "x"), "--tables", "xlsx"])
    assert bad.exit_code == 2 and "csv, parquet" in bad.output and not (tmp_path / "x").exists()


def test_compare_writes_the_scenarios_runs_stacked_and_paired(tmp_path: Path) -> None:
    results = {name: al.simulate(name, runs=12, years=5, seed=4) for name in ("asia-pacific-2001", "us-retrenchment")}
    stacked = stacked_runs(results)
    assert set(stacked["actor"]["scenario"]) == set(results)
    one = tidy_runs(results["us-retrenchment"])["region"]
    part = stacked["region"][stacked["region"].scenario == "us-retrenchment"].drop(columns="scenario")
    pd.testing.assert_frame_equal(part.reset_index(drop=True), one)
    out = tmp_path / "c"
    result = runner.invoke(app, ["compare", "asia-pacific-2001", "us-retrenchment", "-n", "12", "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    actor = pd.read_csv(out / "runs_actor.csv")
    assert list(actor.columns[:3]) == ["scenario", "run", "year"] and set(actor.scenario) == set(results)
