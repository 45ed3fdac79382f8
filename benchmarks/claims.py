"""Time the full claims analysis (six claims x Saltelli design x runs) and print its size.

python benchmarks/claims.py [--samples 16] [--runs 32] [--years 20]
"""

from __future__ import annotations

import argparse
import time

from alliancelab.experiments.claims import CLAIMS, DESIGN_PARAMETERS, analyse_claims


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--samples", type=int, default=16)
    ap.add_argument("--runs", type=int, default=32)
    ap.add_argument("--years", type=int, default=20)
    args = ap.parse_args()
    points = args.samples * (len(DESIGN_PARAMETERS) + 2)
    analyse_claims(samples=2, runs=8, years=8, claims=(1,))  # compile the kernel first
    start = time.perf_counter()
    result = analyse_claims(samples=args.samples, runs=args.runs, years=args.years)
    seconds = time.perf_counter() - start
    run_years = len(CLAIMS) * points * 2 * args.runs * args.years
    print(f"design: {len(CLAIMS)} claims x {points} points x 2 scenarios x {args.runs} runs x {args.years} years")
    print(f"{seconds:.1f} s for {run_years:,} run-years ({run_years / seconds:,.0f} run-years/s), target < 600 s")
    print(result.table[["claim", "effect_median", "share_direction", "verdict"]].to_string(index=False))


if __name__ == "__main__":
    main()
