"""Experiments at scale: a Saltelli design on ``asia-pacific-2001``, in one process, through the
store, on local worker processes and on a Dask cluster.

Usage: ``python benchmarks/experiments.py [--base 1024] [--replicates 10] [--years 30] [--repeat 1]``.

The design has four inputs (U.S. engagement from 2005, threat reaction, spiral, abandonment
reaction), so Saltelli's scheme gives ``base × 10`` points (10,240 at the default: the "10,000-point
design"), each run ``--replicates`` times for ``--years`` years. Timed in the same run:

1. **one process, no store**: every chunk evaluated in a loop (the baseline);
2. **sweep, 1 worker**: the same chunks written to a Zarr store (store overhead = 2 / 1 − 1);
3. **sweep, 2 local workers** (parallel efficiency = time 2 / (2 × time 3); target ≥ 80 %);
4. **sweep on a Dask LocalCluster of 1 worker** (Dask overhead = 4 / 2 − 1; target < 10 %);
5. **sweep on a Dask LocalCluster of 2 workers** (its parallel efficiency against 4).

Each configuration is timed ``--repeat`` times, the rounds interleaved (each round starting at the
next configuration), and the best time kept:
on a shared 2-core machine single timings of the same work vary by ±20 %, more than the
overheads being measured. All stores must hold identical numbers; the script checks it.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import tomli_w

from alliancelab.experiments.evaluate import evaluate_chunk
from alliancelab.experiments.spec import load_experiment
from alliancelab.experiments.sweep import open_store, plan_sweep, run_sweep


def experiment(base: int, replicates: int, years: int) -> dict[str, object]:
    return {
        "experiment": {
            "name": "benchmark",
            "scenarios": ["asia-pacific-2001"],
            "years": years,
            "replicates": replicates,
            "seed": 1,
            "sampler": "saltelli",
            "samples": base,
        },
        "input": [
            {"lever": "engagement", "target": "usa", "year": 2005, "range": [0.3, 1.0]},
            {"param": "threat_reaction", "range": [0.5, 1.5]},
            {"param": "spiral", "range": [0.5, 4.0]},
            {"param": "abandonment_reaction", "range": [0.0, 0.05]},
        ],
        "indicator": [
            {"name": "arms_race_end", "output": "arms_race_index"},
            {"name": "jpn_share_end", "output": "share", "actor": "jpn"},
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=int, default=1024, help="Saltelli base samples (a power of 2)")
    parser.add_argument("--replicates", type=int, default=10)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--chunk", type=int, default=200, help="points per chunk")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved rounds; the best time is kept")
    args = parser.parse_args()

    from distributed import LocalCluster

    work = Path(tempfile.mkdtemp(prefix="alliancelab-bench-"))
    try:
        path = work / "experiment.toml"
        path.write_text(tomli_w.dumps(experiment(args.base, args.replicates, args.years)))
        exp = load_experiment(path)
        plan = plan_sweep(exp, work / "probe", chunk=args.chunk)
        n_points = len(plan.points)
        runs = n_points * args.replicates
        print(
            f"{n_points:,} points x {args.replicates} replicates x {args.years} years = {runs:,} runs, "
            f"{len(plan.tasks)} chunks of {args.chunk} points"
        )

        times: dict[str, float] = {}

        def keep(label: str, seconds: float) -> None:
            times[label] = min(times.get(label, float("inf")), seconds)

        def timed(label: str, store: str, **kwargs: object) -> None:
            shutil.rmtree(work / store, ignore_errors=True)
            p = plan_sweep(exp, work / store, chunk=args.chunk)
            start = time.perf_counter()
            run_sweep(p, **kwargs)  # type: ignore[arg-type]
            keep(label, time.perf_counter() - start)

        def on_dask(n: int) -> None:
            # the cluster lives only for its own timing: a LocalCluster's scheduler runs in this
            # process, and its event loop would otherwise slow the in-process configurations
            with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
                timed(f"sweep, Dask {n} worker(s)", f"dask{n}", scheduler=cluster.scheduler_address)

        baseline: list[np.ndarray] = []

        def loop() -> None:
            t0 = time.perf_counter()
            baseline[:] = [evaluate_chunk(t)[0] for t in plan.tasks]
            keep("one process, no store", time.perf_counter() - t0)

        configurations = [
            loop,
            lambda: timed("sweep, 1 worker", "serial"),
            lambda: timed("sweep, 2 local workers", "local2", workers=2),
            lambda: on_dask(1),
            lambda: on_dask(2),
        ]
        for k in range(args.repeat):  # each round starts at a different configuration
            for run in configurations[k % 5 :] + configurations[: k % 5]:
                run()

        print(f"{'configuration':<28}{'wall s':>9}{'runs/s':>10}{'run-years/s':>14}")
        for label, t in times.items():
            print(f"{label:<28}{t:>9.2f}{runs / t:>10,.0f}{runs * args.years / t:>14,.0f}")
        base, serial = times["one process, no store"], times["sweep, 1 worker"]
        local2, dask1, dask2 = (
            times["sweep, 2 local workers"],
            times["sweep, Dask 1 worker(s)"],
            times["sweep, Dask 2 worker(s)"],
        )
        print(f"store overhead (sweep 1 worker vs one process):      {100 * (serial / base - 1):6.1f} %")
        print(f"parallel efficiency, 2 local workers (target >= 80 %): {100 * serial / (2 * local2):6.1f} %")
        print(f"Dask overhead, 1 worker vs one process (target < 10 %): {100 * (dask1 / base - 1):6.1f} %")
        print(f"Dask overhead, 1 worker vs sweep in process:           {100 * (dask1 / serial - 1):6.1f} %")
        print(f"parallel efficiency, Dask 2 workers vs Dask 1:         {100 * dask1 / (2 * dask2):6.1f} %")

        ref = open_store(work / "serial")
        for store in ("local2", "dask1", "dask2"):
            other = open_store(work / store)
            same = all(
                np.array_equal(ref[v].values, other[v].values, equal_nan=True) for v in ("arms_race_end", "status")
            )
            print(f"{store}: identical to the serial store: {same}")
        flat = np.concatenate([b[:, :, 0] for b in baseline])
        print(f"one-process loop identical to the store: {np.array_equal(flat, ref['arms_race_end'].values[0])}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
