"""One file over HTTP: resumed where an earlier try stopped, verified before it is kept.

The bytes go to a partial file kept apart from the tables (``<cache>/.partial/``), never to the
name a loader reads. An interrupted transfer leaves the partial file, and the next try asks the
server for the rest (an HTTP ``Range`` request, RFC 9110 §14); a server that ignores it sends the
whole file again. Only a complete file whose SHA-256 is the registry's is renamed into place; a
file whose checksum does not match is deleted, and the target is never touched.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alliancelab.errors import DataFileError

__all__ = ["CHUNK", "Progress", "cache_folder", "file_sha256", "probe_writable", "transfer"]

#: bytes read per step (progress is reported after each)
CHUNK = 1 << 16

#: ``progress(done, total)``: bytes so far and the expected total (0 when the size is unknown)
Progress = Callable[[int, int], None]


def file_sha256(path: Path) -> str:
    """A file's SHA-256, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _receive(
    requests: Any, url: str, partial: Path, have: int, size: int, progress: Progress | None, timeout: float
) -> None:
    """Append the rest of ``url`` to ``partial`` (all of it where the server ignores ``Range``)."""
    headers = {"Range": f"bytes={have}-"} if have else {}
    with requests.get(url, headers=headers, stream=True, timeout=timeout) as response:
        if response.status_code == 416 and have:  # nothing left to send: the partial file is whole
            return
        if response.status_code not in (200, 206):
            raise DataFileError(
                f"{url}: download failed (HTTP {response.status_code} {response.reason}); nothing was kept"
            )
        resumed = response.status_code == 206
        done = have if resumed else 0
        total = size or (done + int(response.headers.get("Content-Length", 0)))
        with partial.open("ab" if resumed else "wb") as out:
            if progress is not None:
                progress(done, total)
            for block in response.iter_content(CHUNK):
                out.write(block)
                done += len(block)
                if progress is not None:
                    progress(done, total)


def transfer(
    url: str,
    target: Path,
    partial: Path,
    *,
    sha256: str,
    size: int = 0,
    progress: Progress | None = None,
    timeout: float = 30.0,
) -> Path:
    """Download ``url`` to ``target`` through ``partial``, resuming a partial file left there.

    ``sha256`` is the registry's checksum ("" where none is registered: the caller verifies what
    it builds from the file). Raises :class:`DataFileError` with what happened and what was kept.
    """
    import requests

    cache_folder(partial.parent)
    have = partial.stat().st_size if partial.is_file() else 0
    if size and have > size:  # more than the file holds: not a partial of this file
        partial.unlink()
        have = 0
    if not (size and have == size):  # a whole partial file is only verified
        try:
            _receive(requests, url, partial, have, size, progress, timeout)
        except DataFileError:
            raise
        except (requests.RequestException, OSError) as exc:
            kept = partial.stat().st_size if partial.is_file() else 0
            what = f"{type(exc).__name__}: {exc}"
            if not kept:
                raise DataFileError(f"{url}: download failed ({what}); nothing was kept") from None
            raise DataFileError(
                f"{url}: download interrupted ({what}); {kept:,} bytes are kept apart in {partial.parent}, "
                f"and the same command resumes from there; {target.name} was not written"
            ) from None
    got = partial.stat().st_size
    if size and got != size:
        partial.unlink()
        raise DataFileError(
            f"{url}: the server sent {got:,} bytes, the registered file has {size:,}; "
            f"it is not the registered release, and nothing was kept"
        )
    found = file_sha256(partial)
    if sha256 and found != sha256:
        partial.unlink()
        raise DataFileError(
            f"{url}: checksum does not match the registry (SHA-256 {found}, registered {sha256}); "
            "the file is damaged or another release, and nothing was kept"
        )
    cache_folder(target.parent)
    os.replace(partial, target)
    return target


def probe_writable(folder: Path, prefix: str = ".alliancelab-write-test.") -> None:
    """Make ``folder`` (with its parents) and prove it writable by a file of a name no one can
    predict, created exclusively (``mkstemp``: ``O_CREAT | O_EXCL``, never an existing file or a
    link) and removed; an ``OSError`` says why not."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, probe = tempfile.mkstemp(prefix=prefix, dir=folder)
    os.close(fd)
    os.unlink(probe)


def cache_folder(folder: Path) -> Path:
    """``folder`` made (with its parents) and checked writable by a file created there, or a
    :class:`DataFileError` that names it, why, and how to choose another cache."""
    try:
        probe_writable(folder)
    except OSError as exc:
        raise DataFileError(
            f"{folder}: the data cache cannot be written here ({exc.strerror or exc}); set ALLIANCELAB_CACHE "
            "to a folder you can write (now "
            + (repr(os.environ["ALLIANCELAB_CACHE"]) if "ALLIANCELAB_CACHE" in os.environ else "unset")
            + ")"
        ) from None
    return folder
