"""Expected-utility bargaining model: the vectorised rules against the pair-by-pair loop.

Usage: ``python benchmarks/bargaining.py [--actors 100] [--rounds 10] [--copies 1000] [--repeat 3]``.

Two workloads, each timed for the vectorised model (``alliancelab.models.bargaining.rules``) and the
straightforward loop implementation of the same rules (``...bargaining.reference``) in the same run:

1. one issue with ``--actors`` random stakeholders, ``--rounds`` rounds (target: < 100 ms);
2. ``--copies`` perturbed copies of the EC emissions case, ``--rounds`` rounds (the loop plays the
   copies one after another).

Prints the best-of-``--repeat`` times and the ratio (target: ≥ 50×), and checks that both
implementations end at the same positions.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from alliancelab.models.bargaining import forecast, load_issue, rules_named
from alliancelab.models.bargaining.reference import play_round_loop
from alliancelab.models.bargaining.rules import play_round


def best_of(repeat: int, fn: Callable[[], object]) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def vectorised(x: np.ndarray, c: np.ndarray, s: np.ndarray, width: float, rounds: int) -> np.ndarray:
    rules = rules_named("paper")
    for _ in range(rounds):
        x = play_round(x, c, s, width, rules).position
    return x


def loop(x: np.ndarray, c: np.ndarray, s: np.ndarray, width: float, rounds: int) -> np.ndarray:
    rules = rules_named("paper")
    out = []
    for b in range(x.shape[0]):
        xb, cb, sb = list(x[b]), list(c[b]), list(s[b])
        for _ in range(rounds):
            xb = play_round_loop(xb, cb, sb, width, rules)[0]
        out.append(xb)
    return np.array(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--copies", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--loop-copies", type=int, default=100, help="copies the loop plays (scaled up)")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    n = args.actors
    x = rng.uniform(0, 100, (1, n))
    c = rng.uniform(0.1, 1, (1, n))
    s = rng.uniform(0.05, 1, (1, n))
    t_vec, x_vec = best_of(args.repeat, lambda: vectorised(x, c, s, 100.0, args.rounds))
    t_loop, x_loop = best_of(1, lambda: loop(x, c, s, 100.0, args.rounds))
    same = np.allclose(np.asarray(x_vec), np.asarray(x_loop), rtol=1e-9, atol=1e-9)
    print(f"{n} actors x {args.rounds} rounds, one issue")
    print(f"  vectorised  {t_vec * 1e3:10.1f} ms   (target < 100 ms)")
    print(f"  loop        {t_loop * 1e3:10.1f} ms")
    print(f"  ratio       {t_loop / t_vec:10.1f} x  (target >= 50 x); same positions: {same}")

    ec = load_issue("ec-emissions-1994")
    t_fc, ds = best_of(args.repeat, lambda: forecast(ec, rounds=args.rounds, perturb=args.copies - 1, seed=1, tol=0))
    xs = ds.position.sel(round=0).values  # type: ignore[attr-defined]
    cs = ds.capability.values  # type: ignore[attr-defined]
    ss = ds.salience.values  # type: ignore[attr-defined]
    k = min(args.loop_copies, args.copies)
    t_part, x_loop = best_of(1, lambda: loop(xs[:k], cs[:k], ss[:k], ec.width, args.rounds))
    t_loop_all = t_part * args.copies / k
    final = ds.position.sel(round=args.rounds).values[:k]  # type: ignore[attr-defined]
    same = np.allclose(final, np.asarray(x_loop), rtol=1e-9, atol=1e-9)
    print(f"\n{args.copies} perturbed copies of the EC case x {args.rounds} rounds (10 actors)")
    print(f"  vectorised  {t_fc * 1e3:10.1f} ms   (forecast(), labelled Dataset included)")
    print(f"  loop        {t_loop_all * 1e3:10.1f} ms   ({k} copies timed, scaled to {args.copies})")
    print(f"  ratio       {t_loop_all / t_fc:10.1f} x  (target >= 50 x); same positions: {same}")


if __name__ == "__main__":
    main()
