"""``alliancelab data get``: every registered file on any machine, fetched, built and verified.

:func:`plan` says, before anything is fetched, what each file needs: nothing (it is here and
verified), a download (from its pinned address, or a mirror), a build in code from files fetched
first (:mod:`alliancelab.data.build`), or a download by hand (SIPRI's terms). :func:`get` carries
the plan out: the downloads first, each resumable and verified by SHA-256
(:mod:`alliancelab.data.download`), then the builds, each checked against the registered table's
SHA-256. A file that fails its check is never kept, and what still needs a hand is said at the end.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from alliancelab.data.build import BUILDS, build
from alliancelab.data.download import Progress
from alliancelab.data.files import cache_dir, dataset_of, download_url, fetch, file_status, partial_dir
from alliancelab.data.registry import DATASETS, FILES, DataFile
from alliancelab.errors import DataFileError, suggest

__all__ = ["Plan", "Step", "availability", "get", "get_dataset", "plan"]

Action = Literal["present", "download", "build", "by hand"]


@dataclass(frozen=True)
class Step:
    """What one registered file needs: ``action``, and the bytes a download brings (0: unknown)."""

    key: str
    action: Action
    size: int = 0
    #: for a build: the files it is made from; for a file by hand: where to get it
    detail: str = ""


@dataclass(frozen=True)
class Plan:
    """The steps for some datasets, inputs before the tables built from them."""

    steps: tuple[Step, ...]

    def of(self, action: Action) -> list[Step]:
        return [s for s in self.steps if s.action == action]

    @property
    def download_bytes(self) -> int:
        return sum(s.size for s in self.of("download"))

    @property
    def unknown_sizes(self) -> int:
        return sum(1 for s in self.of("download") if not s.size)

    def summary(self) -> str:
        """One line a user reads before anything is fetched."""
        down = self.of("download")
        size = f"{self.download_bytes / 1e6:,.1f} MB"
        if self.unknown_sizes:
            size += f" and {self.unknown_sizes} of unknown size"
        parts = [f"{len(down)} file(s) to download ({size})" if down else "nothing to download"]
        parts.append(f"{len(self.of('build'))} table(s) to build")
        parts.append(f"{len(self.of('present'))} already here and verified")
        if self.of("by hand"):
            parts.append(f"{len(self.of('by hand'))} by hand")
        return "; ".join(parts)


def _present(key: str) -> bool:
    return file_status(key)[0] in ("verified", "unchecked")


def _step(key: str) -> Step:
    f = FILES[key]
    if _present(key):
        return Step(key, "present")
    if key in BUILDS:
        inputs = BUILDS[key].inputs
        by_hand = [FILES[k] for k in inputs if FILES[k].manual and not _present(k)]
        if by_hand:
            return Step(key, "by hand", detail="; ".join(_by_hand(g) for g in by_hand))
        return Step(key, "build", detail=", ".join(FILES[k].name for k in inputs))
    if f.manual:
        return Step(key, "by hand", detail=_by_hand(f))
    if download_url(f) is None:  # the registry test keeps every file fetchable, buildable or by hand
        raise DataFileError(f"{f.relpath}: no address, no build and no manual step is registered")
    return Step(key, "download", f.size)


def _by_hand(f: DataFile) -> str:
    return f"{f.name}: {f.manual}, and put it in {cache_dir() / f.folder} (checked by SHA-256)"


def plan(names: Iterable[str]) -> Plan:
    """What :func:`get` would do for these datasets (see ``alliancelab data list``)."""
    keys: list[str] = []
    for name in names:
        if name not in DATASETS:
            raise DataFileError(f"unknown dataset {name!r}; " + suggest(name, DATASETS))
        for key in DATASETS[name].files:
            for k in (*BUILDS[key].inputs, key) if key in BUILDS else (key,):
                if k not in keys:
                    keys.append(k)
    steps = [_step(k) for k in keys]
    order = {"present": 0, "download": 1, "by hand": 1, "build": 2}
    return Plan(tuple(sorted(steps, key=lambda s: order[s.action])))


@dataclass
class Got:
    """What :func:`get` did: each file's path, the tables built, the steps left to a hand."""

    paths: dict[str, Path] = field(default_factory=dict)
    built: list[str] = field(default_factory=list)
    by_hand: list[Step] = field(default_factory=list)


def _remove_stale_temporaries(f: DataFile) -> None:
    """Temporary files a killed build left beside ``f`` in the cache (never read: hidden names)."""
    folder = cache_dir() / f.folder
    if folder.is_dir():
        for p in folder.glob(f".{f.name}.*"):
            p.unlink(missing_ok=True)


def _build(key: str, progress: Callable[[DataFile], Progress | None]) -> Path:
    """Build ``key``; where a mirror is set and a source is not on it, the table itself is taken
    from the mirror (verified by its SHA-256 like any download)."""
    try:
        for k in BUILDS[key].inputs:
            fetch(k, None if _present(k) else progress(FILES[k]))
    except DataFileError:
        if not os.environ.get("ALLIANCELAB_DATA_URL"):
            raise
        return fetch(key, progress(FILES[key]))
    _remove_stale_temporaries(FILES[key])
    return build(key)


def get(names: Iterable[str], progress: Callable[[DataFile], Progress | None] | None = None) -> Got:
    """Fetch and build every file of the datasets ``names``; see :func:`plan`.

    ``progress(file)`` gives a callback for that file's download (``done, total`` bytes). Files
    that must come by hand are returned in ``by_hand``; everything else is fetched first.
    """
    bar = progress or (lambda f: None)
    got = Got()
    try:
        for step in plan(names).steps:
            f = FILES[step.key]
            if step.action == "present":
                got.paths[step.key] = file_status(step.key)[1] or cache_dir() / f.relpath
            elif step.action == "download":
                got.paths[step.key] = fetch(step.key, bar(f))
            elif step.action == "build":
                got.paths[step.key] = _build(step.key, bar)
                got.built.append(step.key)
            else:
                got.by_hand.append(step)
    finally:
        _remove_empty(partial_dir())
    return got


def _remove_empty(folder: Path) -> None:
    """The folders of finished partial downloads (a folder still holding a partial file stays)."""
    if folder.is_dir():
        for sub in sorted(folder.rglob("*"), reverse=True):
            if sub.is_dir() and not any(sub.iterdir()):
                sub.rmdir()
        if not any(folder.iterdir()):
            folder.rmdir()


def get_dataset(name: str, progress: Callable[[DataFile], Progress | None] | None = None) -> list[Path]:
    """Every file of dataset ``name``, fetched and built; a file still needed by hand raises
    :class:`DataFileError` with the steps (after everything else was fetched)."""
    got = get([name], progress)
    if got.by_hand:
        raise DataFileError("; ".join(dict.fromkeys(s.detail for s in got.by_hand)))
    return list(got.paths.values())


def availability(key: str) -> tuple[str, str]:
    """Whether file ``key`` is present, buildable here, fetchable, needed by hand or modified,
    and the command (or step) that brings it."""
    status, path = file_status(key)
    if status in ("verified", "unchecked"):
        return "present", ""
    if status == "modified":
        return "modified", f"{path} differs from the registry's checksum and will be refused: restore it"
    step = _step(key)
    if step.action == "by hand":
        return "by hand", step.detail
    if step.action == "build" and all(_present(k) for k in BUILDS[key].inputs):
        return "buildable", f"alliancelab data build {key}"
    return "fetchable", f"alliancelab data get {dataset_of(key)}"
