"""Derived tables built from the producers' own files equal the tables in the shared data folder.

Each build is run into an empty cache and compared with the shared folder's table byte for byte;
then a data root that holds only the producers' files is used the way a new user's machine is:
the tables are built on first use, and the loaders return what they return on the shared folder.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from alliancelab.cli import app
from alliancelab.data import load_sipri
from alliancelab.data.build import BUILDS, build
from alliancelab.data.files import DataFileError, locate
from alliancelab.data.registry import FILES


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ALLIANCELAB_CACHE", str(folder))
    return folder


@pytest.fixture
def producers_only(tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data root holding only producers' files (as links): those the builds read, and COW's
    state list, by which the loaders match names to country codes."""
    root = tmp_path / "producers"
    for key in {k for b in BUILDS.values() for k in b.inputs} | {"states", "system", "majors"}:
        f = FILES[key]
        (root / f.folder).mkdir(parents=True, exist_ok=True)
        (root / f.relpath).symlink_to(shared_data / f.relpath)
    (root / "README.md").write_text("producers' files only\n")
    monkeypatch.setenv("ALLIANCELAB_DATA", str(root))
    return root


#: peacesciencer's files of which no checksummed copy is in the shared folder (their tables are)
UNCOPIED = {"rivalries", "arms_races"}


@pytest.mark.parametrize("key", sorted(set(BUILDS) - UNCOPIED))
def test_each_build_equals_the_shared_table(key: str, shared_data: Path, cache: Path) -> None:
    path = build(key, force=True)
    assert path.parent.parent == cache
    assert path.read_bytes() == (shared_data / FILES[key].relpath).read_bytes()


@pytest.mark.parametrize("key", sorted(UNCOPIED))
def test_tables_whose_r_file_has_no_copy_here_round_trip_through_r_data(
    key: str, shared_data: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No copy of peacesciencer's rivalry and arms-race files is here, so they carry no checksum
    of their own: their table is. The conversion is checked on an R data file written from the
    shared table (pyreadr): it must give the table back byte for byte, and a changed value must
    be refused by the table's SHA-256."""
    import pyreadr

    source = FILES[f"{key}_rda"]
    assert source.sha256 == "" and source.url and not (shared_data / source.relpath).exists()
    root = tmp_path / "data"
    (root / source.folder).mkdir(parents=True)
    table = pd.read_csv(shared_data / FILES[key].relpath)
    pyreadr.write_rdata(str(root / source.relpath), table, df_name=key)
    monkeypatch.setenv("ALLIANCELAB_DATA", str(root))
    assert build(key).read_bytes() == (shared_data / FILES[key].relpath).read_bytes()
    table.loc[0, "ccode1"] += 1
    pyreadr.write_rdata(str(root / source.relpath), table, df_name=key)
    with pytest.raises(DataFileError, match="nothing was kept"):
        build(key, force=True)


def test_tables_are_built_on_first_use_from_the_producers_files(
    producers_only: Path, cache: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not (producers_only / FILES["sipri_long"].relpath).exists()
    built = load_sipri()
    assert (cache / FILES["sipri_long"].relpath).is_file()
    monkeypatch.setenv("ALLIANCELAB_DATA", str(shared_data))
    pd.testing.assert_frame_equal(built, load_sipri())
    # a second use reads the cached table, it does not build again
    stamp = (cache / FILES["sipri_long"].relpath).stat().st_mtime_ns
    monkeypatch.setenv("ALLIANCELAB_DATA", str(producers_only))
    locate("sipri_long")
    assert (cache / FILES["sipri_long"].relpath).stat().st_mtime_ns == stamp


def test_without_the_producers_file_the_message_says_which_file_and_where(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("ALLIANCELAB_DATA", str(empty))
    with pytest.raises(DataFileError) as err:
        locate("sipri_long")
    message = str(err.value)
    assert "SIPRI-Milex-data-1949-2023.xlsx" in message and "sipri.org" in message
    assert "alliancelab data build sipri_long" in message


def test_a_build_that_does_not_reproduce_the_release_keeps_nothing(
    producers_only: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A producer's file of another release passes its own check only if registered; here the
    build's output is altered instead, and the registry's SHA-256 refuses it."""
    real = BUILDS["maddison"]
    monkeypatch.setitem(
        BUILDS, "maddison", type(real)(real.key, real.inputs, lambda i: real.make(i).iloc[:-1], real.what)
    )
    with pytest.raises(DataFileError, match="nothing was kept"):
        build("maddison", force=True)
    assert not (cache / FILES["maddison"].relpath).exists()


def test_data_build_command_and_list(producers_only: Path, cache: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["data", "list"])
    assert listed.exit_code == 0 and "data build" in " ".join(listed.output.split())
    result = runner.invoke(app, ["data", "build", "maddison"])
    assert result.exit_code == 0, result.output
    assert (cache / FILES["maddison"].relpath).is_file()
    wrong = runner.invoke(app, ["data", "build", "sipri"])
    assert wrong.exit_code == 2 and "sipri_long" in wrong.output and "Traceback" not in wrong.output
