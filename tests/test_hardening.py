"""Nothing lost, nothing written where it should not be: links planted where a command writes,
``--overwrite`` on a folder that is not a sweep's, a full disk, a byte changed in place with its
size and modification time kept, a damaged SIPRI file, and duplicate entries in a scenario."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from alliancelab.cli import app
from alliancelab.data.files import DataFileError, file_status, locate
from alliancelab.data.registry import FILES
from alliancelab.errors import ScenarioError
from alliancelab.scenario import load_scenario, scenario_from_dict

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "precious.txt"
    victim.write_text("the user's own file\n")
    return victim


def test_no_write_follows_a_link_planted_where_a_command_writes(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".alliancelab-write-test").symlink_to(victim)  # the probe's old, predictable name
    compare = ["compare", "asia-pacific-2001", "us-retrenchment", "-n", "8", "-y", "5", "-q", "--tables", "none"]
    result = runner.invoke(app, [*compare, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "the user's own file\n"
    # results written through a planted link replace the link, never the file it points at
    (out / "comparison.csv").unlink()
    (out / "comparison.csv").symlink_to(victim)
    again = runner.invoke(app, [*compare, "-o", str(out)])
    assert again.exit_code == 0 and victim.read_text() == "the user's own file\n"
    assert not (out / "comparison.csv").is_symlink()
    # the sweep's lock and holder files: a planted link is refused by name, its target untouched
    experiment = REPO / "examples" / "us-commitment.toml"
    for name in ("s.zarr.lock", "s.zarr.lock.holder"):
        folder = tmp_path / name.replace(".", "-")
        folder.mkdir()
        (folder / name).symlink_to(victim)
        refused = runner.invoke(app, ["sweep", str(experiment), "-q", "--out", str(folder / "s.zarr")])
        assert refused.exit_code == 2 and "is a symbolic link" in refused.output, refused.output
        assert victim.read_text() == "the user's own file\n"


def test_overwrite_removes_only_a_sweep_store(tmp_path: Path) -> None:
    experiment = REPO / "examples" / "us-commitment.toml"
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "chapter1.tex").write_text("years of work\n")
    result = runner.invoke(app, ["sweep", str(experiment), "-q", "--out", str(folder), "--overwrite"])
    assert result.exit_code == 2 and "is not a sweep store" in result.output
    assert (folder / "chapter1.tex").read_text() == "years of work\n"
    link = tmp_path / "link.zarr"
    link.symlink_to(folder)
    result = runner.invoke(app, ["sweep", str(experiment), "-q", "--out", str(link), "--overwrite"])
    assert result.exit_code == 2 and (folder / "chapter1.tex").exists()


def test_a_full_disk_is_a_clear_error_and_keeps_the_old_results(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.decode().strip()})")
    try:
        out = disk / "r"

        def run(runs: int, *more: str) -> subprocess.CompletedProcess[str]:
            command = [sys.executable, "-m", "alliancelab", "run", "-n", str(runs), "-y", "4", "-q", "--no-figures"]
            return subprocess.run([*command, "--tables", "none", "-o", str(out), *more], capture_output=True, text=True)

        small = run(20)
        assert small.returncode == 0, small.stderr
        before = (out / "results.nc").read_bytes()
        big = run(3000, "--overwrite")
        assert big.returncode == 2, (big.returncode, big.stderr[-2000:])  # an error, not a signal
        said = " ".join(big.stderr.split())
        assert "the disk is full" in said and "Traceback" not in said
        assert (out / "results.nc").read_bytes() == before  # the old results are as they were
        assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_byte_changed_in_place_with_its_size_and_time_kept_is_refused(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = FILES["majors"]
    root = tmp_path / "data"
    (root / f.folder).mkdir(parents=True)
    target = root / f.relpath
    shutil.copy(shared_data / f.relpath, target)
    target.chmod(0o644)
    monkeypatch.setenv("ALLIANCELAB_DATA", str(root))
    monkeypatch.setenv("ALLIANCELAB_CACHE", str(tmp_path / "cache"))
    assert file_status("majors")[0] == "verified"  # hashed once and remembered
    stat = target.stat()
    data = bytearray(target.read_bytes())
    i = data.index(b"2", 40)
    data[i : i + 1] = b"3"  # bit rot: one digit, the same size
    with target.open("r+b") as fh:
        fh.write(bytes(data))
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the modification time put back
    assert target.stat().st_size == stat.st_size and target.stat().st_mtime_ns == stat.st_mtime_ns
    assert file_status("majors")[0] == "modified"
    with pytest.raises(DataFileError, match="does not match the registry"):
        locate("majors")
    verify = runner.invoke(app, ["data", "verify", "cow-states"])
    assert verify.exit_code == 2 and "differ from the registry's SHA-256" in verify.output


def test_a_damaged_sipri_file_is_said_not_dropped_in_silence(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "data"
    shutil.copytree(shared_data / "sipri_milex", root / "sipri_milex", ignore=shutil.ignore_patterns("*.xlsx"))
    for name in ("cow_states",):
        shutil.copytree(shared_data / name, root / name)
    sipri = root / FILES["sipri_long"].relpath
    sipri.chmod(0o644)
    sipri.write_text(sipri.read_text().replace("Japan", "Jepan", 1))
    monkeypatch.setenv("ALLIANCELAB_DATA", str(root))
    monkeypatch.setenv("ALLIANCELAB_CACHE", str(tmp_path / "cache"))
    result = runner.invoke(app, ["run", "-n", "10", "-y", "4", "-q", "-o", str(tmp_path / "r"), "--tables", "none"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "SIPRI's record is left out of the spending figures" in said and "does not match the registry" in said


def test_duplicate_entries_are_refused_with_both_places() -> None:
    doc = load_scenario("asia-pacific-2001").model_dump(mode="json", exclude_none=True)
    first = dict(doc["rivalry"][0])
    doc["rivalry"].append({**first, "pair": list(reversed(first["pair"])), "hostility": 0.9})
    doc["shock"] = [
        {"year": 2005, "lever": "engagement", "target": "usa", "value": 0.5},
        {"year": 2005, "lever": "engagement", "target": "usa", "value": 0.7},
    ]
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(doc)
    said = str(err.value)
    assert "is given again (first at rivalry[1]" in said
    assert "a second shock on lever 'engagement' of 'usa' in 2005 (the first at shock[1]" in said


def test_untrusted_text_stays_text(tmp_path: Path) -> None:
    """Escape codes and Rich markup in a forecast's table reach the terminal as text; an actor
    name a spreadsheet would run as a formula is written as text in the CSVs."""
    table = tmp_path / "i.csv"
    table.write_text(
        "actor,capability,position,salience\n"
        '"=HYPERLINK(""http://127.0.0.1"")",1,10,0.5\n'
        "\x1b[2JEvil,1,20,0.5\n"
        "[bold red]Loud[/],1,30,0.5\n"
    )
    out = tmp_path / "fc"
    result = runner.invoke(app, ["forecast", str(table), "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\\x1b[2JEvil" in result.output
    assert "[bold red]Loud[/]" in result.output  # shown as written, not as markup
    events = (out / "events.csv").read_text() + (out / "rounds.csv").read_text()
    assert "'=HYPERLINK" in events and ",=HYPERLINK" not in events and '"=HYPERLINK' not in events


def test_numeric_options_have_bounds() -> None:
    for args in (
        ["estimate", "uncertainty", "--year", "100000000"],
        ["claims", "--samples", "1000000000"],
        ["claims", "--seed", "-1", "--samples", "2", "-n", "2"],
        ["forecast", "ec-emissions-1994", "--rounds", "0"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and "Traceback" not in result.output, (args, result.output)


def test_the_dashboards_upload_meets_the_command_lines_reader_and_limits() -> None:
    from alliancelab.scenario.load import MAX_FILE_BYTES, scenario_from_upload
    from alliancelab.scenario.load import scenario_toml as toml_of

    good = toml_of(load_scenario("asia-pacific-2001")).encode()
    assert scenario_from_upload(good, "mine.toml").name == "asia-pacific-2001"
    cases = {
        b"x = " + b"[" * 100_000 + b"]" * 100_000: "nested too deeply",
        b" " * (MAX_FILE_BYTES + 1): "a scenario file holds at most",
        b"\xff\xfe": "not UTF-8",
        b'[scenario]\nname = "x"\nextends = "/etc/passwd"\n': "cannot use `extends`",
        b"[scenario\n": "TOML syntax",
    }
    for data, said in cases.items():
        with pytest.raises(ScenarioError, match=said.replace("(", r"\(")):
            scenario_from_upload(data, "up.toml")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["measure", "cinc", "-o", "{dir}"], "not an existing folder"),
        (["scenario", "from-data", "-o", "{dir}"], "not an existing folder"),
        (["scenario", "history", "-o", "{dir}"], "not an existing folder"),
        (["estimate", "spending", "--start", "1990", "--end", "1990"], "needs at least 2 (a lag)"),
        (["report", "asia-pacific-2001", "-n", "4", "--claims", "{claims}", "-o", "{dir}/r.html"], "lacks ['verdict']"),
        (["run", "-n", "4", "--max-memory", "1e300", "-o", "{dir}/m"], "at most 2**40"),
        (["discover", "{store}", "--where", "x > 1" + "0" * 500], "too large to compare"),
        (["claims", "--seed", "-1", "--samples", "2", "-n", "2"], "'seed' parameter of analyse_claims"),
    ],
)
def test_what_gave_a_traceback_is_a_clear_error(args: list[str], said: str, tmp_path: Path) -> None:
    folder = tmp_path / "exists"
    folder.mkdir()
    (tmp_path / "c.csv").write_text("claim,text\n1,x\n")
    store = tmp_path / "s.zarr"
    if "{store}" in args:
        small = (REPO / "examples" / "us-commitment.toml").read_text().replace("samples = 64", "samples = 2")
        (tmp_path / "e.toml").write_text(small.replace("replicates = 10", "replicates = 1"))
        assert runner.invoke(app, ["sweep", str(tmp_path / "e.toml"), "-q", "--out", str(store)]).exit_code == 0
        args = [a.replace("x > 1", "jpn_share_2020 > 1") for a in args]
    filled = [a.format(dir=folder, claims=tmp_path / "c.csv", store=store) for a in args]
    result = runner.invoke(app, filled)
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert said in " ".join(result.output.split()), result.output


def test_a_name_holding_matplotlib_math_is_drawn_as_text(tmp_path: Path) -> None:
    from alliancelab.scenario.load import scenario_toml as toml_of

    text = toml_of(load_scenario("asia-pacific-2001")).replace('name = "Japan"', 'name = "$\\\\frac{1}{$"', 1)
    assert "frac" in text
    (tmp_path / "m.toml").write_text(text)
    result = runner.invoke(
        app, ["run", str(tmp_path / "m.toml"), "-n", "6", "-y", "4", "-q", "-o", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r" / "spending_share.png").stat().st_size > 10_000


def test_the_forecast_pages_editor_hands_back_what_the_library_checks() -> None:
    """The stakeholder editor returns added rows as None or pandas' NA and cleared cells as NaN,
    in columns whose types the editor chose: each reaches the issue's own checks, by row and
    field, never a traceback; an untouched table gives the issue back."""
    from alliancelab.dashboard.forms import edited_issue
    from alliancelab.errors import IssueError
    from alliancelab.models.bargaining import load_issue

    issue = load_issue("ec-emissions-1994")
    table = pd.DataFrame([s.model_dump() for s in issue.stakeholders])
    assert edited_issue(issue, table, "same").stakeholders == issue.stakeholders
    added = pd.concat([table, pd.DataFrame([{c: None for c in table.columns}])], ignore_index=True)
    cleared = table.convert_dtypes()
    cleared.loc[0, "position"] = pd.NA  # the first row: stakeholder[1] (numbered from 1)
    typed = table.astype(object)
    typed.loc[2, "salience"] = "high"
    for frame, said in (
        (added, f"stakeholder[{len(table) + 1}]: missing required field 'actor'"),
        (cleared, "stakeholder[1] ('Netherlands'): missing required field 'position'"),
        (typed, "salience: must be a number; got 'high'"),
        (table.iloc[:0], "needs at least three actors"),
    ):
        with pytest.raises(IssueError) as caught:
            edited_issue(issue, frame, "edited")
        assert said in str(caught.value), str(caught.value)


@pytest.mark.parametrize("command", [["data", "build"], ["data", "get", "cow-states"]], ids=["build", "get"])
def test_an_unwritable_cache_is_named_with_how_to_choose_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("ALLIANCELAB_CACHE", str(blocked))
    if command[1] == "get":  # nothing here, so a download is due; its address is never reached
        monkeypatch.setenv("ALLIANCELAB_DATA", str(tmp_path / "no-data"))
        monkeypatch.setenv("ALLIANCELAB_DATA_URL", "http://127.0.0.1:9")
    result = CliRunner().invoke(app, command)
    said = " ".join(result.output.split())
    assert result.exit_code == 2 and "Traceback" not in said, result.output
    assert f"{blocked}" in said and "the data cache cannot be written here (Not a directory)" in said
    assert "set ALLIANCELAB_CACHE to a folder you can write" in said
    assert blocked.read_text() == "a file where the cache folder should be"


def test_one_reader_refuses_results_without_a_run_manifest() -> None:
    """Every command reads a result's manifest through one reader: a dataset with none, or with
    one that is not a JSON object, is refused in words, never a KeyError or a JSON traceback."""
    import xarray as xr

    from alliancelab.engine.manifest import read_manifest
    from alliancelab.errors import StoreError

    assert read_manifest(xr.Dataset(attrs={"manifest": '{"params": {}}'})) == {"params": {}}
    for attrs, said in (
        ({}, "carry no run manifest"),
        ({"manifest": "{oops"}, "not JSON"),
        ({"manifest": "[1]"}, "not an object"),
    ):
        with pytest.raises(StoreError, match=said):
            read_manifest(xr.Dataset(attrs=attrs))
