"""Where data files are, and fetching them: a local data root, a per-user cache, pooch downloads.

Lookup order for a file: an explicit path; ``$ALLIANCELAB_DATA`` (a folder laid out like
``shared/data``: one sub-folder per dataset); the ``shared/data`` folder beside this checkout; the
per-user cache (``$ALLIANCELAB_CACHE``, else pooch's OS cache folder ``alliancelab``), where
``alliancelab data get`` puts downloads. ``$ALLIANCELAB_DATA_URL`` replaces every download
address by ``<url>/<folder>/<file>``, e.g. a mirror or a local server.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from alliancelab.data.registry import DATASETS, FILES, DataFile
from alliancelab.errors import DataFileError, suggest

__all__ = ["DataFileError", "cache_dir", "data_root", "fetch", "get_dataset", "locate"]


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
    places = []
    root = data_root()
    if root is not None:
        places.append(root / f.relpath)
    places.append(cache_dir() / f.relpath)
    for p in places:
        if p.is_file():
            return p
    dataset = next((d.name for d in DATASETS.values() if key in d.files), key)
    how = f"run `alliancelab data get {dataset}`" if f.url else "this file is a local conversion; copy it there"
    raise DataFileError(
        f"{f.relpath} not found (looked in {', '.join(str(p.parent) for p in places)}); "
        f"{how}, or set ALLIANCELAB_DATA to a folder holding {f.relpath}"
    )


def fetch(key: str, progress: bool = False, downloader: Callable[..., object] | None = None) -> Path:
    """Download data file ``key`` into the cache, verifying its SHA-256; return its path.

    A file already in the cache with the right checksum is not downloaded again. A download whose
    checksum does not match raises :class:`DataFileError` and leaves nothing in the cache.
    """
    import pooch

    f = _file(key)
    base = os.environ.get("ALLIANCELAB_DATA_URL")
    if base:
        url = f"{base.rstrip('/')}/{f.relpath}"
    elif f.url:
        url = f.url
    else:
        raise DataFileError(f"{f.relpath} has no download address ({f.note}); set ALLIANCELAB_DATA to a local copy")
    folder = cache_dir() / f.folder
    try:
        path = pooch.retrieve(
            url,
            known_hash=f"sha256:{f.sha256}",
            fname=f.name,
            path=folder,
            progressbar=progress,
            downloader=downloader,
        )
    except ValueError as exc:  # pooch: hash mismatch; the partial file is already removed
        raise DataFileError(f"{url}: checksum does not match the registry ({exc}); nothing was kept") from None
    except OSError as exc:  # connection refused, HTTP error, unwritable cache
        raise DataFileError(f"{url}: download failed ({exc})") from None
    except Exception as exc:  # requests' HTTPError and friends
        raise DataFileError(f"{url}: download failed ({type(exc).__name__}: {exc})") from None
    return Path(path)


def get_dataset(name: str, progress: bool = False) -> list[Path]:
    """Download every downloadable file of a dataset (see ``alliancelab data list``)."""
    if name not in DATASETS:
        raise DataFileError(f"unknown dataset {name!r}; " + suggest(name, DATASETS))
    return [fetch(k, progress) for k in DATASETS[name].files if FILES[k].url or os.environ.get("ALLIANCELAB_DATA_URL")]
