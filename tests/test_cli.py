"""The command line, run through Typer's runner and as a real subprocess."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from typer.testing import CliRunner

from alliancelab.cli import app

runner = CliRunner()


def test_run_writes_dataset_summary_figures_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "res"
    result = runner.invoke(
        app, ["run", "asia-pacific-2001", "--runs", "40", "--years", "12", "--seed", "3", "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert "Military spending" in result.output and "crisis-prone" in result.output
    assert "Regional order type" in result.output
    for name in (
        "results.nc",
        "summary.csv",
        "manifest.json",
        "spending_share.png",
        "threat.png",
        "order_type.png",
        "regional_indices.png",
    ):
        assert (out / name).stat().st_size > 0, name
    with xr.open_dataset(out / "results.nc", engine="h5netcdf") as ds:
        assert ds.sizes["run"] == 40 and ds.attrs["seed"] == 3
        manifest = json.loads(ds.attrs["manifest"])
        from alliancelab.report.observed import coverage_note

        note = coverage_note(ds)  # the run reaches into SIPRI's record (2002-2012): how much the bands hold
    assert note is not None and note.startswith("SIPRI's record after 2001:")
    assert note in " ".join(result.output.split())
    assert manifest == json.loads((out / "manifest.json").read_text())
    for source in ("manifest.json", "results.nc"):  # a run records what it rests on; cite reads it
        cited = runner.invoke(app, ["cite", str(out / source)])
        assert cited.exit_code == 0, cited.output
        assert "richardson1960arms" in cited.output and "sipri" in cited.output.lower()
    summary = pd.read_csv(out / "summary.csv")
    assert {"variable", "entity", "year", "mean", "q10", "q50", "q90"} <= set(summary.columns)
    jpn = summary[(summary.variable == "share") & (summary.entity == "jpn")]
    assert len(jpn) == 12 and (jpn.q10 <= jpn.q50).all() and (jpn.q50 <= jpn.q90).all()


def test_compare_prints_paired_differences(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "compare",
            "asia-pacific-2001",
            "us-retrenchment",
            "--runs",
            "60",
            "--years",
            "12",
            "--out",
            str(tmp_path),
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "variant us-retrenchment against baseline asia-pacific-2001" in said and "difference" in said
    table = pd.read_csv(tmp_path / "comparison.csv").set_index(["indicator", "scenario"])
    assert table.loc[("Japan abandonment fear (0-1)", "us-retrenchment"), "difference"] > 0
    cited = runner.invoke(app, ["cite", str(tmp_path / "manifest.json")])
    assert cited.exit_code == 0 and cited.output.count("@book{richardson1960arms") == 1
    (tmp_path / "other.json").write_text('{"a": 1}')
    bad = runner.invoke(app, ["cite", str(tmp_path / "other.json")])
    assert bad.exit_code == 2 and "records no 'citations'" in bad.output


def test_scenarios_show_and_schema(tmp_path: Path) -> None:
    listing = runner.invoke(app, ["scenarios"])
    assert listing.exit_code == 0 and "japan-german-model" in listing.output
    shown = runner.invoke(app, ["show", "us-retrenchment"])
    assert shown.exit_code == 0
    import tomllib

    doc = tomllib.loads(shown.output.split("\n", 1)[1])
    assert doc["scenario"]["extends"] == "asia-pacific-2001" and len(doc["actor"]) == 15
    assert any(s["lever"] == "engagement" for s in doc["shock"])
    schema = runner.invoke(app, ["schema", "--out", str(tmp_path / "s.json")])
    assert schema.exit_code == 0
    assert "properties" in json.loads((tmp_path / "s.json").read_text())


def test_bad_input_gives_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "bad"\nstart = 2001\n[[actor]]\nid = "usa"\nname = "US"\n')
    result = subprocess.run(
        [sys.executable, "-m", "alliancelab", "run", str(bad), "--runs", "5", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "missing required field 'gdp'" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "alliancelab", "run", "--runs", "0"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and "'runs' parameter of simulate must be" in result.stderr


def test_forecast_prints_rounds_events_and_writes_files(tmp_path: Path) -> None:
    out = tmp_path / "fc"
    result = runner.invoke(
        app, ["forecast", "ec-emissions-1994", "--rounds", "10", "--rules", "scholz-code", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Belgium" in result.output and "compromise" in result.output
    assert "forecast outcome:" in result.output
    for name in ("rounds.csv", "events.csv", "forecast.nc", "forecast.json", "positions.png"):
        assert (out / name).stat().st_size > 0, name
    rounds = pd.read_csv(out / "rounds.csv", index_col="round")
    assert rounds["mean"].iloc[:4].tolist() == pytest.approx([7.390, 7.461, 7.553, 7.590], abs=5e-4)
    events = pd.read_csv(out / "events.csv")
    assert len(events) == 30 and set(events["outcome"]) == {"compromise", "conflict"}
    summary = json.loads((out / "forecast.json").read_text())
    assert summary["probability"] == "scholz-code" and summary["forecast"] == rounds["median"].iloc[-1]
    with xr.open_dataset(out / "forecast.nc", engine="h5netcdf") as ds:
        assert ds.sizes["round"] == 11 and ds.sizes["actor"] == 10


def test_forecast_perturbed_and_debates(tmp_path: Path) -> None:
    listing = runner.invoke(app, ["debates"])
    assert listing.exit_code == 0 and "okinawa-realignment" in listing.output
    result = runner.invoke(app, ["forecast", "okinawa-realignment", "--perturb", "50", "--seed", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "over 50 perturbed copies" in result.output and "illustrative" in result.output


def test_forecast_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "two.csv"
    bad.write_text("actor,capability,position,salience\nA,1,0,0.5\nB,1,1,2\n")
    result = runner.invoke(app, ["forecast", str(bad)])
    assert result.exit_code == 2
    assert "at least three actors; got 2" in result.output and "salience" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["forecast", "ec-emissions-1994", "--rules", "paperr"])
    assert result.exit_code == 2 and "'paper'" in result.output


def test_data_list_measure_and_cite(tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCELAB_DATA", str(shared_data))
    listing = runner.invoke(app, ["data", "list"])
    assert listing.exit_code == 0 and "cow-nmc" in listing.output and "SIPRI" in listing.output
    out = tmp_path / "m" / "net.csv"
    result = runner.invoke(app, ["measure", "network", "--start", "1999", "--end", "2001", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table["year"]) == [1999, 2000, 2001] and set(table["hub"]) == {2}
    cited = runner.invoke(app, ["cite", str(out.with_suffix(".json"))])
    assert cited.exit_code == 0 and "gibler2009alliances" in cited.output and "freeman1979centrality" in cited.output
    bad = runner.invoke(app, ["measure", "centrality"])
    assert bad.exit_code == 2 and "did you mean" in bad.output
    bad = runner.invoke(app, ["measure", "cinc", "--states", "2,japan"])
    assert bad.exit_code == 2 and "comma-separated COW codes" in bad.output


def test_scenario_from_data_loads_and_runs(tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCELAB_DATA", str(shared_data))
    out = tmp_path / "ap.toml"
    result = runner.invoke(app, ["scenario", "from-data", "--year", "2001", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "actors, 8 alliances" in result.output and "REVIEW" in out.read_text()
    text = " ".join(line.lstrip("# ") for line in out.read_text().splitlines() if line.startswith("#"))
    for source in ("COW national trade 4.0", "COW Direct Contiguity 3.2", "COW IGO 3.0", "MID 5.0 dispute year"):
        assert source in text, source  # every file behind the pair facts is named
    from alliancelab.scenario import load_scenario

    sc = load_scenario(str(out))
    usa = next(a for a in sc.actor if a.ccode == 2)
    assert usa.milex == pytest.approx(331.806e9, rel=1e-5)  # SIPRI 2001, current US$ (as in the preset)
    us_japan = next(a for a in sc.alliance if a.cow_id == 233)
    assert sorted(us_japan.members) == ["jpn", "usa"] and us_japan.patron == "usa" and us_japan.since == 1951
    assert any(set(r.pair) == {"prk", "kor"} for r in sc.rivalry)
    # each actor's spending volatility is the preset's (the same SIPRI years, the same measure)
    preset = {a.id: a.volatility for a in load_scenario("asia-pacific-2001").actor}
    assert {a.id: a.volatility for a in sc.actor if a.id in preset} == pytest.approx(preset, abs=1e-4)
    ran = runner.invoke(app, ["run", str(out), "--runs", "20", "--years", "5", "--out", str(tmp_path / "r"), "--quiet"])
    assert ran.exit_code == 0, ran.output
    # a year where some states lack Maddison GDP: they are left out and named, not a crash
    early = tmp_path / "ne1950.toml"
    result = runner.invoke(
        app, ["scenario", "from-data", "--year", "1950", "--region", "northeast-asia", "-o", str(early)]
    )
    assert result.exit_code == 0, result.output
    assert "# Left out: Mongolia (712): no military expenditure or GDP in any source up to 1950" in early.read_text()
    assert len(load_scenario(str(early)).actor) >= 4
    bad = runner.invoke(app, ["scenario", "from-data", "--states", "2,abc", "-o", str(tmp_path / "x.toml")])
    said = " ".join(bad.output.split())
    assert bad.exit_code == 2 and "'--states' parameter of alliancelab scenario from-data" in said


def test_estimate_refuses_bad_options_plainly(tmp_path: Path) -> None:
    for args, message in (
        (["estimate", "crises", "--outcome", "war"], "onset or fatal"),
        (["estimate", "crises", "--train-end", "2014", "--test-end", "2014"], "train end < test end"),
        (["estimate", "spending", "--start", "1900"], "must lie inside"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "alliancelab", *args, "--quiet"], capture_output=True, text=True, check=False
        )
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr
        assert message in result.stderr, (args, result.stderr)


def test_estimate_crises_writes_tables_and_the_fit(tmp_path: Path, shared_data: Path) -> None:
    from alliancelab.estimation import OnsetFit

    result = runner.invoke(
        app, ["estimate", "crises", "--train-end", "1995", "--test-end", "2005", "-o", str(tmp_path), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert "Held-out 1996-2005" in result.output
    scores = pd.read_csv(tmp_path / "onset_scores.csv")
    assert set(scores["forecast"]) >= {"model", "constant", "politically relevant", "rivalry"}
    fit = OnsetFit.from_json((tmp_path / "onset_fit.json").read_text())
    assert fit.train == (1950, 2005)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["options"]["train"] == [1950, 1995]
    assert "cow_mid/MIDB_5.0.csv" in manifest["data_files"]


def test_results_are_never_written_through_a_planted_link(tmp_path: Path) -> None:
    """Links at the names `run` writes are replaced, their targets untouched; no temporary is left."""
    out = tmp_path / "results"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    for name in ("summary.csv", "manifest.json", "results.nc", "spending_share.png"):
        (out / name).symlink_to(victim)
    args = ["run", "asia-pacific-2001", "-n", "8", "-y", "3", "-q", "--out", str(out), "--overwrite"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me"
    assert not any(p.is_symlink() for p in out.iterdir())
    assert (out / "summary.csv").read_text().startswith("variable,entity,year")
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


BAD_INPUTS: dict[str, tuple[dict[str, str | bytes], list[str], str]] = {
    # name: (files to write, arguments, what the message says)
    "nul in a name": (
        {"s.toml": '[scenario]\nname = "x"\nextends = "asia-pacific-2001"\ntitle = "a\\u0000b"\n'},
        ["run", "s.toml"],
        "must not hold control characters",
    ),
    "a pair of one actor": (
        {
            "s.toml": '[scenario]\nname = "x"\nextends = "asia-pacific-2001"\n[[shock]]\nyear = 2005\n'
            'lever = "reconciliation"\ntarget = ["chn", "chn"]\nvalue = 0.5\n'
        },
        ["run", "s.toml"],
        "a pair needs two different actors",
    ),
    "a seed past 64 bits": ({}, ["run", "--seed", str(2**70)], "'seed' parameter of simulate"),
    "a Latin-1 parameter file": (
        {"p.toml": "[params]\nspiral = 0.5 # \xe9\n".encode("latin-1")},
        ["run", "--params", "p.toml"],
        "UTF-8",
    ),
    "params as a string": ({"p.toml": 'params = "x"\n'}, ["run", "--params", "p.toml"], "a [params] table"),
    "an unwritable --out": ({}, ["run", "--out", "/proc/alliancelab"], "'--out' parameter"),
    "an infinite capability": (
        {"i.csv": "actor,capability,position,salience\na,inf,10,0.5\nb,1,20,0.5\nc,1,30,0.5\n"},
        ["forecast", "i.csv"],
        "finite number",
    ),
    "a scale beyond 1e15": (
        {"i.csv": "actor,capability,position,salience\na,1,1e308,0.5\nb,1,-1e308,0.5\nc,1,30,0.5\n"},
        ["forecast", "i.csv"],
        "must be at most 1e+15",
    ),
    "a measure before 1816": ({}, ["measure", "similarity", "--start", "1700", "--end", "1701"], "1816"),
    "a measure past the data": ({}, ["measure", "network", "--start", "2030", "--end", "2031"], "data cover"),
    "an unknown region": ({}, ["measure", "network", "--region", "asia-pac"], "did you mean 'asia-pacific'"),
    "unknown citations": ({"c.json": '{"citations": ["nonsense"]}'}, ["cite", "c.json"], "cites 'nonsense'"),
    "citations as a string": ({"c.json": '{"citations": "nmc"}'}, ["cite", "c.json"], "a list of names"),
    "a JSON list": ({"c.json": '["x"]'}, ["cite", "c.json"], "a JSON object"),
    "a UTF-16 issue table": (
        {"i.csv": "actor,capability,position,salience\na,1,10,0.5\nb,1,20,0.5\n".encode("utf-16")},
        ["forecast", "i.csv"],
        "not UTF-8",
    ),
    "a Latin-1 issue file": (
        {"i.toml": '[issue]\nname = "\xe9"\n'.encode("latin-1")},
        ["forecast", "i.toml"],
        "not UTF-8",
    ),
    "an input with no values": (
        {
            "e.toml": '[experiment]\nname = "e"\nscenarios = ["asia-pacific-2001"]\nsampler = "grid"\n'
            '[[input]]\nparam = "spiral"\nvalues = []\n[[indicator]]\nname = "x"\noutput = "share"\nactor = "jpn"\n'
        },
        ["sweep", "e.toml", "-q"],
        "at least 1 item",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_with_a_message_not_a_traceback(
    case: str, tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files, args, says = BAD_INPUTS[case]
    monkeypatch.setenv("ALLIANCELAB_DATA", str(shared_data))
    monkeypatch.chdir(tmp_path)
    for name, content in files.items():
        (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    extra = ["-n", "4", "-y", "3", "-q"] if args[0] == "run" else (["-q"] if args[0] == "forecast" else [])
    result = CliRunner().invoke(app, [*args, *extra])
    assert result.exit_code == 2, result.output
    assert says in " ".join(result.output.split()) and "Traceback" not in result.output


def test_a_scenario_without_alliances_runs_and_summarises(tmp_path: Path) -> None:
    doc = '[scenario]\nname = "x"\nstart = 2001\n' + "".join(
        f'[[actor]]\nid = "{a}"\nname = "{a}"\ngdp = 1e12\nmilex = 2e10\nlat = 0\nlon = {k}\n'
        for k, a in enumerate("ab")
    )
    (tmp_path / "s.toml").write_text(doc)
    out = tmp_path / "o"
    result = CliRunner().invoke(app, ["run", str(tmp_path / "s.toml"), "-n", "4", "-y", "3", "-q", "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = pd.read_csv(out / "summary.csv")
    assert "credibility" not in set(summary["variable"]) and "share" in set(summary["variable"])


def test_version_flags_and_overwrite(tmp_path: Path) -> None:
    from alliancelab import __version__

    runner = CliRunner()
    assert runner.invoke(app, ["--version"]).output.strip() == f"alliancelab {__version__}"
    forecast = runner.invoke(app, ["forecast", "ec-emissions-1994", "-r", "3", "-q", "--no-figures"])
    assert forecast.exit_code == 0 and "Rounds" in forecast.output
    out = tmp_path / "results"
    args = ["run", "asia-pacific-2001", "-n", "4", "-y", "3", "-q", "--no-figures", "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "--overwrite" in again.output
    assert runner.invoke(app, [*args, "--overwrite"]).exit_code == 0
    (out / "notes.txt").write_text("mine")
    mixed = runner.invoke(app, [*args, "--overwrite"])
    assert mixed.exit_code == 2 and "notes.txt" in mixed.output and (out / "notes.txt").read_text() == "mine"


def test_cite_names_alliancelab_the_book_and_the_models_of_a_result(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "r"
    assert runner.invoke(app, ["run", "-n", "4", "-y", "3", "-q", "--no-figures", "--out", str(out)]).exit_code == 0
    bib = runner.invoke(app, ["cite", str(out / "manifest.json")]).output
    assert "@software{alliancelab" in bib and "Reinventing the Alliance" in bib and "Richardson" in bib
    assert (Path(__file__).parents[1] / "CITATION.cff").read_text().startswith("cff-version: 1.2.0")


def test_measure_tables_show_names_and_say_which_rows(shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCELAB_DATA", str(shared_data))
    runner = CliRunner(env={"COLUMNS": "200"})
    cinc = runner.invoke(app, ["measure", "cinc", "--start", "1990", "--end", "2001"])
    assert cinc.exit_code == 0 and "the 40 largest by cinc shown" in cinc.output
    lines = [ln for ln in cinc.output.splitlines() if "│" in ln]
    assert "China" in lines[0] or "United States" in lines[0]  # the largest first, named
    series = runner.invoke(app, ["measure", "concentration", "--start", "1900", "--end", "1995"])
    assert "96 rows (1900-1995)" in series.output and "│" in series.output.splitlines()[-2]
    assert series.output.splitlines()[-2].split()[0] == "1995"  # every year, in order
    assert next(ln.split()[0] for ln in series.output.splitlines() if "│" in ln) == "1900"
    longer = runner.invoke(app, ["measure", "concentration", "--start", "1816", "--end", "2001"])
    said = " ".join(longer.output.split())
    assert "186 rows (1816-2001); the last 100 shown (1902-2001); -o writes every row" in said
    # the network's hub by name, with its code
    network = runner.invoke(app, ["measure", "network", "--start", "1960", "--end", "1961"])
    assert network.exit_code == 0 and "United States of America (2)" in network.output
    # on an 80-column terminal no number is cut (names fold), and a span past the data says so
    narrow = CliRunner(env={"COLUMNS": "80"}).invoke(app, ["measure", "similarity", "--start", "2010", "--end", "2014"])
    assert narrow.exit_code == 0, narrow.output
    assert "note: the data give similarity for 2010-2012 only, not all of 2010-2014" in narrow.output
    from alliancelab.report.measure import display_table, measure_table

    shown, _ = display_table(measure_table("similarity", 2010, 2014))
    printed = [ln.split("│") for ln in narrow.output.splitlines() if ln.count("│") == 7]
    first = [c.strip() for c in printed[0]]
    assert first[-1] == f"{shown['tau_b'].iloc[0]:.4g}" and first[-3] == f"{shown['s_unweighted'].iloc[0]:.4g}"


def test_compare_any_scenarios_with_a_window_states_notes_and_a_figure(tmp_path: Path) -> None:
    """A scenario lacking a state leaves out the indicators that need it, with a note; the window
    and the states are the user's; the CSV is tidy with plain-ASCII headers."""
    small = tmp_path / "small.toml"
    small.write_text(
        '[scenario]\nname = "small"\nstart = 2001\n'
        '[[actor]]\nid = "chn"\nname = "China"\ngdp = 1.3e12\nmilex = 2.6e10\nlat = 39.9\nlon = 116.4\n'
        '[[actor]]\nid = "jpn"\nname = "Japan"\ngdp = 4.1e12\nmilex = 3.8e10\nlat = 35.7\nlon = 139.7\n'
    )
    out = tmp_path / "cmp"
    args = ["compare", "asia-pacific-2001", str(small), "-n", "20", "-y", "12", "-q", "--window", "2004-2012"]
    result = CliRunner().invoke(app, [*args, "--states", "chn,jpn", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "mean over 2004-2012" in text and "holds states the others lack" in text
    # the allies come from the baseline's alliances
    assert "'United States' allies' spending share (%)' left out" in text
    table = pd.read_csv(out / "comparison.csv")
    assert {"chn spending share (%)", "jpn perceived threat (US$ bn)"} <= set(table["indicator"])
    assert list(table.columns) == ["indicator", "scenario", "mean", "difference", "se", "q05", "q95", "runs"]
    assert all(c.isascii() for c in table.columns) and (out / "comparison.png").stat().st_size > 0
    assert (out / "trajectories.png").stat().st_size > 0
    bad = CliRunner().invoke(app, [*args[:-1], "2012-2004"])
    assert bad.exit_code == 2 and "FIRST <= LAST" in bad.output


def test_compare_takes_the_users_indicators_and_years(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    args = ["compare", "asia-pacific-2001", "us-retrenchment", "-n", "20", "-y", "12", "-q", "--window", "2006-2012"]
    result = CliRunner().invoke(
        app, [*args, "-i", "share:jpn", "-i", "threat:chn,kor", "-i", "order:1", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "comparison.csv")
    expected = ["share of jpn (%)", "threat of chn,kor (US$ bn)", "balance of power share of years (share)"]
    assert sorted(set(table["indicator"])) == sorted(expected) and "2006-2012" in " ".join(result.output.split())
    jpn = table[(table["indicator"] == "share of jpn (%)") & (table["scenario"] == "us-retrenchment")].iloc[0]
    assert jpn["difference"] > 0  # less certain U.S. commitment: Japan spends more (abandonment fear)
    bad = CliRunner().invoke(app, [*args, "-i", "shares:jpn"])
    assert bad.exit_code == 2 and "order:0-4" in bad.output and "Traceback" not in bad.output
    # a window outside the simulated years, or indicators no scenario can compute: refused, not NaN
    late = CliRunner().invoke(app, [*args[:-1], "2010-2020"])
    assert late.exit_code == 2 and "years within the simulated 2001-2012; got '2010-2020'" in " ".join(
        late.output.split()
    )
    nobody = CliRunner().invoke(app, [*args, "-i", "share:xxx"])
    said = " ".join(nobody.output.split())
    assert nobody.exit_code == 2 and "indicators every scenario can compute" in said and "'share of xxx (%)'" in said


def test_a_run_keeping_only_dyadic_outputs_and_a_negative_chunk(tmp_path: Path) -> None:
    runner = CliRunner()
    kept = runner.invoke(app, ["run", "-n", "4", "-y", "3", "-q", "--keep", "crisis", "--out", str(tmp_path / "k")])
    assert kept.exit_code == 0, kept.output
    assert list(pd.read_csv(tmp_path / "k" / "summary.csv").columns)[:3] == ["variable", "entity", "year"]
    experiment = Path(__file__).parents[1] / "examples" / "us-commitment.toml"
    chunk = runner.invoke(app, ["sweep", str(experiment), "--chunk", "-5", "-q", "--out", str(tmp_path / "s")])
    assert (
        chunk.exit_code == 2 and "'chunk' parameter of plan_sweep" in chunk.output and "Traceback" not in chunk.output
    )


def test_tables_are_never_cut_on_a_narrow_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Long names fold, every value is printed whole (no ellipsis, no cropped column), and a
    missing value shows as a dash."""
    import io

    from rich.console import Console

    from alliancelab.cli import common

    out = io.StringIO()
    monkeypatch.setattr(common, "console", Console(file=out, width=60, color_system=None))
    values = np.array([[123456.789, -0.000123456, 1.5, float("nan"), 98765.4321, 0.25, -7.125]] * 2)
    frame = pd.DataFrame(values, columns=[f"a long column header {k}" for k in range(7)])
    frame.index = ["a very long indicator name that will not fit", "short"]
    common.print_table(common.frame_table(frame, "title", "{:.6g}", "indicator"))
    text = out.getvalue()
    assert "…" not in text and "nan" not in text
    for v in ("123457", "-0.000123456", "98765.4", "-7.125"):
        assert text.count(v) == 2, v
    assert text.count("—") == 2
    assert "indicator" in text and "very long" in text


def test_a_flag_means_one_thing_in_every_command() -> None:
    """Across every command and subcommand, a short flag stands for one long option, and a long
    option that has a short flag anywhere has the same one everywhere (-n is --runs, -p --params, …)."""
    import typer

    def options(cmd: Any, path: str) -> Iterator[tuple[str, tuple[str, ...], tuple[str, ...]]]:
        if hasattr(cmd, "list_commands"):  # a group: walk its commands
            for name in cmd.list_commands(None):
                yield from options(cmd.get_command(None, name), f"{path} {name}".strip())
            return
        for p in cmd.params:
            if p.param_type_name == "option":
                flags = [*p.opts, *p.secondary_opts]
                longs = tuple(sorted(f for f in flags if f.startswith("--")))
                yield path, longs, tuple(sorted(f for f in flags if not f.startswith("--")))

    seen = list(options(typer.main.get_command(app), ""))
    walked = {path for path, _, _ in seen}  # subcommands included
    assert {"run", "backtest", "validate crises", "estimate spending", "scenario from-data", "data get"} <= walked
    by_short: dict[str, set[tuple[str, ...]]] = {}
    by_long: dict[str, set[tuple[str, ...]]] = {}
    for _, longs, shorts in seen:
        for s in shorts:
            by_short.setdefault(s, set()).add(longs)
        for flag in longs:
            by_long.setdefault(flag, set()).add(shorts)
    assert {s: v for s, v in by_short.items() if len(v) > 1} == {}
    assert {f: v for f, v in by_long.items() if len(v - {()}) > 0 and len(v) > 1} == {}
    assert by_short["-n"] == {("--runs",)} and by_short["-p"] == {("--params",)}


def test_scenario_history_writes_the_scenario_validation_runs(tmp_path: Path, shared_data: Path) -> None:
    """`scenario history` writes exactly what `validate crises` and `backtest` run; its run's figures
    mark the dated events, not every year of realised growth."""
    from alliancelab.experiments.history import POLITICAL_SHOCKS, history_scenario
    from alliancelab.models.order.simulate import simulate
    from alliancelab.report.style import shock_years
    from alliancelab.scenario import load_scenario

    out = tmp_path / "h.toml"
    result = runner.invoke(app, ["scenario", "history", "--start", "1995", "--end", "2000", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = load_scenario(str(out))
    expected = history_scenario(1995, 2000)
    assert written.model_dump(exclude_none=True) == expected.model_dump(exclude_none=True)
    # year t carries t's recorded growth into t + 1
    assert {s.year for s in written.shock if s.lever == "realised_growth"} == set(range(1995, 2000))
    ds = simulate(written, runs=4, seed=0, keep="share")
    events = {s.year for s in written.shock if s.lever != "realised_growth" and 1995 < s.year <= 2000}
    assert {s.year for s in POLITICAL_SHOCKS if 1995 < s.year <= 2000} <= events
    assert shock_years(ds) == sorted(events) and 1997 not in shock_years(ds)  # 1997: growth only
    late = runner.invoke(app, ["scenario", "history", "--start", "2001", "--end", "2030", "-o", str(out)])
    assert late.exit_code == 2 and "to 2018 (Maddison's last); got 2030" in " ".join(late.output.split())


def test_estimate_uncertainty_prints_and_writes_what_the_engine_draws(tmp_path: Path, shared_data: Path) -> None:
    """`estimate uncertainty` gives the estimates the packaged set and the data-built scenarios
    carry: each state's spending volatility and GDP's projection error, from the data up to --year."""
    from alliancelab.estimation.growth import growth_uncertainty
    from alliancelab.models.order.params import Params
    from alliancelab.scenario import load_scenario

    out = tmp_path / "unc"
    result = runner.invoke(app, ["estimate", "uncertainty", "--year", "2001", "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    vol = pd.read_csv(out / "spending_volatility.csv").set_index("ccode")["volatility"]
    preset = {a.ccode: a.volatility for a in load_scenario("asia-pacific-2001").actor}
    assert vol.to_dict() == pytest.approx(preset, abs=1e-4)  # the built-in scenario's own
    spread = pd.read_csv(out / "growth_projection.csv").set_index("horizon")["sd_log_error"]
    g = growth_uncertainty(list(preset), 2001)
    assert spread.to_dict() == pytest.approx(g.spread.to_dict(), rel=1e-5)
    said = " ".join(result.output.split())
    assert f"growth_drift (a run's lasting deviation of the growth rate) {g.trend:.4f}" in said
    default = runner.invoke(app, ["estimate", "uncertainty", "--quiet"])  # data to 2000: the packaged terms
    found = re.search(
        r"growth rate\) ([0-9.]+); growth_noise \(yearly shock\) ([0-9.]+)", " ".join(default.output.split())
    )
    assert default.exit_code == 0 and found is not None, default.output
    assert (round(float(found[1]), 2), round(float(found[2]), 2)) == (Params().growth_drift, Params().growth_noise)
    early = runner.invoke(app, ["estimate", "uncertainty", "--year", "1930"])
    assert early.exit_code == 2 and "no SIPRI share of GDP" in early.output


def test_the_smaller_things_a_newcomer_meets(tmp_path: Path) -> None:
    """`schema -o` says what it wrote; a forecast's citations include Bueno de Mesquita's method;
    a forecast whose median has not settled says what range it moves over."""
    schema = runner.invoke(app, ["schema", "-o", str(tmp_path / "s.json")])
    assert schema.exit_code == 0 and f"wrote {tmp_path / 's.json'}" in " ".join(schema.output.split())
    assert json.loads((tmp_path / "s.json").read_text())["title"]
    out = tmp_path / "fc"
    cycling = runner.invoke(
        app, ["forecast", "ec-emissions-1994", "--rules", "scholz-code", "--rounds", "10", "-q", "-o", str(out)]
    )
    assert cycling.exit_code == 0, cycling.output
    said = " ".join(cycling.output.split())
    assert "the weighted median has not settled: over rounds 5-10 it moves between 7.000 and 9.962" in said
    cited = runner.invoke(app, ["cite", str(out / "forecast.json")])
    assert cited.exit_code == 0 and "Political Forecasting: An Expected Utility Method" in cited.output
    assert "Unravelling Bueno de Mesquita" in cited.output
    settled = runner.invoke(app, ["forecast", "ec-emissions-1994", "--rounds", "60", "-q"])
    assert settled.exit_code == 0 and "has not settled" not in settled.output
