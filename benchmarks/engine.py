"""Engine throughput: run-years per second on ``asia-pacific-2001``, against a Mesa 3 model.

Usage: ``python benchmarks/engine.py [--runs 1000 10000 100000] [--years 30] [--workers 2]
[--backend numba numpy] [--repeat 3] [--mesa-runs 20]``. Prints run-years/s (the best of
``--repeat`` timings, and the slowest) and peak memory for each size, the Mesa baseline measured
in the same run (a Mesa model of each parameter set's own equations: benchmarks/mesa_order.py),
and the ratio. Needs ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from alliancelab.models.order.compile import compile_scenario
from alliancelab.models.order.params import Params
from alliancelab.models.order.simulate import simulate
from alliancelab.scenario import load_scenario

SCENARIO = "asia-pacific-2001"


def peak_rss_gb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024**2


def time_engine(runs: int, years: int, workers: int, backend: str, keep: str, params: Params) -> float:
    start = time.perf_counter()
    ds = simulate(SCENARIO, runs=runs, years=years, seed=1, keep=keep, workers=workers, backend=backend, params=params)
    elapsed = time.perf_counter() - start
    assert int(ds["status"].sum()) == 0
    del ds
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--backend", nargs="+", default=None, help="default: numba, numpy, and jax where installed")
    ap.add_argument("--repeat", type=int, default=3, help="timings per configuration (the best is reported)")
    ap.add_argument("--keep", default="actor,region", help="outputs kept (the dyadic ones are the heavy part)")
    ap.add_argument("--mesa-runs", type=int, default=20)
    ap.add_argument(
        "--params", nargs="+", default=["estimated", "illustrative"], help="parameter sets timed, each in turn"
    )
    args = ap.parse_args()
    from alliancelab.engine.backends import available_backends
    from alliancelab.models.order.paramsets import load_params
    from mesa_order import run_mesa

    backends = args.backend or available_backends()
    mesa_rates = {}  # the Mesa model of each set's own equations
    for name in args.params:
        p = load_params(name)
        c = compile_scenario(load_scenario(SCENARIO), p, args.years)
        start = time.perf_counter()
        run_mesa(c, p, args.mesa_runs)
        mesa_rates[name] = args.mesa_runs * args.years / (time.perf_counter() - start)
        print(f"Mesa 3 model, {name} equations ({args.mesa_runs} runs x {args.years} years): "
              f"{mesa_rates[name]:,.0f} run-years/s")  # fmt: skip
    print(f"outputs kept: {args.keep}")
    print(f"best of {args.repeat} timings per row; 'slowest' is the worst of them")
    head = (
        f"{'params':>12} {'backend':>8} {'runs':>8} {'workers':>7} {'seconds':>8} {'run-years/s':>13} {'slowest':>11}"
    )
    print(head + f" {'x Mesa':>8} {'peak GB':>8}")
    # NumPy first: its workers are forked, which is only safe before JAX starts its threads
    for backend in backends:
        simulate(SCENARIO, runs=64, years=args.years, keep=args.keep, backend=backend)  # warm up / compile
        for runs in args.runs:
            for workers in sorted({1, args.workers}):
                for name in args.params:
                    chosen = load_params(name)
                    times = [
                        time_engine(runs, args.years, workers, backend, args.keep, chosen) for _ in range(args.repeat)
                    ]
                    rate = runs * args.years / min(times)
                    slowest = runs * args.years / max(times)
                    print(
                        f"{name:>12} {backend:>8} {runs:>8} {workers:>7} {min(times):>8.2f} "
                        f"{rate:>13,.0f} {slowest:>11,.0f} "
                        f"{rate / mesa_rates[name]:>8.0f} {peak_rss_gb():>8.2f}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
