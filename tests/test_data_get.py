"""`alliancelab data get` on a machine without the data folder, against a real HTTP server.

The remote is a copy of ``../shared/data`` served on 127.0.0.1 (tests/remote.py), laid out as
``$ALLIANCELAB_DATA_URL`` expects. The data root and the cache start empty, as on a fresh
``pip install``; everything a command reads must then come from ``data get``: downloads verified by
SHA-256 and tables built in code from peacesciencer's R data files, each equal to the shared
folder's table byte for byte. No checksummed copy of peacesciencer's rivalry and arms-race R files
is in the shared folder, so the remote serves ones written from the shared tables with pyreadr
(their tables' checksums still decide). SIPRI's workbook is put in the cache by hand, as its
terms require and the command's message says.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from alliancelab.cli import app
from alliancelab.data.build import BUILDS
from alliancelab.data.files import DataFileError, fetch, partial_dir
from alliancelab.data.get import availability, get, plan
from alliancelab.data.registry import DATASETS, FILES
from tests.remote import Remote, serving

runner = CliRunner()

#: peacesciencer's R files of which the shared folder holds no copy
UNCOPIED = ("rivalries", "arms_races")


def _served_copy(shared_data: Path, root: Path) -> None:
    shutil.copytree(shared_data, root, ignore=shutil.ignore_patterns("*.pdf", "SIPRI-*"))
    for path in root.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    import pyreadr

    for key in UNCOPIED:
        source = FILES[f"{key}_rda"]
        pyreadr.write_rdata(str(root / source.relpath), pd.read_csv(shared_data / FILES[key].relpath), df_name=key)


@pytest.fixture
def remote(shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Remote]:
    """The remote, an empty data root and an empty cache."""
    _served_copy(shared_data, tmp_path / "served")
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("ALLIANCELAB_DATA", str(tmp_path / "empty"))
    monkeypatch.setenv("ALLIANCELAB_CACHE", str(tmp_path / "cache"))
    with serving(tmp_path / "served") as served:
        monkeypatch.setenv("ALLIANCELAB_DATA_URL", served.url)
        yield served


def _cached_tables(cache: Path) -> list[str]:
    """Every file at a table's place in the cache (partial downloads and the record aside)."""
    return sorted(
        str(p.relative_to(cache))
        for p in cache.rglob("*")
        if p.is_file() and ".partial" not in p.parts and p.name != "verified.json"
    )


def test_every_file_is_fetchable_buildable_or_by_hand() -> None:
    for key, f in FILES.items():
        assert f.url or key in BUILDS or f.manual, key
        if f.url:
            assert f.url.startswith("https://raw.githubusercontent.com/"), key
            assert (f.size > 0) == bool(f.sha256), key  # a size is known where a copy was checksummed
        assert any(key in d.files for d in DATASETS.values()), f"{key} belongs to no dataset"
    for b in BUILDS.values():
        assert all(k in FILES for k in b.inputs)


def test_each_address_is_the_commit_and_path_the_provenance_names(shared_data: Path) -> None:
    """The registry's addresses are checked against the data folder's own record, not against
    themselves: each pinned commit and repository path appears in that folder's PROVENANCE.md."""
    for key, f in FILES.items():
        if not f.url:
            continue
        owner, repo, commit = f.url.split("/")[3:6]
        provenance = (shared_data / f.folder / "PROVENANCE.md").read_text()
        assert len(commit) == 40 and commit in provenance, key
        assert f"{owner}/{repo}" in provenance and f.url_path.split("/")[-1] in provenance, key


def test_a_fresh_machine_gets_everything_and_the_commands_run(
    remote: Remote, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    listed = runner.invoke(app, ["data", "list"])
    assert listed.exit_code == 0 and "fetchable" in listed.output and "present" not in listed.output
    # the size is said before anything downloads, and --dry-run downloads nothing
    expected = sum(f.size for f in FILES.values() if f.url)  # the two uncopied R files: size unknown
    dry = runner.invoke(app, ["data", "get", "--all", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"({expected / 1e6:,.1f} MB and 2 of unknown size)" in " ".join(dry.output.split())
    assert not cache.exists() and remote.requests == []

    # without SIPRI's workbook: everything else is fetched, and the step by hand is said
    first = runner.invoke(app, ["data", "get", "--all", "-q"])
    assert first.exit_code == 2, first.output
    said = " ".join(first.output.split())
    assert "still needed by hand" in said and "https://www.sipri.org/databases/milex" in said
    assert str(cache / "sipri_milex") in first.output.replace("\n", "")
    # every table but SIPRI's two is in the cache, byte for byte the shared folder's
    wanted = sorted(f.relpath for f in FILES.values() if f.folder != "sipri_milex")
    assert _cached_tables(cache) == wanted
    for f in FILES.values():
        if f.folder != "sipri_milex" and f.sha256:
            assert (cache / f.relpath).read_bytes() == (shared_data / f.relpath).read_bytes(), f.key
    assert not partial_dir().exists()

    # SIPRI's workbook by hand, as the message says; the rerun downloads nothing again
    (cache / "sipri_milex").mkdir()
    shutil.copy(shared_data / FILES["sipri_xlsx"].relpath, cache / "sipri_milex")
    asked = len(remote.requests)
    second = runner.invoke(app, ["data", "get", "--all", "-q"])
    assert second.exit_code == 0, second.output
    assert len(remote.requests) == asked and "nothing to download" in second.output
    assert all(availability(k)[0] == "present" for k in FILES)

    # the commands that needed the data folder now run on the cache alone
    out = tmp_path / "out"
    estimated = runner.invoke(
        app, ["estimate", "crises", "--train-end", "1995", "--test-end", "2005", "-q", "-o", str(out / "est")]
    )
    assert estimated.exit_code == 0, estimated.output
    validated = runner.invoke(app, ["validate", "crises", "-n", "20", "-q", "-o", str(out / "val")])
    assert validated.exit_code == 0, validated.output
    assert (out / "val" / "crisis_validation_pairs.csv").is_file()
    network = runner.invoke(app, ["measure", "network", "--start", "2000", "--end", "2001"])
    assert network.exit_code == 0 and "centralization" in network.output
    # the same fit as on the shared folder: the data are the same, whichever way they came
    monkeypatch.setenv("ALLIANCELAB_DATA", str(shared_data))
    again = runner.invoke(
        app, ["estimate", "crises", "--train-end", "1995", "--test-end", "2005", "-q", "-o", str(out / "shared")]
    )
    assert again.exit_code == 0, again.output
    for name in ("onset_coefficients.csv", "onset_scores.csv"):
        assert (out / "est" / name).read_bytes() == (out / "shared" / name).read_bytes()


def test_a_damaged_download_keeps_nothing(remote: Remote, tmp_path: Path) -> None:
    f = FILES["contdir_rda"]
    served = remote.root / f.relpath
    data = bytearray(served.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte, the size unchanged
    served.write_bytes(bytes(data))
    with pytest.raises(DataFileError, match=r"checksum does not match.*nothing was kept"):
        get(["cow-contiguity"])
    assert _cached_tables(tmp_path / "cache") == []
    assert not partial_dir().exists()  # the damaged download was deleted, not kept to resume
    result = runner.invoke(app, ["data", "get", "cow-contiguity", "-q"])
    assert result.exit_code == 2 and "Traceback" not in result.output and "nothing was kept" in result.output


def test_a_source_that_does_not_rebuild_the_registered_table_keeps_nothing(remote: Remote, tmp_path: Path) -> None:
    """peacesciencer's rivalry file has no checksum of its own: a changed value is caught by the
    SHA-256 of the table built from it, and neither file is kept as the table."""
    import pyreadr

    source = remote.root / FILES["rivalries_rda"].relpath
    table = pyreadr.read_r(str(source))["rivalries"]
    table.loc[table.index[3], "start"] += 1
    pyreadr.write_rdata(str(source), table, df_name="rivalries")
    with pytest.raises(DataFileError, match=r"gave SHA-256 [0-9a-f]{64}, not the registry's .*nothing was kept"):
        get(["rivalries"])
    assert FILES["rivalries"].relpath not in _cached_tables(tmp_path / "cache")


def test_a_wrong_registered_hash_or_size_keeps_nothing(
    remote: Remote, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    real = FILES["majors"]
    monkeypatch.setitem(FILES, "majors", dataclasses.replace(real, sha256="0" * 64))
    with pytest.raises(DataFileError, match="checksum does not match the registry"):
        fetch("majors")
    monkeypatch.setitem(FILES, "majors", dataclasses.replace(real, size=real.size + 10))
    with pytest.raises(DataFileError, match=r"the server sent 539 bytes, the registered file has 549"):
        fetch("majors")
    assert _cached_tables(tmp_path / "cache") == []


def test_an_interrupted_transfer_resumes_where_it_stopped(remote: Remote, tmp_path: Path) -> None:
    f = FILES["igo_ndy_rda"]
    path = f"/{f.relpath}"
    remote.cut[path] = 100_000  # the connection drops after 100,000 bytes
    interrupted = runner.invoke(app, ["data", "get", "cow-igo", "-q"])
    assert interrupted.exit_code == 2, interrupted.output
    # what arrived whole is kept apart (the block the connection broke in is not)
    kept = (partial_dir() / f"{f.relpath}.part").stat().st_size
    assert 0 < kept <= 100_000
    said = " ".join(interrupted.output.split())
    assert "download interrupted" in said and f"{kept:,} bytes are kept apart" in said and "resumes" in said
    assert _cached_tables(tmp_path / "cache") == []  # nothing at any table's place
    resumed = runner.invoke(app, ["data", "get", "cow-igo", "-q"])
    assert resumed.exit_code == 0, resumed.output
    asks = [r for p, r in remote.requests if p == path]
    assert asks == ["", f"bytes={kept}-"]  # the second request asked only for the rest
    assert _cached_tables(tmp_path / "cache") == sorted([f.relpath, FILES["igo_ndy"].relpath])
    assert not partial_dir().exists()


def test_nothing_listening_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCELAB_DATA", str(tmp_path / "empty"))
    monkeypatch.setenv("ALLIANCELAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("ALLIANCELAB_DATA_URL", "http://127.0.0.1:9")
    result = runner.invoke(app, ["data", "get", "cow-states", "-q"])
    assert result.exit_code == 2 and "download failed" in result.output and "nothing was kept" in result.output
    both = runner.invoke(app, ["data", "get", "cow-states", "--all"])
    assert both.exit_code == 2 and "not both" in both.output
    unknown = runner.invoke(app, ["data", "get", "cow-nmcc"])
    assert unknown.exit_code == 2 and "cow-nmc" in unknown.output


def test_the_plan_puts_sources_before_the_tables_built_from_them(remote: Remote) -> None:
    steps = [s.key for s in plan(["cow-nmc", "cow-mid"]).steps]
    for key in ("nmc7", "gml_ddy", "mid_dirdisps"):
        assert steps.index(f"{key}_rda") < steps.index(key)
