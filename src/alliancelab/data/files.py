"""Where data files are, and fetching them: a local data root, a per-user cache, pooch downloads;
and writing files safely (:func:`replacing`).

Lookup order for a file: an explicit path; ``$ALLIANCELAB_DATA`` (a folder laid out like
``shared/data``: one sub-folder per dataset); the ``shared/data`` folder beside this checkout; the
per-user cache (``$ALLIANCELAB_CACHE``, else pooch's OS cache folder ``alliancelab``), where
``alliancelab data get`` puts downloads and the tables it builds. ``$ALLIANCELAB_DATA_URL``
replaces every download address by ``<url>/<folder>/<file>``, e.g. a mirror or a local server
(never for a file that must be fetched by hand). Interrupted downloads wait in ``<cache>/.partial``
to be resumed; nothing is ever written at a table's own name until it is whole and verified.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from alliancelab.data.download import Progress, cache_folder, file_sha256, transfer
from alliancelab.data.registry import DATASETS, FILES, DataFile
from alliancelab.errors import DataFileError, suggest

__all__ = [
    "DataFileError",
    "cache_dir",
    "cache_folder",
    "data_root",
    "dataset_of",
    "download_url",
    "fetch",
    "file_status",
    "locate",
    "partial_dir",
    "places",
    "replacing",
    "set_builder",
    "sha256_of",
    "write_text",
]


def data_root() -> Path | None:
    """``$ALLIANCELAB_DATA``, else ``shared/data`` beside the checkout (or inside it), else None."""
    env = os.environ.get("ALLIANCELAB_DATA")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[3]
    for candidate in (repo.parent / "shared" / "data", repo / "shared" / "data"):
        if (candidate / "README.md").is_file():
            return candidate
    return None


def cache_dir() -> Path:
    """The per-user download cache: ``$ALLIANCELAB_CACHE`` or pooch's OS cache for alliancelab."""
    env = os.environ.get("ALLIANCELAB_CACHE")
    if env:
        return Path(env)
    import pooch

    return Path(pooch.os_cache("alliancelab"))


def _file(key: str) -> DataFile:
    if key not in FILES:
        raise DataFileError(f"unknown data file {key!r}; " + suggest(key, FILES))
    return FILES[key]


def locate(key: str, path: str | Path | None = None) -> Path:
    """The path of data file ``key``: ``path`` if given, else the data root, else the cache."""
    f = _file(key)
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise DataFileError(f"{p}: no such file (given for {f.name})")
        return p
    where = places(f)
    for p in where:
        if p.is_file():
            _verify(f, p)
            return p
    built, why = _build_on_first_use(key)
    if built is not None:
        return built
    dataset = dataset_of(key)
    if why:
        how = why
    elif f.manual:
        how = f.manual + f", save it as {f.name}, and put it in the data root or {cache_dir() / f.folder}"
    elif f.url:
        how = f"run `alliancelab data get {dataset}`"
    else:
        how = "this file is a local conversion; copy it there"
    raise DataFileError(
        f"{f.relpath} not found (looked in {', '.join(str(p.parent) for p in where)}); "
        f"{how}, or set ALLIANCELAB_DATA to a folder holding {f.relpath}"
    )


#: How :func:`locate` builds a derived table missing everywhere: set by :mod:`alliancelab.data.build`
#: when it is imported (the package imports it), so this module never imports the builder and the
#: builder imports this one: key → (the built path or None, how to get its inputs, "" if not
#: buildable).
_builder: Callable[[str], tuple[Path | None, str]] | None = None


def set_builder(builder: Callable[[str], tuple[Path | None, str]]) -> None:
    """Name the function :func:`locate` calls for a derived table found nowhere."""
    global _builder
    _builder = builder


def _build_on_first_use(key: str) -> tuple[Path | None, str]:
    return (None, "") if _builder is None else _builder(key)


def dataset_of(key: str) -> str:
    """The dataset a registered file belongs to (its ``data get`` name)."""
    return next((d.name for d in DATASETS.values() if key in d.files), key)


def places(f: DataFile) -> list[Path]:
    """Where ``f`` is looked for, in order: the data root, then the cache."""
    root = data_root()
    return ([root / f.relpath] if root is not None else []) + [cache_dir() / f.relpath]


#: Files verified in this process: (path, inode, size, mtime, ctime) -> SHA-256.
_VERIFIED: dict[tuple[str, int, int, int, int], str] = {}


def sha256_of(path: Path, fresh: bool = False) -> str:
    """A file's SHA-256, remembered (here and on disk, in the cache folder's ``verified.json``)
    by its path, inode, size, modification time and status-change time, so a file is hashed
    once until it changes. The status-change time (``ctime``) moves at every write to the file
    and cannot be set back by a program (``touch``, ``cp -p`` and ``os.utime`` set only the
    modification time), so a byte changed in place with size and modification time kept is
    hashed again. ``fresh`` hashes it again whatever the record says (``alliancelab data verify``)."""
    st = path.stat()
    stamp = (str(path.resolve()), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if stamp in _VERIFIED and not fresh:
        return _VERIFIED[stamp]
    record = _record()
    key = "|".join(map(str, stamp))
    found = None if fresh else record.get(key)
    if found is None:
        found = file_sha256(path)
        record[key] = found
        _save_record(record)
    _VERIFIED[stamp] = found
    return found


def _record_path() -> Path:
    return cache_dir() / "verified.json"


def _record() -> dict[str, str]:
    try:
        data = json.loads(_record_path().read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _save_record(record: dict[str, str]) -> None:
    """Write the record whole (a concurrent writer may lose an entry: it is only hashed again)."""
    path = _record_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps(record, indent=0, sort_keys=True))
    except OSError:  # an unwritable cache: verification still holds for this process
        pass


def _verify(f: DataFile, path: Path) -> None:
    """Refuse a file whose SHA-256 is not the registry's: a changed digit changes the numbers.
    A file with no registered checksum is only ever read to build a table that has one."""
    if not f.sha256:
        return
    found = sha256_of(path)
    if found != f.sha256:
        dataset = dataset_of(f.key)
        how = (
            f"restore it (run `alliancelab data get {dataset}` to download a verified copy into the cache)"
            if f.url
            else "restore it from the original conversion (see the folder's PROVENANCE.md)"
        )
        raise DataFileError(
            f"{path}: SHA-256 {found} does not match the registry's {f.sha256} for {f.relpath}; "
            f"the file was changed or damaged, and its numbers cannot be trusted: {how}"
        )


Status = Literal["verified", "modified", "unchecked", "missing"]


def file_status(key: str) -> tuple[Status, Path | None]:
    """Whether data file ``key`` is present where alliancelab looks and matches its checksum
    ("unchecked": present, with no registered checksum of its own)."""
    f = _file(key)
    for p in places(f):
        if p.is_file():
            if not f.sha256:
                return "unchecked", p
            return ("verified" if sha256_of(p) == f.sha256 else "modified"), p
    return "missing", None


def download_url(f: DataFile) -> str | None:
    """Where ``f`` is downloaded from: ``$ALLIANCELAB_DATA_URL/<folder>/<file>`` where that is set
    (a mirror laid out like the data folder; never for a file fetched by hand), else its pinned
    address, else None."""
    base = os.environ.get("ALLIANCELAB_DATA_URL")
    if base and not f.manual:
        return f"{base.rstrip('/')}/{f.relpath}"
    return f.url


def partial_dir() -> Path:
    """Where interrupted downloads wait to be resumed, apart from every table's place."""
    return cache_dir() / ".partial"


def fetch(key: str, progress: Progress | None = None) -> Path:
    """Download data file ``key`` into the cache, verifying its SHA-256; return its path.

    A file already in the cache with the right checksum is not downloaded again. An interrupted
    download is resumed by the next call; one whose checksum does not match raises
    :class:`DataFileError` and leaves nothing in the cache.
    """
    f = _file(key)
    target = cache_dir() / f.relpath
    if target.is_file() and (not f.sha256 or sha256_of(target) == f.sha256):
        return target
    url = download_url(f)
    if url is None:
        how = f.manual or f"{f.note}; `alliancelab data get` builds it"
        raise DataFileError(f"{f.relpath} has no download address ({how})")
    try:
        return transfer(
            url, target, partial_dir() / f"{f.relpath}.part", sha256=f.sha256, size=f.size, progress=progress
        )
    except OSError as exc:  # an unwritable cache
        raise DataFileError(f"{url}: cannot write into the cache {cache_dir()} ({exc})") from None


@contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """Write ``path`` whole or not at all, never through a link planted at a predictable name.

    Yields a fresh temporary path beside ``path`` (created exclusively, with the same suffix, so
    writers that infer the format from it still work); when the block succeeds the temporary
    file replaces ``path`` by a rename. A symbolic link at ``path`` is replaced itself: its
    target is never written. On failure the temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        from alliancelab.errors import ParameterError

        raise ParameterError("--out", "alliancelab", "a file name, not an existing folder", str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix or ".tmp", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o644)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str) -> Path:
    """A text file (UTF-8), written through :func:`replacing`."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
