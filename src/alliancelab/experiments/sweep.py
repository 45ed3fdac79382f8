"""Run an experiment into a Zarr store, chunk by chunk, resumable, locally or on a Dask cluster.

The store (an ``xarray.Dataset`` in Zarr) holds, for each scenario, design point and replicate,
every indicator and the engine status, plus the design itself (``design``: point × input) and a
``done`` flag per chunk. A chunk's values are written first and its flag second (Zarr writes each
file atomically), so a sweep killed at any moment — ``kill -9`` included — and started again
computes exactly the chunks whose flag is not set: no finished chunk is lost or computed twice
into the store, and since every point depends only on its inputs and the seed, the store ends
identical to an uninterrupted run's, whatever the chunking, workers or cluster.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import socket
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from alliancelab.data.files import write_text
from alliancelab.engine.manifest import package_version, read_manifest
from alliancelab.engine.resources import gigabytes
from alliancelab.engine.workers import worker_pool
from alliancelab.errors import ParameterError, StoreError
from alliancelab.experiments.design import problem, sample
from alliancelab.experiments.evaluate import ChunkTask, evaluate_chunk
from alliancelab.experiments.spec import Experiment
from alliancelab.models.order.outputs import OUTPUTS
from alliancelab.models.order.params import Params
from alliancelab.models.order.paramsets import load_params

__all__ = [
    "ANSWER_SECONDS",
    "StoreError",
    "SweepPlan",
    "default_store",
    "experiment_params",
    "inert_inputs",
    "open_results",
    "open_store",
    "parameter_set",
    "plan_sweep",
    "probe_scheduler",
    "refuse_links",
    "run_sweep",
    "store_lock",
]


@dataclass
class SweepPlan:
    """What a sweep will do: the store, its chunks, which are done and which remain."""

    store: Path
    points: np.ndarray
    chunk_points: int
    done: np.ndarray  # (scenarios, chunks) bool
    tasks: list[ChunkTask]

    @property
    def total_points(self) -> int:
        return int(self.done.shape[0]) * len(self.points)

    @property
    def points_left(self) -> int:
        return sum(len(t.points) for t in self.tasks)


def _default_chunk(n_points: int, replicates: int) -> int:
    """About 2,000 runs per chunk (a few seconds of work), at most 64 chunks' worth of overhead."""
    per = max(1, 2000 // replicates)
    return max(1, min(per, math.ceil(n_points / 8)))


@contextmanager
def store_lock(store: str | Path) -> Iterator[None]:
    """Hold the store's lock (``STORE.lock`` beside it) while creating or writing it.

    An operating-system lock (:mod:`filelock`): released when the holder exits, however it
    exits, so a killed sweep never leaves a stale lock. A second writer is refused at once,
    with the holder's process, host and start time. The lock file is removed, still held, as
    the sweep ends, so a finished sweep leaves nothing beside its store (a killed one leaves an
    unheld file, which the next sweep takes). Removing it while held is safe here because no
    writer waits for a lock: one that opened the old file in that instant finds it held and is
    refused.
    """
    import filelock

    path = Path(store)
    holder = path.with_name(path.name + ".lock.holder")
    lock_path = path.with_name(path.name + ".lock")
    for planted in (lock_path, holder):  # the lock opens (and truncates) its file: never through a link
        if planted.is_symlink():
            raise StoreError(
                f"{planted} is a symbolic link, which the sweep would write through; remove it "
                "(alliancelab never makes one there)"
            )
    lock = filelock.FileLock(lock_path, timeout=0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except filelock.Timeout:
        try:
            who = holder.read_text(encoding="utf-8").strip()
        except OSError:
            who = "another process"
        raise StoreError(f"{path} is being written by {who}; wait for it to finish, or use another store") from None
    except OSError as exc:  # after Timeout, which is an OSError too
        why = f"cannot create the store {path}: {exc.strerror or exc}"
        raise StoreError(f"{why}; give a writable store", command_line=f"{why}; give a writable --out") from None
    try:
        who = f"process {os.getpid()} on {socket.gethostname()} since {time.strftime('%Y-%m-%d %H:%M:%S')}"
        write_text(holder, who)  # a new file renamed into place: a link planted since is replaced, not followed
        yield
    finally:
        holder.unlink(missing_ok=True)
        Path(lock.lock_file).unlink(missing_ok=True)
        lock.release()


def refuse_links(store: Path) -> None:
    """Refuse a store that holds a symbolic link anywhere inside it: a sweep writes chunk files
    under every array's folder, and a link there (to a folder or a file) would have it write
    where the link points. alliancelab never makes one; the walk does not follow them."""
    if not store.is_dir() or store.is_symlink():
        return
    found = [
        Path(root, name)
        for root, dirs, files in os.walk(store, followlinks=False)
        for name in (*dirs, *files)
        if Path(root, name).is_symlink()
    ]
    if found:
        shown = ", ".join(str(p.relative_to(store)) for p in found[:3]) + (" …" if len(found) > 3 else "")
        raise StoreError(
            f"{store} holds {len(found)} symbolic link(s) ({shown}), which the sweep would write through; "
            "remove them (alliancelab never makes one in a store), or start a new store"
        )


def plan_sweep(exp: Experiment, store: str | Path, chunk: int | None = None, overwrite: bool = False) -> SweepPlan:
    """Create the store (or reopen it to resume) and list the chunks still to run.

    Creating (or replacing, with ``overwrite``) happens under the store's lock
    (:func:`store_lock`); :func:`run_sweep` takes it again to write.
    """
    if chunk is not None and (isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1):
        raise ParameterError("chunk", "plan_sweep", "None or an integer >= 1 (design points per chunk)", chunk)
    with store_lock(store):
        return _plan(exp, Path(store), chunk, overwrite)


def _plan(exp: Experiment, path: Path, chunk: int | None, overwrite: bool) -> SweepPlan:
    points = sample(exp)
    scenarios = exp.scenarios()
    params = load_params(_params_ref(exp))
    digest = exp.digest()
    if overwrite and (path.exists() or path.is_symlink()):
        if not _is_sweep_store(path):
            raise StoreError(
                f"{path} is not a sweep store (it holds no alliancelab sweep's metadata); --overwrite removes "
                "only a store a sweep wrote, never another folder or file: give another --out"
            )
        shutil.rmtree(path)
    refuse_links(path)
    if not path.exists():
        _check_disk(exp, path, len(points), len(scenarios))
        size = chunk or exp.experiment.chunk or _default_chunk(len(points), exp.experiment.replicates)
        try:
            _create(path, exp, points, [s.name for s in scenarios], size, digest, params.model_dump(mode="json"))
        except OSError as exc:
            why = f"cannot create the store {path}: {exc.strerror or exc}"
            raise StoreError(f"{why}; give a writable store", command_line=f"{why}; give a writable --out") from None
    ds = open_store(path)
    if ds.attrs.get("experiment_hash") != digest:
        why = (
            f"{path} holds the results of another experiment ({ds.attrs.get('experiment_name')!r}, "
            f"hash {str(ds.attrs.get('experiment_hash'))[:12]})"
        )
        raise StoreError(
            f"{why}; give another store, or overwrite=True to replace it",
            command_line=f"{why}; give a new --out, or --overwrite to replace it",
        )
    size = int(ds.attrs["chunk_points"])
    if chunk is not None and chunk != size:
        why = f"{path} was started with chunks of {size} points"
        raise StoreError(
            f"{why}; resume it with the same chunk (or chunk=None)",
            command_line=f"{why}; resume it with the same (or no) --chunk",
        )
    done = ds["done"].values.astype(bool)
    ds.close()
    meta = exp.experiment
    tasks = [
        ChunkTask(
            scenario=s,
            first=k * size,
            points=points[k * size : (k + 1) * size],
            base=sc,
            params=params,
            inputs=tuple(exp.input),
            indicators=tuple(exp.indicator),
            years=meta.years,
            replicates=meta.replicates,
            seed=meta.seed,
        )
        for s, sc in enumerate(scenarios)
        for k in range(done.shape[1])
        if not done[s, k]
    ]
    return SweepPlan(path, points, size, done, tasks)


def _check_disk(exp: Experiment, path: Path, points: int, scenarios: int) -> None:
    """Refuse a store larger (uncompressed) than the free space where it goes, before any work."""
    runs = points * scenarios * exp.experiment.replicates
    needed = runs * (8 * len(exp.indicator) + 1)  # float64 indicators and an int8 status per run
    where = path.parent if path.parent.exists() else Path(".")
    free = shutil.disk_usage(where).free
    if needed > free:
        raise StoreError(
            f"the store would take up to {gigabytes(needed)} ({runs:,} runs x {len(exp.indicator)} indicators) "
            f"and {where} has {gigabytes(free)} free; use fewer samples or replicates, or another place"
        )


def _is_sweep_store(path: Path) -> bool:
    """Whether ``path`` is a folder (not a link) holding a Zarr store a sweep wrote: its root
    metadata names an experiment's hash."""
    meta = path / "zarr.json"
    if path.is_symlink() or not path.is_dir() or meta.is_symlink() or not meta.is_file():
        return False
    try:
        attrs = json.loads(meta.read_text(encoding="utf-8")).get("attributes", {})
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(attrs, dict) and "experiment_hash" in attrs


def experiment_params(exp: Experiment) -> Params:
    """The parameter set an experiment runs on (its ``params``, else the default set)."""
    return load_params(_params_ref(exp))


def inert_inputs(exp: Experiment, params: Params) -> list[str]:
    """The experiment's parameter inputs that ``params``' equations never read (each varies
    nothing: its Sobol' indices are exactly zero), from ``params --sources``' equations column."""
    from alliancelab.models.order.sources import SOURCES

    return [
        inp.param
        for inp in exp.input
        if inp.param is not None
        and inp.param in SOURCES
        and SOURCES[inp.param].equations not in ("both", params.equations)
    ]


def parameter_set(ds: xr.Dataset) -> str:
    """The name of the parameter set a sweep store's runs used (``custom`` where none matches)."""
    from alliancelab.models.order.paramsets import set_name

    return set_name(Params.model_validate(read_manifest(ds)["params"]))


def _params_ref(exp: Experiment) -> str | None:
    ref = exp.experiment.params
    if ref is not None and ref.endswith(".toml") and (Path(exp.base_dir) / ref).is_file():
        return str(Path(exp.base_dir) / ref)
    return ref


def _create(
    path: Path,
    exp: Experiment,
    points: np.ndarray,
    scenario_names: list[str],
    size: int,
    digest: str,
    params: dict[str, Any],
) -> None:
    """Write the empty store's layout into a temporary folder, then move it into place at once."""
    import dask.array as da

    meta = exp.experiment
    S, n, R = len(scenario_names), len(points), meta.replicates
    chunks = math.ceil(n / size)
    dims = ("scenario", "point", "replicate")
    data_vars: dict[str, Any] = {
        ind.name: (
            dims,
            da.full((S, n, R), np.nan, chunks=(1, size, R)),
            {"output": ind.output, "units": OUTPUTS[ind.output].units},
        )
        for ind in exp.indicator
    }
    data_vars["status"] = (
        dims,
        da.full((S, n, R), -1, dtype=np.int8, chunks=(1, size, R)),
        {"long_name": "engine status: 0 ok, -1 not run yet, else 1 + index of the first failing output"},
    )
    data_vars["design"] = (("point", "input"), points)
    data_vars["done"] = (("scenario", "chunk"), np.zeros((S, chunks), np.int8))
    coords = {
        "scenario": np.array(scenario_names, dtype=object),  # variable-length strings: in the Zarr v3 spec
        "point": np.arange(n),
        "replicate": np.arange(R),
        "input": np.array(exp.input_names, dtype=object),
        "chunk": np.arange(chunks),
    }
    attrs = {
        "title": f"alliancelab sweep: {exp.name}",
        "experiment_name": exp.name,
        "experiment_hash": digest,
        "experiment": json.dumps(exp.model_dump(mode="json"), sort_keys=True),
        "problem": json.dumps(problem(exp)),
        "sampler": meta.sampler,
        "chunk_points": size,
        "manifest": json.dumps(
            {"alliancelab": package_version(), "params": params, "seed": meta.seed, "replicates": R}, sort_keys=True
        ),
    }
    ds = xr.Dataset(data_vars, coords=coords, attrs=attrs)
    encoding: dict[str, dict[str, Any]] = {"done": {"chunks": (1, 1)}}
    for name in [*(i.name for i in exp.indicator), "status"]:
        encoding[name] = {"chunks": (1, size, R)}
    tmp = path.with_name(path.name + ".creating")
    if tmp.exists():
        shutil.rmtree(tmp)
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.to_zarr(tmp, mode="w-", compute=False, encoding=encoding, consolidated=False)
    tmp.rename(path)


def open_store(store: str | Path) -> xr.Dataset:
    """Open a sweep store (lazily, without dask: values are read when accessed)."""
    path = Path(store)
    if not path.exists():
        raise StoreError(
            f"{path}: no such store; run the experiment's sweep into it first (run_sweep)",
            command_line=f"{path}: no such store; run `alliancelab sweep EXPERIMENT --out {path}` first",
        )
    try:
        ds = xr.open_zarr(path, consolidated=False, chunks=None)
    except Exception as exc:  # zarr raises several types for a folder that is not a store
        raise StoreError(f"{path} is not a sweep store ({type(exc).__name__}: {exc})") from None
    if "experiment_hash" not in ds.attrs or "done" not in ds:
        raise StoreError(f"{path} is a Zarr store but not one written by a sweep")
    return ds  # type: ignore[no-any-return]


def default_store(experiment: str | Path) -> Path:
    """Where a sweep writes an experiment's results unless told otherwise: ``EXPERIMENT.zarr``
    beside the file."""
    return Path(experiment).with_suffix(".zarr")


def open_results(ref: str | Path) -> xr.Dataset:
    """A sweep store, given the store itself or its experiment file (then its default store, which
    must hold that experiment's results)."""
    from alliancelab.experiments.spec import load_experiment

    path = Path(ref)
    if path.suffix != ".toml":
        return open_store(path)
    exp = load_experiment(path)
    store = default_store(path)
    if not store.exists():
        raise StoreError(
            f"{store}: no results yet for {path}; run its sweep first (run_sweep)",
            command_line=f"{store}: no results yet for {path}; run `alliancelab sweep {path}` first",
        )
    ds = open_store(store)
    if ds.attrs.get("experiment_hash") != exp.digest():
        why = f"{store} holds results of an earlier version of {path}"
        raise StoreError(
            f"{why}; run its sweep again with overwrite=True",
            command_line=f"{why}; run `alliancelab sweep {path} --overwrite`",
        )
    return ds


def _write(group: Any, task: ChunkTask, size: int, values: np.ndarray, status: np.ndarray) -> None:
    """Values first, the chunk's flag second (each Zarr chunk file is written atomically)."""
    a, b = task.first, task.first + len(task.points)
    s = task.scenario
    for m, ind in enumerate(task.indicators):
        group[ind.name][s, a:b, :] = values[:, :, m]
    group["status"][s, a:b, :] = status
    k = task.first // size
    group["done"][s, k] = 1


def run_sweep(
    plan: SweepPlan,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> xr.Dataset:
    """Run the plan's remaining chunks and return the finished store.

    ``scheduler``: the address of a running Dask scheduler (``tcp://host:8786``); the chunks run
    on its workers and are written here as they finish. Without it, ``workers`` local processes
    (1: in this process).
    """
    if workers < 1:
        raise ParameterError("workers", "sweep", "an integer >= 1", workers)
    import zarr

    with store_lock(plan.store):
        refuse_links(Path(plan.store))  # again: a link planted since the plan
        group = zarr.open_group(plan.store, mode="r+")
        flags: Any = group["done"]
        done = np.asarray(flags[...]).astype(bool)  # another sweep may have finished some since the plan
        tasks = [t for t in plan.tasks if not done[t.scenario, t.first // plan.chunk_points]]
        if progress is not None and len(tasks) < len(plan.tasks):
            progress(sum(len(t.points) for t in plan.tasks if t not in tasks))
        for task, (values, status) in _results(tasks, workers, scheduler):
            _write(group, task, plan.chunk_points, values, status)
            if progress is not None:
                progress(len(task.points))
    return open_store(plan.store)


Result = tuple[ChunkTask, tuple[np.ndarray, np.ndarray]]


def _results(tasks: list[ChunkTask], workers: int, scheduler: str | None) -> Iterator[Result]:
    if not tasks:
        return
    if scheduler is not None:
        yield from _dask_results(tasks, scheduler)
    elif workers == 1 or len(tasks) == 1:
        for t in tasks:
            yield t, evaluate_chunk(t)
    else:
        yield from _process_results(tasks, workers)


def _process_results(tasks: list[ChunkTask], workers: int) -> Iterator[Result]:
    import multiprocessing as mp

    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    with worker_pool(workers, mp.get_context(method)) as pool:
        # keep a bounded number in flight so results are written as they come
        pending: dict[Future[tuple[np.ndarray, np.ndarray]], ChunkTask] = {}
        queue = iter(tasks)
        for t in _take(queue, 2 * workers):
            pending[pool.submit(evaluate_chunk, t)] = t
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                t = pending.pop(fut)
                yield t, fut.result()
                for nxt in _take(queue, 1):
                    pending[pool.submit(evaluate_chunk, nxt)] = nxt


def _take(it: Iterator[ChunkTask], n: int) -> Iterable[ChunkTask]:
    for _ in range(n):
        try:
            yield next(it)
        except StopIteration:
            return


#: Address schemes of a Dask scheduler.
SCHEMES = ("tcp", "tls", "ucx", "ws", "wss")
_LOCAL = ("127.0.0.1", "localhost", "::1")


def check_scheduler(address: str) -> str:
    """A Dask scheduler address, checked before any connection: ``SCHEME://HOST:PORT``.

    Dask's messages are pickles: a scheduler (and anything posing as one) can run code here. An
    address off this machine without TLS is allowed with a warning to use ``tls://``.
    """
    from urllib.parse import urlsplit

    expected = f"SCHEME://HOST:PORT with SCHEME one of {list(SCHEMES)}, e.g. tcp://127.0.0.1:8786"
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in SCHEMES or not parts.hostname or port is None or not 0 < port < 65536:
        raise ParameterError("scheduler", "run_sweep", expected, address)
    if parts.hostname not in _LOCAL and parts.scheme not in ("tls", "wss"):
        warnings.warn(
            f"the Dask scheduler {address} is off this machine and the connection is not encrypted: Dask's "
            "messages are pickles, so connect only to a cluster you trust, over tls:// with certificates",
            stacklevel=2,
        )
    return address


#: Seconds a scheduler has to answer who it is before a sweep gives up on it.
ANSWER_SECONDS = 10.0


def probe_scheduler(address: str, timeout: float | None = None) -> dict[str, Any]:
    """Ask the process at ``address`` who it is (Dask's ``identity`` call), within ``timeout``
    seconds (default :data:`ANSWER_SECONDS`); refuse an address where nothing answers, where the
    answer is not a Dask scheduler's, or where the bytes are not Dask's at all, before a client is
    made or any work is sent.

    The question runs on its own event loop in its own thread, so it is bounded whatever the
    caller (a notebook's running loop included)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor
    from concurrent.futures import TimeoutError as FutureTimeout

    from distributed.comm.core import connect

    timeout = ANSWER_SECONDS if timeout is None else timeout

    async def identity() -> Any:
        comm = await connect(address, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    def refuse(why: str) -> ParameterError:
        return ParameterError("--scheduler", "sweep", f"the address of a running Dask scheduler ({why})", address)

    pool = ThreadPoolExecutor(1, thread_name_prefix="alliancelab-probe")
    try:
        reply = pool.submit(asyncio.run, asyncio.wait_for(identity(), timeout)).result(timeout + 5)
    except (FutureTimeout, TimeoutError):
        raise refuse(f"nothing answered within {timeout:g} s") from None
    except Exception as exc:
        raise refuse(f"{type(exc).__name__}: {exc}") from None
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
        shown = type(reply).__name__ if not isinstance(reply, dict) else str(reply.get("type"))
        raise refuse(f"the process there answered as {shown!r}, not as a Dask scheduler")
    return reply


def _dask_results(tasks: list[ChunkTask], address: str) -> Iterator[Result]:
    from distributed import Client, as_completed

    check_scheduler(address)
    probe_scheduler(address)

    try:
        # not the process's default dask scheduler: later dask work here must not go to this cluster
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ParameterError(
            "--scheduler", "sweep", f"the address of a running Dask scheduler, e.g. tcp://host:8786 ({exc})", address
        ) from None
    try:
        futures = client.map(evaluate_chunk, tasks, pure=False)
        index = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        for fut in as_completed(futures, loop=client.loop):
            yield index[fut.key], fut.result()
    finally:
        client.close()


def elapsed(t0: float) -> str:
    s = time.perf_counter() - t0
    return f"{s:.1f} s" if s < 120 else f"{s / 60:.1f} min"
